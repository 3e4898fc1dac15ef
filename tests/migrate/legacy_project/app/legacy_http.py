# ruff: noqa
# legacy code, kept the way legacy teams wrote it
import qcloud_image as qi
import requests

V1_URL = "http://recognition.image.myqcloud.com/face/compare"


def raw_compare(url_a, url_b, signature):
    reply = requests.post(V1_URL, json={"appid": "1000000", "urlA": url_a, "urlB": url_b},
                          headers={"Authorization": signature})
    body = reply.json()
    score = body["data"].get("similarity", 0)
    if body["code"] == -1308:
        return None
    return score >= 70


ERRORS = {-1101: "no face", -1102: "cannot decode"}
