"""``compat.qcloud_image`` against the real ``qcloud-image`` 1.0.0: same names, same client-side answers."""
from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Callable, List, Tuple

import pytest

import compat.qcloud_image as swap
from compat.qcloud_image.unsupported import UNSUPPORTED_METHODS
from tests.imagefactory import BIDEN, OBAMA

SUPPORTED = {"face_compare", "use_http", "use_https", "set_timeout"}


@pytest.fixture(scope="module")
def original() -> Any:
    module = pytest.importorskip("qcloud_image")
    assert module.Client.__module__ == "qcloud_image.api"
    return module


def test_public_names_and_type_bases_match(original: Any) -> None:
    for name in ("Client", "Auth", "CIUrl", "CIFile", "CIBuffer", "CIUrls", "CIFiles", "CIBuffers"):
        assert hasattr(swap, name), name
    for name in ("CIUrl", "CIFile", "CIBuffer", "CIUrls", "CIFiles", "CIBuffers"):
        assert getattr(swap, name).__bases__ == getattr(original, name).__bases__
    assert swap.__version__ == original.__version__
    for method in ("__init__", "face_compare", "use_http", "use_https", "set_timeout"):
        ours, theirs = inspect.signature(getattr(swap.Client, method)), inspect.signature(getattr(original.Client,
                                                                                                   method))
        assert list(ours.parameters) == list(theirs.parameters), method  # keyword calls keep working


def test_every_other_public_method_is_listed(original: Any) -> None:
    public = {name for name, _ in inspect.getmembers(original.Client, inspect.isfunction) if not name.startswith("_")}
    assert {name for name, _ in UNSUPPORTED_METHODS} == public - SUPPORTED


@pytest.mark.parametrize("name, replacement", UNSUPPORTED_METHODS)
def test_unsupported_methods_answer_v1_shaped_errors(name: str, replacement: str) -> None:
    result = getattr(swap.Client(1, "id", "key", "b"), name)(swap.CIUrl("http://127.0.0.1:1/a.jpg"), mode=1)
    assert result == {"httpcode": 0, "code": -1, "message": result["message"], "data": {}}
    assert name in result["message"] and "not supported" in result["message"] and replacement in result["message"]


def _client_side_cases(types: Any, tmp_path: Path) -> List[Tuple[Any, Any]]:
    return [
        ("http://127.0.0.1:1/plain-str.jpg", types.CIUrl("http://127.0.0.1:1/b.jpg")),
        (types.CIUrl("http://127.0.0.1:1/a.jpg"), b"plain bytes"),
        (types.CIUrls(["http://127.0.0.1:1/a.jpg"]), types.CIUrl("http://127.0.0.1:1/b.jpg")),
        (types.CIFiles([str(OBAMA)]), types.CIFile(str(BIDEN))),
        (types.CIFile(str(OBAMA)), types.CIBuffers([b"x"])),
        (None, types.CIFile(str(BIDEN))),
        (types.CIUrl(""), types.CIFile(str(BIDEN))),
        (types.CIFile(str(OBAMA)), types.CIBuffer(b"")),
        (types.CIFile(""), types.CIFile("")),
        (types.CIFile(str(tmp_path / "missing.jpg")), types.CIFile(str(BIDEN))),
        (types.CIFile(str(OBAMA)), types.CIFile(str(tmp_path / "missing.jpg"))),
        (types.CIFile(str(tmp_path)), types.CIFile(str(BIDEN))),
        (types.CIFile("relative-missing.jpg"), types.CIUrl("http://127.0.0.1:1/b.jpg")),
        (types.CIFile(str(tmp_path / "missing.jpg")), "wrong type is checked before the file"),
    ]


def test_client_side_errors_are_the_originals(original: Any, tmp_path: Path) -> None:
    legacy = original.Client(1250000000, "id", "key", "b")
    shim = swap.Client(1250000000, "id", "key", "b")
    expected = [legacy.face_compare(a, b) for a, b in _client_side_cases(original, tmp_path)]
    answered = [shim.face_compare(a, b) for a, b in _client_side_cases(swap, tmp_path)]
    assert answered == expected
    assert {r["code"] for r in expected} == {-1, -3}


def test_the_originals_types_are_accepted_too(original: Any, iai_protocol_emulator: Any) -> None:
    shim = swap.Client(1250000000, iai_protocol_emulator.secret_id, iai_protocol_emulator.secret_key, "b")
    result = shim.face_compare(original.CIFile(str(OBAMA)), original.CIBuffer(BIDEN.read_bytes()))
    assert (result["httpcode"], result["code"]) == (200, 0)


def test_face_compare_answers_through_2_0(iai_protocol_emulator: Any, image_server: str) -> None:
    shim = swap.Client(1250000000, iai_protocol_emulator.secret_id, iai_protocol_emulator.secret_key, "b")
    iai_protocol_emulator.queue_score(77.0, face_model_version="2.0")
    result = shim.face_compare(swap.CIUrl(image_server + "/obama.jpg"), swap.CIFile(str(BIDEN)))
    assert result["httpcode"] == 200 and result["code"] == 0 and set(result) == {"httpcode", "code", "message",
                                                                                   "data"}
    [call] = iai_protocol_emulator.calls
    assert call["params"]["UrlA"] == image_server + "/obama.jpg" and "ImageB" in call["params"]
    iai_protocol_emulator.queue_error("AuthFailure.SignatureFailure")
    failure = shim.face_compare(swap.CIBuffer(OBAMA.read_bytes()), swap.CIFile(str(BIDEN)))
    assert (failure["httpcode"], failure["code"]) == (200, 14) and failure["data"]["session_id"]


def test_the_client_keys_sign_2_0(iai_protocol_emulator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "environment keys must not be used")
    wrong = swap.Client(1250000000, iai_protocol_emulator.secret_id, "not-the-key", "b")
    assert wrong.face_compare(swap.CIFile(str(OBAMA)), swap.CIFile(str(BIDEN)))["code"] == 14


def test_timeout_passes_through(iai_protocol_emulator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    built: List[Any] = []
    import compat

    real_client: Callable[..., Any] = compat.Client

    def spy(*args: Any, **kwargs: Any) -> Any:
        built.append((args, kwargs))
        return real_client(*args, **kwargs)

    monkeypatch.setattr(compat, "Client", spy)
    shim = swap.Client(1, iai_protocol_emulator.secret_id, iai_protocol_emulator.secret_key, "b")
    shim.use_https()
    shim.face_compare(swap.CIFile(str(OBAMA)), swap.CIFile(str(BIDEN)))
    shim.face_compare(swap.CIFile(str(OBAMA)), swap.CIFile(str(BIDEN)))  # built once, then reused
    shim.set_timeout(0)  # ignored, as in the original
    shim.set_timeout(7)
    shim.face_compare(swap.CIFile(str(OBAMA)), swap.CIFile(str(BIDEN)))
    assert [call[1]["timeout"] for call in built] == [None, 7.0]
    assert built[0][0] == (iai_protocol_emulator.secret_id, iai_protocol_emulator.secret_key)


def test_a_slow_2_0_answer_times_out_as_a_v1_code(iai_protocol_emulator: Any) -> None:
    shim = swap.Client(1, iai_protocol_emulator.secret_id, iai_protocol_emulator.secret_key, "b")
    shim.set_timeout(0.3)
    iai_protocol_emulator.queue_fault("delay", seconds=1.5, times=5)
    result = shim.face_compare(swap.CIFile(str(OBAMA)), swap.CIFile(str(BIDEN)))
    assert (result["httpcode"], result["code"]) == (200, 213)
