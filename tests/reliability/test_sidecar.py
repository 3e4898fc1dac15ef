"""The v1 sidecar under fuzzing (JSON and multipart bodies through its ASGI app) and under load (200 concurrent
clients on loopback against a real uvicorn), with replayed, expired and forged signatures mixed in."""
from __future__ import annotations

import http.client
import json
import threading
import time
from typing import Any, Dict, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from starlette.testclient import TestClient  # noqa: E402

from compat.errors import V1_CODES  # noqa: E402
from compat.server import AppKey, SidecarConfig, create_app  # noqa: E402
from compat.server.signature import sign  # noqa: E402
from tests.imagefactory import encoded  # noqa: E402
from tests.sidecar_support import APPID, live_server  # noqa: E402

SMALL = encoded("JPEG", 96, 96)
CLIENTS = 200
LOAD_SECONDS = 4.0
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_v1_shaped(status: int, payload: Any) -> None:
    assert status != 500, payload
    assert isinstance(payload, dict) and set(payload) == {"data", "code", "message"}, payload
    assert payload["code"] in V1_CODES
    assert set(payload["data"]) <= {"similarity", "session_id", "fail_flag"}


@pytest.fixture
def key(iai_protocol_emulator: Any) -> AppKey:
    return AppKey(APPID, iai_protocol_emulator.secret_id, iai_protocol_emulator.secret_key)


@pytest.fixture
def app(iai_protocol_emulator: Any, key: AppKey) -> Any:
    return create_app(SidecarConfig(keys=[key], client_options={"endpoint": iai_protocol_emulator.endpoint,
                                                                "retries": 0, "timeout": 2}))


field_values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                         st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(),
                                                                               max_size=2))
json_bodies = st.one_of(
    st.dictionaries(st.sampled_from(["appid", "bucket", "urlA", "urlB", "imageA", "imageB", "x"]), field_values,
                    max_size=6),
    field_values,
)
parts = st.dictionaries(st.sampled_from(["appid", "bucket", "urlA", "urlB", "imageA", "imageB", "junk"]),
                        st.one_of(st.binary(max_size=200), st.just(SMALL), st.just(APPID.encode())), max_size=6)


@SETTINGS
@given(body=json_bodies, signed=st.booleans())
def test_json_bodies_always_answer_v1(app: Any, key: AppKey, body: Any, signed: bool) -> None:
    headers = {"Authorization": sign(key, expiry=int(time.time()) + 600)} if signed else {}
    with TestClient(app) as client:
        reply = client.post("/face/compare", content=json.dumps(body), headers=dict(headers, **{
            "Content-Type": "application/json"}))
    assert_v1_shaped(reply.status_code, reply.json())


@SETTINGS
@given(files=parts, raw=st.binary(max_size=300), as_raw=st.booleans())
def test_multipart_bodies_always_answer_v1(app: Any, key: AppKey, files: Dict[str, bytes], raw: bytes,
                                           as_raw: bool) -> None:
    headers = {"Authorization": sign(key, expiry=int(time.time()) + 600)}
    with TestClient(app) as client:
        if as_raw:  # a broken multipart body under a multipart Content-Type
            headers["Content-Type"] = "multipart/form-data; boundary=xyz"
            reply = client.post("/face/compare", content=raw, headers=headers)
        else:
            reply = client.post("/face/compare", files={k: (k, v) for k, v in files.items()}, headers=headers)
    assert_v1_shaped(reply.status_code, reply.json())


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _form(appid: str) -> Tuple[bytes, str]:
    boundary = "facecompatloadtest"
    chunks = [b'--%s\r\nContent-Disposition: form-data; name="appid"\r\n\r\n%s\r\n' % (boundary.encode(),
                                                                                       appid.encode())]
    for name in ("imageA", "imageB"):
        chunks.append(b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="x.jpg"\r\n\r\n%s\r\n'
                      % (boundary.encode(), name.encode(), SMALL))
    chunks.append(b"--%s--\r\n" % boundary.encode())
    return b"".join(chunks), "multipart/form-data; boundary=" + boundary


def test_200_clients_hold_with_bad_signatures_rejected(app: Any, key: AppKey) -> None:
    body, content_type = _form(APPID)
    forged = AppKey(APPID, key.secret_id, "not-the-key")
    now = int(time.time())
    kinds = {
        "good": (lambda n: sign(key, expiry=now + 600), 0),
        "expired": (lambda n: sign(key, expiry=now - 10, signed_at=now - 100), 9),
        "forged": (lambda n: sign(forged, expiry=now + 600), 14),
        "replayed": (lambda n: sign(key, expiry=0, fileid="same-file", signed_at=now, rand="7"), 13),
    }
    latencies: List[float] = []
    outcomes: Dict[str, List[int]] = {kind: [] for kind in kinds}
    errors: List[str] = []
    lock = threading.Lock()
    with live_server(app) as address:
        host, port = address.split(":")
        first_use = http.client.HTTPConnection(host, int(port), timeout=10)  # spend the single-use signature once
        first_use.request("POST", "/face/compare", body=body, headers={
            "Content-Type": content_type, "Authorization": kinds["replayed"][0](0)})
        assert json.loads(first_use.getresponse().read())["code"] == 0
        first_use.close()
        rss_before = _rss_kib()
        stop_at = time.monotonic() + LOAD_SECONDS

        def client_loop(index: int) -> None:
            kind = "good" if index % 5 else list(kinds)[1 + (index // 5) % 3]
            connection = http.client.HTTPConnection(host, int(port), timeout=20)
            sent = 0
            try:
                while time.monotonic() < stop_at and sent < 50:
                    started = time.perf_counter()
                    connection.request("POST", "/face/compare", body=body, headers={
                        "Content-Type": content_type, "Authorization": kinds[kind][0](sent)})
                    reply = connection.getresponse()
                    payload = json.loads(reply.read())
                    elapsed = time.perf_counter() - started
                    sent += 1
                    with lock:
                        latencies.append(elapsed)
                        outcomes[kind].append(payload["code"])
                        if reply.status != 200:
                            errors.append("HTTP %d" % reply.status)
            except (OSError, ValueError) as exc:
                with lock:
                    errors.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=client_loop, args=(i,), daemon=True) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(LOAD_SECONDS + 30)
        rss_after = _rss_kib()
    assert errors == []
    for kind, (_, code) in kinds.items():
        assert outcomes[kind] and set(outcomes[kind]) == {code}, (kind, set(outcomes[kind]))
    ordered = sorted(latencies)
    p99 = ordered[int(0.99 * (len(ordered) - 1))]
    print("\nsidecar load: %d clients, %d requests in %.0f s, 0 errors, p50 %.0f ms, p99 %.0f ms, RSS %+d KiB"
          % (CLIENTS, len(latencies), LOAD_SECONDS, ordered[len(ordered) // 2] * 1000, p99 * 1000,
             rss_after - rss_before))
    assert rss_after - rss_before < 64 * 1024  # 64 MiB: thread stacks and buffers, not a per-request leak
