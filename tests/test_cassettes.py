"""Replay recorded 2.0 wire traffic through the shim; re-record with ``FACE_COMPAT_RECORD=1``.

Each scenario is one ``Client.compare`` call. Replaying needs no server: vcrpy answers from
``cassettes/`` and fails the test if the shim's request no longer matches what was recorded (same
action, same JSON body), so a change in what the shim puts on the wire cannot pass unnoticed.
Recording runs the scenario against the package's emulator (see ``cassettes/README.md``).
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional

import pytest

from compat import Client
from tests.imagefactory import EXAMPLES, encoded

vcr = pytest.importorskip("vcr")

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
RECORDING = os.environ.get("FACE_COMPAT_RECORD") == "1"
#: Where replayed calls "go": nothing listens there, so a miss in the cassette cannot reach a network.
REPLAY_ENDPOINT = "http://127.0.0.1:9"
_LOCAL_URL = re.compile(r"http://127\.0\.0\.1:\d+/")
SECRET_PATTERNS = [
    re.compile(r"authorization", re.I),
    re.compile(r"TC3-HMAC-SHA256"),
    re.compile(r"AKID[A-Za-z0-9]{16,}"),
    re.compile(r"secret_?key", re.I),
    re.compile(r"face-compat-local-key"),
]


def _normalised_body(request: Any) -> Dict[str, Any]:
    body = bytes(request.body).decode("utf-8") if isinstance(request.body, (bytes, bytearray)) else request.body
    return json.loads(_LOCAL_URL.sub("http://127.0.0.1:PORT/", body or "{}"))


def _same_action(r1: Any, r2: Any) -> None:
    assert r1.headers.get("X-TC-Action") == r2.headers.get("X-TC-Action")


def _same_body(r1: Any, r2: Any) -> None:
    assert _normalised_body(r1) == _normalised_body(r2)


def _scrub_request(request: Any) -> Any:
    if "X-TC-Action" not in request.headers:
        return None  # the emulator's own download of UrlA/UrlB: not shim <-> 2.0 traffic
    for header in ("Authorization", "X-TC-Token"):
        request.headers.pop(header, None)
    return request


def cassette_recorder() -> Any:
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="all" if RECORDING else "none",
        match_on=["method", "path", "tc_action", "tc_body"],
        before_record_request=_scrub_request,
        decode_compressed_response=True,
    )
    recorder.register_matcher("tc_action", _same_action)
    recorder.register_matcher("tc_body", _same_body)
    return recorder


@pytest.fixture
def upstream(request: pytest.FixtureRequest, image_server: str) -> Iterator[Callable[..., Client]]:
    """A client factory: against the emulator when recording, against nothing when replaying."""
    emulator = request.getfixturevalue("iai_emulator") if RECORDING else None

    def make(secret_id: Optional[str] = None, secret_key: Optional[str] = None) -> Client:
        if emulator is None:
            return Client(secret_id or "replay-id", secret_key or "replay-key", endpoint=REPLAY_ENDPOINT, retries=0)
        return Client(
            secret_id or emulator.secret_id, secret_key or emulator.secret_key, endpoint=emulator.endpoint, retries=0
        )

    make.emulator = emulator  # type: ignore[attr-defined]
    yield make


def _url(image_server: str, name: str) -> str:
    return image_server + "/" + name


SMALL_GRAY = encoded("JPEG", 96, 96)


@pytest.mark.parametrize(
    "scenario, call, expect",
    [
        ("same_person_urls", lambda s: ((_url(s, "obama.jpg"), _url(s, "obama2.jpg")), {}), {"code": 0, "min": 80}),
        ("different_people_urls", lambda s: ((_url(s, "obama.jpg"), _url(s, "biden.jpg")), {}), {"code": 0, "max": 70}),
        (
            "same_photo_images",
            lambda s: ((), {"imageA": EXAMPLES / "obama2.jpg", "imageB": EXAMPLES / "obama2.jpg"}),
            {"code": 0, "min": 95},
        ),
        ("no_face_image", lambda s: ((_url(s, "obama.jpg"),), {"imageB": SMALL_GRAY}), {"code": -1101}),
        ("download_failure", lambda s: ((_url(s, "missing.jpg"), _url(s, "obama.jpg")), {}), {"code": -1308}),
        ("model_2_0", lambda s: ((_url(s, "obama.jpg"), _url(s, "obama2.jpg")), {"FaceModelVersion": "2.0"}),
         {"code": 0, "min": 80}),
    ],
)
def test_replay(scenario: str, call: Any, expect: Dict[str, Any], upstream: Any, image_server: str) -> None:
    args, kwargs = call(image_server)
    with cassette_recorder().use_cassette(scenario + ".yaml"):
        result = upstream().compare(*args, **kwargs)
    assert result["code"] == expect["code"], result
    if "min" in expect:
        assert result["data"]["similarity"] > expect["min"]
    if "max" in expect:
        assert result["data"]["similarity"] < expect["max"]
    assert len(result["data"]["session_id"]) == 36


@pytest.mark.parametrize(
    "scenario, credentials, code, tc_code",
    [
        ("unknown_secret_id", ("AKIDunknown", None), 11, "AuthFailure.SecretIdNotFound"),
        ("wrong_secret_key", (None, "not-the-key"), 14, "AuthFailure.SignatureFailure"),
    ],
)
def test_replay_auth_failures(scenario: str, credentials: Any, code: int, tc_code: str, upstream: Any,
                              image_server: str) -> None:
    with cassette_recorder().use_cassette(scenario + ".yaml"):
        result = upstream(*credentials).compare(_url(image_server, "obama.jpg"), _url(image_server, "obama2.jpg"))
    assert result["code"] == code and tc_code in result["message"]


def test_cassettes_hold_no_credentials() -> None:
    files = sorted(CASSETTES.glob("*.yaml"))
    assert files, "no cassettes recorded"
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in SECRET_PATTERNS:
            assert not pattern.search(text), "%s matches %s" % (path.name, pattern.pattern)


def test_secret_scan_would_catch_a_leak() -> None:
    leaked = (
        "headers:\n  Authorization:\n"
        "  - TC3-HMAC-SHA256 Credential=AKIDabcdefghijklmnopqrst/2026-11-25/iai/tc3_request\n"
    )
    assert all(p.search(leaked) for p in SECRET_PATTERNS[:3])
