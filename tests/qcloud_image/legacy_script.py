"""A legacy face-compare script written for qcloud-image 1.0.0, never to be edited (the tests run it as is).

    python legacy_script.py APPID SECRET_ID SECRET_KEY BUCKET IMAGE_BASE_URL IMAGE_DIR

prints ``{"client": <module of Client>, "results": [...]}`` as JSON.
"""
import json
import os
import sys

from qcloud_image import CIBuffer, CIFile, CIUrl, Client


def run(appid, secret_id, secret_key, bucket, image_url, image_dir):
    client = Client(appid, secret_id, secret_key, bucket)
    client.use_http()
    client.set_timeout(30)

    def path(name):
        return os.path.join(image_dir, name)

    with open(path("obama2.jpg"), "rb") as handle:
        obama2_bytes = handle.read()
    results = [
        client.face_compare(CIUrl(image_url + "/obama.jpg"), CIUrl(image_url + "/obama2.jpg")),
        client.face_compare(CIFile(path("obama.jpg")), CIFile(path("biden.jpg"))),
        client.face_compare(CIBuffer(obama2_bytes), CIFile(path("obama.jpg"))),
        client.face_compare(CIUrl(image_url + "/biden.jpg"), CIBuffer(obama2_bytes)),
        client.face_compare(CIFile(path("no-such-photo.jpg")), CIFile(path("obama.jpg"))),
        client.face_compare(path("obama.jpg"), CIFile(path("obama.jpg"))),
        client.face_compare(CIFile(path("obama.jpg")), CIBuffer(b"")),
        client.face_compare(CIUrl(image_url + "/no-such-photo.jpg"), CIUrl(image_url + "/obama.jpg")),
        client.face_compare(CIBuffer(b"GIF89a" + b"\0" * 64), CIFile(path("obama.jpg"))),
    ]
    for result in results[:4]:
        result["same_person"] = result["code"] == 0 and result["data"]["similarity"] > 80
    return results


if __name__ == "__main__":
    print(json.dumps({"client": Client.__module__, "results": run(*sys.argv[1:7])}))
