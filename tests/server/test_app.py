"""The sidecar in-process (starlette TestClient): wire formats, every v1 code it owns, ops routes."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Dict, Iterator

import pytest
from starlette.testclient import TestClient

from compat.server import AppKey
from compat.server.signature import sign
from tests.imagefactory import BIDEN, OBAMA
from tests.sidecar_support import APPID, BUCKET


@pytest.fixture
def client(make_app: Callable[..., Any]) -> Iterator[TestClient]:
    with TestClient(make_app()) as test_client:
        yield test_client


def _auth(key: AppKey, bucket: str = BUCKET, **kwargs: Any) -> Dict[str, str]:
    kwargs.setdefault("expiry", int(time.time()) + 30)
    return {"Authorization": sign(key, bucket, **kwargs)}


def _json_body(**extra: Any) -> Dict[str, Any]:
    body = {"appid": APPID, "bucket": BUCKET, "urlA": "http://127.0.0.1:1/a.jpg", "urlB": "http://127.0.0.1:1/b.jpg"}
    body.update(extra)
    return body


def _files() -> Dict[str, Any]:
    return {"imageA": ("a.jpg", OBAMA.read_bytes(), "image/jpeg"), "imageB": ("b.jpg", BIDEN.read_bytes(),
                                                                             "image/jpeg")}


def test_json_urls_reach_2_0_unchanged(client: TestClient, v1_key: AppKey, iai_protocol_emulator: Any,
                                        image_server: str) -> None:
    iai_protocol_emulator.queue_score(88.5)
    body = _json_body(urlA=image_server + "/obama.jpg", urlB=image_server + "/biden.jpg")
    reply = client.post("/face/compare", json=body, headers=_auth(v1_key))
    assert reply.status_code == 200
    result = reply.json()
    assert result["code"] == 0 and set(result) == {"code", "message", "data"}
    assert set(result["data"]) == {"session_id", "similarity"} and result["data"]["session_id"]
    [call] = iai_protocol_emulator.calls
    assert (call["params"]["UrlA"], call["params"]["UrlB"]) == (body["urlA"], body["urlB"])


def test_multipart_images_and_the_legacy_file_part_fields(client: TestClient, v1_key: AppKey) -> None:
    # qcloud-image sends appid/bucket as file parts (requests' files= dict); plain fields work too
    files = dict(_files(), appid=("appid", APPID.encode()), bucket=("bucket", BUCKET.encode()))
    assert client.post("/face/compare", files=files, headers=_auth(v1_key)).json()["code"] == 0
    plain = client.post("/face/compare", files=_files(), data={"appid": APPID, "bucket": BUCKET},
                        headers=_auth(v1_key))
    assert plain.json()["code"] == 0


def test_url_wins_over_image_on_the_same_side(client: TestClient, v1_key: AppKey, iai_protocol_emulator: Any,
                                              image_server: str) -> None:
    data = {"appid": APPID, "urlA": image_server + "/obama2.jpg"}
    assert client.post("/face/compare", files=_files(), data=data, headers=_auth(v1_key)).json()["code"] == 0
    [call] = iai_protocol_emulator.calls
    assert "UrlA" in call["params"] and "ImageA" not in call["params"] and "ImageB" in call["params"]


def test_local_validation_answers_with_fail_flag(client: TestClient, v1_key: AppKey,
                                                 iai_protocol_emulator: Any) -> None:
    files = {"imageA": ("a.jpg", OBAMA.read_bytes()), "imageB": ("b.gif", b"GIF89a" + b"\0" * 64)}
    result = client.post("/face/compare", files=files, data={"appid": APPID}, headers=_auth(v1_key)).json()
    assert (result["code"], result["data"]["fail_flag"]) == (-1400, 2)
    assert iai_protocol_emulator.calls == []


def test_2_0_errors_come_back_as_v1_codes(client: TestClient, v1_key: AppKey, iai_protocol_emulator: Any) -> None:
    iai_protocol_emulator.queue_error("InvalidParameterValue.NoFaceInPhoto")
    result = client.post("/face/compare", files=_files(), data={"appid": APPID}, headers=_auth(v1_key)).json()
    assert result["code"] == -1101 and result["data"]["session_id"]


@pytest.mark.parametrize(
    "headers, code",
    [
        ({}, 4),
        ({"Authorization": "%%%"}, 5),
        ("unknown appid", 10),
        ("unknown secret id", 11),
        ("forged", 14),
        ("expired", 9),
    ],
)
def test_signature_faults(client: TestClient, v1_key: AppKey, iai_protocol_emulator: Any, headers: Any,
                          code: int) -> None:
    if headers == "unknown appid":
        headers = _auth(AppKey("1250009999", v1_key.secret_id, v1_key.secret_key))
    elif headers == "unknown secret id":
        headers = _auth(AppKey(APPID, "AKIDnobody", v1_key.secret_key))
    elif headers == "forged":
        headers = _auth(AppKey(APPID, v1_key.secret_id, "not-the-key"))
    elif headers == "expired":
        headers = _auth(v1_key, expiry=int(time.time()) - 5)
    reply = client.post("/face/compare", json=_json_body(), headers=headers)
    assert reply.status_code == 200
    result = reply.json()
    assert result == {"data": {"session_id": ""}, "code": code, "message": result["message"]}
    assert iai_protocol_emulator.calls == []


def test_appid_secret_id_mismatch(make_app: Callable[..., Any], v1_key: AppKey) -> None:
    other = AppKey("1250000001", "AKIDother", "other-secret")
    with TestClient(make_app(keys=[v1_key, other])) as test_client:
        headers = _auth(AppKey(APPID, other.secret_id, other.secret_key))
        assert test_client.post("/face/compare", json=_json_body(), headers=headers).json()["code"] == 12


def test_signature_for_another_appid_or_bucket_than_the_request(make_app: Callable[..., Any],
                                                                v1_key: AppKey) -> None:
    other = AppKey("1250000001", "AKIDother", "other-secret")
    with TestClient(make_app(keys=[v1_key, other])) as test_client:
        reply = test_client.post("/face/compare", json=_json_body(appid="1250000001"), headers=_auth(v1_key))
        assert reply.json()["code"] == 6
        reply = test_client.post("/face/compare", json=_json_body(bucket="another"), headers=_auth(v1_key))
        assert reply.json()["code"] == 6


def test_configured_bucket(make_app: Callable[..., Any], v1_key: AppKey) -> None:
    with TestClient(make_app(bucket="only-this")) as test_client:
        assert test_client.post("/face/compare", json=_json_body(), headers=_auth(v1_key)).json()["code"] == 16
        good = test_client.post("/face/compare", json=_json_body(bucket="only-this"),
                                headers=_auth(v1_key, "only-this"))
        assert good.json()["code"] != 16


def test_single_use_signature_is_good_once(client: TestClient, v1_key: AppKey) -> None:
    headers = _auth(v1_key, expiry=0, fileid="face-compare-1")
    assert client.post("/face/compare", files=_files(), data={"appid": APPID, "bucket": BUCKET},
                       headers=headers).json()["code"] == 0
    again = client.post("/face/compare", files=_files(), data={"appid": APPID, "bucket": BUCKET}, headers=headers)
    assert again.json()["code"] == 13
    multi = _auth(v1_key)
    for _ in range(2):  # multi-use signatures repeat freely until they expire
        assert client.post("/face/compare", files=_files(), data={"appid": APPID}, headers=multi).json()["code"] == 0


def test_bad_bodies(client: TestClient, v1_key: AppKey) -> None:
    headers = _auth(v1_key)
    assert client.post("/face/compare", content=b"{", headers=dict(headers, **{"Content-Type": "application/json"})
                       ).json()["code"] == 3
    assert client.post("/face/compare", content=b"[]", headers=dict(headers, **{"Content-Type": "application/json"})
                       ).json()["code"] == 3
    assert client.post("/face/compare", content=b"x", headers=dict(headers, **{"Content-Type": "text/plain"})
                       ).json()["code"] == 3
    assert client.post("/face/compare", json=_json_body(appid=""), headers=headers).json()["code"] == -1301
    assert client.post("/face/compare", json=_json_body(urlA=["x"]), headers=headers).json()["code"] == 21
    missing = client.post("/face/compare", json={"appid": APPID, "urlA": "http://127.0.0.1:1/a.jpg"},
                          headers=headers).json()
    assert (missing["code"], missing["data"]["fail_flag"]) == (-1301, 2)


def test_body_over_the_limit_by_content_length(make_app: Callable[..., Any], v1_key: AppKey) -> None:
    with TestClient(make_app(max_body_bytes=1000)) as test_client:
        reply = test_client.post("/face/compare", files=_files(), data={"appid": APPID}, headers=_auth(v1_key))
        assert reply.json()["code"] == 23
        # checked before the signature: no key work for an oversized body
        assert test_client.post("/face/compare", files=_files(), data={"appid": APPID}).json()["code"] == 23


def test_body_over_the_limit_without_content_length(make_app: Callable[..., Any], v1_key: AppKey) -> None:
    # TestClient buffers the whole body; tests/server/test_live.py proves the server stops reading early
    def chunked() -> Iterator[bytes]:
        for _ in range(4):
            yield b"x" * 65536

    with TestClient(make_app(max_body_bytes=64 * 1024)) as test_client:
        headers = dict(_auth(v1_key), **{"Content-Type": "application/json"})
        assert test_client.post("/face/compare", content=chunked(), headers=headers).json()["code"] == 23


def test_healthz_and_metrics(client: TestClient, v1_key: AppKey) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "replay_store": "memory"}
    client.post("/face/compare", files=_files(), data={"appid": APPID}, headers=_auth(v1_key))
    client.post("/face/compare", json=_json_body())
    text = client.get("/metrics").text
    assert 'face_compat_sidecar_requests_total{code="0"} 1.0' in text
    assert 'face_compat_sidecar_requests_total{code="4"} 1.0' in text
    assert "face_compat_compare_seconds_count 1.0" in text


def test_other_v1_paths_answer_v1_json(client: TestClient) -> None:
    reply = client.post("/face/detect", json={})
    assert reply.status_code == 404 and reply.json()["code"] == 3 and "/face/compare" in reply.json()["message"]


def test_logs_carry_no_image_url_signature_or_key(client: TestClient, v1_key: AppKey,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # what 'face-compat serve --log-level debug' lets through (see cli.py)
    headers = _auth(v1_key)
    client.post("/face/compare", json=_json_body(urlA="http://127.0.0.1:1/secret-token-a.jpg"), headers=headers)
    client.post("/face/compare", files=_files(), data={"appid": APPID}, headers=headers)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "appid=%s" % APPID in text and "code=0" in text
    for secret in (headers["Authorization"], v1_key.secret_key, v1_key.secret_id, "secret-token-a"):
        assert secret not in text


def test_a_slow_2_0_call_does_not_block_the_event_loop(make_app: Callable[..., Any], v1_key: AppKey,
                                                       iai_protocol_emulator: Any) -> None:
    iai_protocol_emulator.queue_fault("delay", seconds=1.5)
    with TestClient(make_app()) as test_client:
        slow: Dict[str, Any] = {}
        worker = threading.Thread(target=lambda: slow.update(reply=test_client.post(
            "/face/compare", files=_files(), data={"appid": APPID}, headers=_auth(v1_key))))
        worker.start()
        time.sleep(0.3)
        started = time.monotonic()
        assert test_client.get("/healthz").status_code == 200
        assert time.monotonic() - started < 0.5
        worker.join(10)
    assert slow["reply"].json()["code"] == 0


@pytest.mark.parametrize("body", [b"\x00", b"--x\r\nno headers", b"HTTP garbage"])
def test_malformed_multipart_is_code_3_never_a_500(client: TestClient, v1_key: AppKey, body: bytes) -> None:
    headers = dict(_auth(v1_key), **{"Content-Type": "multipart/form-data; boundary=x"})
    reply = client.post("/face/compare", content=body, headers=headers)
    assert reply.status_code == 200 and reply.json()["code"] == 3
