# ruff: noqa
# legacy code, kept the way legacy teams wrote it
"""Legacy face check, written for qcloud_image 1.0.0."""
import os

from qcloud_image import Client, CIUrl, CIFile, CIBuffer  # the v1 SDK

APPID = os.environ.get("LEGACY_APPID", "1000000")
BUCKET = "faces"


def make_client():
    client = Client(APPID, os.environ["LEGACY_SECRET_ID"], os.environ["LEGACY_SECRET_KEY"], BUCKET)
    client.use_http()
    return client


def same_person(client, path_a, path_b):
    """True when both photos show the same person."""
    result = client.face_compare(CIFile(path_a), CIBuffer(open(path_b, "rb").read()))
    if result["code"] == 0 and result["data"]["similarity"] > 80:
        return True
    if result["code"] in (-1101, -1102):
        # no face / unreadable image: tell the user which one
        return "bad image %s" % result["data"].get("fail_flag")
    return False


def compare_urls(client, url_a, url_b):
    result = client.face_compare(CIUrl(url_a), CIUrl(url_b))
    return result
