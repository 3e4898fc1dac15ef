"""The native 2.0 snippets in MIGRATION.md run, against the emulator, and agree with the shim."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Dict, List

import pytest

import compat
from compat.migrate import docs
from compat.scores import to_legacy_scale
from compat.transport import http_profile

EXAMPLES = Path(__file__).resolve().parents[2] / "compat" / "examples"
SNIPPETS = {snippet.title: snippet for snippet in docs.SNIPPETS}


@pytest.fixture
def native_namespace(
    iai_emulator: Any, image_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Dict[str, Any]:
    """What the snippets take for granted, with every IaiClient they build pointed at the emulator."""
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.iai.v20200303 import iai_client

    real_client = iai_client.IaiClient

    def local_client(credential: Any, region: str, profile: Any = None) -> Any:
        return real_client(credential, region, ClientProfile(httpProfile=http_profile(iai_emulator.endpoint, 30, None)))

    monkeypatch.setattr(iai_client, "IaiClient", local_client)
    monkeypatch.chdir(tmp_path)
    shutil.copy(str(EXAMPLES / "obama.jpg"), "a.jpg")
    shutil.copy(str(EXAMPLES / "obama2.jpg"), "b.jpg")
    accepted: List[bool] = []
    return {
        "secret_id": iai_emulator.secret_id,
        "secret_key": iai_emulator.secret_key,
        "url_a": image_server + "/obama.jpg",
        "url_b": image_server + "/obama2.jpg",
        "accept": lambda: accepted.append(True),
        "accepted": accepted,
    }


@pytest.mark.engine
def test_native_snippets_run_and_match_the_shim(native_namespace: Dict[str, Any]) -> None:
    namespace = native_namespace
    exec(SNIPPETS["Compare two URLs"].native, namespace)
    native_score = namespace["score"]
    exec(SNIPPETS["Compare a file and bytes"].native, namespace)
    assert namespace["response"].Score == pytest.approx(native_score, abs=0.01)
    exec(SNIPPETS["Decide \"same person\""].native, namespace)
    assert namespace["accepted"] == [True]

    legacy = compat.compare(namespace["url_a"], namespace["url_b"])
    assert legacy["code"] == 0
    # the shim's default answer is the same 3.0 score, remapped onto the legacy scale
    assert legacy["data"]["similarity"] == pytest.approx(to_legacy_scale(native_score, "3.0"), abs=0.01)
    assert (legacy["data"]["similarity"] > 80) is (native_score > 50)


@pytest.mark.engine
def test_native_error_handling_and_raw_http_snippets(native_namespace: Dict[str, Any], tmp_path: Path) -> None:
    import base64
    import json

    namespace = native_namespace
    exec(SNIPPETS["Compare two URLs"].native, namespace)
    exec(SNIPPETS["Raw HTTP to the v1 endpoint"].native, namespace)
    assert json.loads(namespace["body"])["Score"] == pytest.approx(namespace["score"], abs=0.01)

    # a blank picture has no face: the snippet's first branch runs
    from tests.imagefactory import encoded

    asked: List[Any] = []
    logged: List[Any] = []
    request = namespace["models"].CompareFaceRequest()
    request.ImageA = base64.b64encode(encoded("JPEG", 256, 256)).decode()
    request.ImageB = base64.b64encode((EXAMPLES / "obama.jpg").read_bytes()).decode()
    namespace.update(request=request, ask_for_another_photo=asked.append, log=lambda *a: logged.append(a))
    exec(SNIPPETS["Handle errors"].native, namespace)
    assert asked == [None] and logged == []
