"""The sidecar on a real uvicorn, driven by the REAL legacy client ``qcloud-image`` 1.0.0.

The client is pointed at the sidecar through its private service address (``Conf._Conf__SERVICE_ADDR``),
the only change legacy code would see is the answer coming from 2.0 (here: the local emulator).
"""
from __future__ import annotations

import socket
import time
import types
from typing import Any, Callable, Iterator

import pytest

from compat.server import AppKey
from compat.server.signature import sign
from tests.imagefactory import BIDEN, OBAMA, OBAMA2
from tests.sidecar_support import APPID, BUCKET, live_server

qcloud_image = pytest.importorskip("qcloud_image")


@pytest.fixture
def legacy(live_sidecar: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The original ``qcloud_image`` package, talking to the live sidecar."""
    import qcloud_image.conf

    from compat import qcloud_image as swap

    assert not swap.installed() and qcloud_image.Client.__module__ == "qcloud_image.api"
    monkeypatch.setattr(qcloud_image.conf.Conf, "_Conf__SERVICE_ADDR", live_sidecar)
    return qcloud_image


def _client(legacy: Any, key: AppKey, appid: str = APPID) -> Any:
    client = legacy.Client(appid, key.secret_id, key.secret_key, BUCKET)
    client.use_http()
    client.set_timeout(10)
    return client


def test_url_file_buffer_and_mixed_inputs(legacy: Any, v1_key: AppKey, iai_protocol_emulator: Any,
                                          image_server: str) -> None:
    client = _client(legacy, v1_key)
    cases = [
        (legacy.CIUrl(image_server + "/obama.jpg"), legacy.CIUrl(image_server + "/obama2.jpg")),
        (legacy.CIFile(str(OBAMA)), legacy.CIFile(str(BIDEN))),
        (legacy.CIBuffer(OBAMA.read_bytes()), legacy.CIBuffer(OBAMA2.read_bytes())),
        (legacy.CIUrl(image_server + "/obama.jpg"), legacy.CIFile(str(BIDEN))),
    ]
    for picture_a, picture_b in cases:
        result = client.face_compare(picture_a, picture_b)
        assert (result["httpcode"], result["code"], result["message"]) == (200, 0, "OK"), result
        assert set(result["data"]) == {"similarity", "session_id"}
    params = [call["params"] for call in iai_protocol_emulator.calls]
    assert [sorted(k for k in p if k != "FaceModelVersion") for p in params] == [
        ["UrlA", "UrlB"], ["ImageA", "ImageB"], ["ImageA", "ImageB"], ["ImageB", "UrlA"]]
    assert params[0]["UrlA"] == image_server + "/obama.jpg"


def test_2_0_failures_reach_the_legacy_client_as_v1_codes(legacy: Any, v1_key: AppKey,
                                                          iai_protocol_emulator: Any) -> None:
    iai_protocol_emulator.queue_error("FailedOperation.ImageDecodeFailed")
    result = _client(legacy, v1_key).face_compare(legacy.CIFile(str(OBAMA)), legacy.CIFile(str(BIDEN)))
    assert (result["httpcode"], result["code"]) == (200, -1102)


def test_forged_signature(legacy: Any, v1_key: AppKey) -> None:
    forged = AppKey(APPID, v1_key.secret_id, "not-the-secret-key")
    result = _client(legacy, forged).face_compare(legacy.CIFile(str(OBAMA)), legacy.CIFile(str(BIDEN)))
    assert (result["httpcode"], result["code"], result["data"]) == (200, 14, {"session_id": ""})


def test_expired_signature(legacy: Any, v1_key: AppKey, monkeypatch: pytest.MonkeyPatch) -> None:
    # the client signs for 30 s; a clock two minutes slow makes every signature it sends already expired
    monkeypatch.setattr(legacy.auth, "time", types.SimpleNamespace(time=lambda: time.time() - 120))
    result = _client(legacy, v1_key).face_compare(legacy.CIFile(str(OBAMA)), legacy.CIFile(str(BIDEN)))
    assert (result["httpcode"], result["code"]) == (200, 9)


def test_wrong_appid(legacy: Any, v1_key: AppKey) -> None:
    result = _client(legacy, v1_key, appid="1250009999").face_compare(
        legacy.CIUrl("http://127.0.0.1:1/a.jpg"), legacy.CIUrl("http://127.0.0.1:1/b.jpg"))
    assert (result["httpcode"], result["code"]) == (200, 10)


def test_unknown_secret_id(legacy: Any, v1_key: AppKey) -> None:
    stranger = AppKey(APPID, "AKIDstranger", v1_key.secret_key)
    result = _client(legacy, stranger).face_compare(legacy.CIFile(str(OBAMA)), legacy.CIFile(str(BIDEN)))
    assert result["code"] == 11


def test_replayed_single_use_signature(legacy: Any, v1_key: AppKey) -> None:
    client = _client(legacy, v1_key)
    single_use = sign(v1_key, BUCKET, expiry=0, fileid="compare-42").encode()
    client._auth.get_sign = lambda bucket, howlong=30: single_use
    first = client.face_compare(legacy.CIFile(str(OBAMA)), legacy.CIFile(str(BIDEN)))
    second = client.face_compare(legacy.CIFile(str(OBAMA)), legacy.CIFile(str(BIDEN)))
    assert (first["code"], second["code"], second["httpcode"]) == (0, 13, 200)


def test_body_too_large(make_app: Callable[..., Any], v1_key: AppKey, monkeypatch: pytest.MonkeyPatch) -> None:
    import qcloud_image.conf

    with live_server(make_app(max_body_bytes=10_000)) as address:
        monkeypatch.setattr(qcloud_image.conf.Conf, "_Conf__SERVICE_ADDR", address)
        result = _client(qcloud_image, v1_key).face_compare(qcloud_image.CIFile(str(OBAMA)),
                                                            qcloud_image.CIFile(str(BIDEN)))
    assert (result["httpcode"], result["code"]) == (200, 23)


def test_an_endless_chunked_body_is_not_read_to_the_end(make_app: Callable[..., Any], v1_key: AppKey) -> None:
    with live_server(make_app(max_body_bytes=64 * 1024)) as address:
        host, port = address.split(":")
        with socket.create_connection((host, int(port)), timeout=5) as conn:
            head = (
                "POST /face/compare HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\nAuthorization: %s\r\n\r\n" % sign(v1_key, expiry=int(time.time()) + 30)
            )
            conn.sendall(head.encode())
            chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
            for _ in range(4):  # 256 KiB, and the body never ends: the answer must come anyway
                conn.sendall(chunk)
            reply = b""
            while b"}" not in reply:
                data = conn.recv(65536)
                if not data:
                    break
                reply += data
    assert reply.startswith(b"HTTP/1.1 200") and b'"code":23' in reply


def test_healthz_and_metrics_over_http(live_sidecar: str) -> None:
    import requests

    assert requests.get("http://%s/healthz" % live_sidecar, timeout=5).json()["status"] == "ok"
    metrics = requests.get("http://%s/metrics" % live_sidecar, timeout=5)
    assert metrics.headers["Content-Type"].startswith("text/plain") and "face_compat_compare_seconds" in metrics.text


@pytest.fixture
def many_threads_client(legacy: Any, v1_key: AppKey) -> Iterator[Any]:
    yield _client(legacy, v1_key)


def test_concurrent_legacy_clients(many_threads_client: Any, legacy: Any, iai_protocol_emulator: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    iai_protocol_emulator.queue_fault("delay", seconds=0.3, times=8)
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: many_threads_client.face_compare(
            legacy.CIFile(str(OBAMA)), legacy.CIFile(str(BIDEN))), range(8)))
    assert [r["code"] for r in results] == [0] * 8
    assert time.monotonic() - started < 2.0  # 8 x 0.3 s in series would be 2.4 s
