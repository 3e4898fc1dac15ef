"""Property-based: whatever ``compare`` or the sidecar is handed, the answer is a v1-shaped dict, never a traceback
or a 500; and the shim's hand-built request body is exactly the JSON ``json.dumps`` would give."""
from __future__ import annotations

import json
import os
from typing import Any, Dict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compat import Client
from compat.emulator import Emulator
from compat.errors import V1_CODES
from compat.images import Base64Image
from compat.transport import json_body
from tests.imagefactory import OBAMA2, encoded

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SMALL_VALID = encoded("JPEG", 96, 96)

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.binary(max_size=64))
nested = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5),
                                                                                         inner, max_size=3),
                      max_leaves=6)
image_like = st.one_of(
    nested,
    st.sampled_from([SMALL_VALID, SMALL_VALID[:50], b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM" + b"\0" * 30,
                     str(OBAMA2), "/no/such/file.jpg", "/", "", os.devnull]),
    st.binary(max_size=300).map(lambda tail: b"\xff\xd8\xff\xe0" + tail),
    st.binary(max_size=300).map(lambda tail: b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + tail),
)
url_like = st.one_of(nested, st.sampled_from(["http://127.0.0.1:9/a.jpg", "https://", "ftp://x/y", "http://a b/",
                                              "http://127.0.0.1:9/" + "x" * 3000]))
option_names = st.sampled_from(["FaceModelVersion", "QualityControl", "NeedRotateDetection", "FaceMatchingStrategy",
                                "score_scale", "probe_failed_image", "colour", "raise_errors_x"])
options = st.dictionaries(option_names, st.one_of(scalars, st.sampled_from(["2.0", "3.0", 0, 1, 2, "native"])),
                          max_size=3)


def assert_v1_shaped(result: Any) -> None:
    assert isinstance(result, dict) and set(result) == {"data", "code", "message"}, result
    assert isinstance(result["code"], int) and result["code"] in V1_CODES, result
    assert isinstance(result["message"], str)
    assert set(result["data"]) <= {"similarity", "session_id", "fail_flag"}, result
    json.dumps(result)


@pytest.fixture
def client(iai_protocol_emulator: Emulator) -> Client:
    # Nothing valid reaches 2.0 here except by luck; an unreachable endpoint keeps every case local and fast.
    return Client("id", "key", endpoint="http://127.0.0.1:9", retries=0, timeout=1)


@SETTINGS
@given(url_a=st.one_of(st.none(), url_like), url_b=st.one_of(st.none(), url_like),
       image_a=st.one_of(st.none(), image_like), image_b=st.one_of(st.none(), image_like),
       appid=scalars, extra=options)
def test_compare_always_answers_v1(client: Client, url_a: Any, url_b: Any, image_a: Any, image_b: Any, appid: Any,
                                   extra: Dict[str, Any]) -> None:
    assert_v1_shaped(client.compare(url_a, url_b, imageA=image_a, imageB=image_b, appid=appid, **extra))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3), max_leaves=8)


@SETTINGS
@given(fields=st.dictionaries(st.text(), json_values, max_size=4), images=st.lists(st.binary(max_size=700_000),
                                                                                    max_size=2))
def test_hand_built_body_is_what_json_dumps_gives(fields: Dict[str, Any], images: Any) -> None:
    params: Dict[str, Any] = dict(fields)
    expected: Dict[str, Any] = dict(fields)
    for index, raw in enumerate(images):
        params["Image%d" % index] = Base64Image(raw)
        expected["Image%d" % index] = Base64Image(raw).text()
    assert bytes(json_body(params)) == json.dumps(expected).encode("ascii")
