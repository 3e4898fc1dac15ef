"""Tried as a new user would: scan, --fix, then the legacy project runs through the shim against the emulator."""
from __future__ import annotations

import importlib.util
import os
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from compat.migrate import usage
from compat.migrate.fix import fix_tree

EXAMPLES = Path(__file__).resolve().parents[2] / "compat" / "examples"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, str(path))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def emulator(request: pytest.FixtureRequest) -> Any:
    pytest.importorskip("compat.qcloud_image", reason="the import swap (compat.qcloud_image) has not landed")
    try:
        return request.getfixturevalue("iai_emulator")
    except pytest.FixtureLookupError:
        pytest.skip("the iai_emulator fixture (compat.emulator.pytest_plugin) is not available")


@pytest.mark.engine
def test_fixed_legacy_project_runs_through_the_shim(
    legacy_project: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    report = fix_tree(str(legacy_project), progress=False)
    assert "+from compat.qcloud_image import Client, CIUrl, CIFile, CIBuffer  # the v1 SDK" in report.diff

    monkeypatch.setenv("FACE_COMPAT_ENDPOINT", emulator.endpoint)
    monkeypatch.setenv("LEGACY_SECRET_ID", emulator.secret_id)
    monkeypatch.setenv("LEGACY_SECRET_KEY", emulator.secret_key)
    faces = _load(legacy_project / "app" / "faces.py", "legacy_faces_fixed")
    client = faces.make_client()

    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes((EXAMPLES / "obama.jpg").read_bytes()[:2000])
    usage.reset()
    usage.enable(usage_file=str(tmp_path / "usage.json"))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert faces.same_person(client, str(EXAMPLES / "obama.jpg"), str(EXAMPLES / "obama2.jpg")) is True
            assert faces.same_person(client, str(EXAMPLES / "obama.jpg"), str(EXAMPLES / "biden.jpg")) is False
            assert faces.same_person(client, str(truncated), str(EXAMPLES / "biden.jpg")) == "bad image 1"
    finally:
        usage.disable()
    # one call site in the legacy file (line 20, the face_compare call), warned once, counted three times
    legacy_warnings = [w for w in caught if w.category is usage.FaceCompatDeprecationWarning]
    assert [(os.path.basename(w.filename), w.lineno) for w in legacy_warnings] == [("faces.py", 20)]
    assert list(usage.counts().values()) == [3]
    usage.reset()
