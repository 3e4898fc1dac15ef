"""The issue's key check: one unchanged legacy script, two ways to keep it working, the same answers.

1. original import: the real ``qcloud-image`` 1.0.0 -> the sidecar (real uvicorn) -> 2.0 emulator;
2. swapped import: :func:`compat.qcloud_image.install` -> :class:`compat.Client` -> 2.0 emulator.

The results must be equal apart from ``session_id`` (each 2.0 call has its own RequestId).
"""
from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from tests.imagefactory import EXAMPLES
from tests.sidecar_support import APPID, BUCKET, live_server

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("qcloud_image")

SCRIPT = Path(__file__).with_name("legacy_script.py")


def _load_script(module_name: str) -> Any:
    spec = importlib.util.spec_from_file_location(module_name, SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _without_session_ids(results: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    stripped = copy.deepcopy(results)
    for result in stripped:
        result.get("data", {}).pop("session_id", None)
    return stripped


@pytest.fixture(params=["iai_protocol_emulator", "iai_emulator"])
def emulator(request: pytest.FixtureRequest) -> Iterator[Any]:
    yield request.getfixturevalue(request.param)


def _run_both(emulator: Any, image_server: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    import qcloud_image.conf

    from compat import qcloud_image as swap
    from compat.server import AppKey, SidecarConfig, create_app

    arguments = (APPID, emulator.secret_id, emulator.secret_key, BUCKET, image_server, str(EXAMPLES))
    key = AppKey(APPID, emulator.secret_id, emulator.secret_key)
    with live_server(create_app(SidecarConfig(keys=[key]))) as address:
        monkeypatch.setattr(qcloud_image.conf.Conf, "_Conf__SERVICE_ADDR", address)
        original = _load_script("legacy_script_original")
        assert original.Client.__module__ == "qcloud_image.api"
        through_sidecar = original.run(*arguments)
    calls_via_sidecar = len(emulator.calls)
    swap.install()
    try:
        swapped = _load_script("legacy_script_swapped")
        assert swapped.Client is swap.Client
        through_swap = swapped.run(*arguments)
    finally:
        swap.uninstall()
    return through_sidecar, through_swap, calls_via_sidecar, len(emulator.calls) - calls_via_sidecar


def test_same_answers_through_sidecar_and_swap(emulator: Any, image_server: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    through_sidecar, through_swap, sidecar_calls, swap_calls = _run_both(emulator, image_server, monkeypatch)
    assert _without_session_ids(through_sidecar) == _without_session_ids(through_swap)
    codes = [(r["httpcode"], r["code"], r["data"].get("fail_flag")) for r in through_swap]
    assert codes == [(200, 0, None)] * 4 + [(0, -3, None), (0, -1, None), (0, -1, None), (200, -1308, None),
                                            (200, -1400, 1)]
    for result in through_sidecar[:4] + through_swap[:4]:
        assert result["data"]["session_id"]  # a real 2.0 RequestId on both paths
    assert sidecar_calls == swap_calls == 5  # four comparisons and the failed download reach 2.0


def test_the_real_engine_tells_people_apart(iai_emulator: Any, image_server: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    through_sidecar, through_swap, _, _ = _run_both(iai_emulator, image_server, monkeypatch)
    for results in (through_sidecar, through_swap):
        # obama/obama2, obama/biden, obama2/obama, biden/obama2 at the legacy "> 80" threshold
        assert [r["same_person"] for r in results[:4]] == [True, False, True, False]
