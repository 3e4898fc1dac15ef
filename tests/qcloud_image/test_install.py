"""The opt-in that makes an unchanged ``import qcloud_image`` resolve to the shim, in fresh interpreters.

The real ``qcloud-image`` 1.0.0 is installed beside it: with the opt-in off it must be what
``import qcloud_image`` finds, and with the opt-in on it must not even be imported.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

from tests.imagefactory import EXAMPLES
from tests.sidecar_support import APPID, BUCKET

pytest.importorskip("qcloud_image")

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("legacy_script.py")


def _python(args: List[str], env: Dict[str, str]) -> str:
    done = subprocess.run([sys.executable, *args], cwd=str(ROOT), env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _env() -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env


PROBE = (
    "import sys, qcloud_image, qcloud_image.type; "
    "print(qcloud_image.Client.__module__, qcloud_image.type.CIUrl.__module__, "
    "'qcloud_image.api' in sys.modules and sys.modules['qcloud_image.api'].__name__)"
)


def test_without_the_opt_in_the_original_is_imported() -> None:
    assert _python(["-c", PROBE], _env()).split() == ["qcloud_image.api", "qcloud_image.type", "qcloud_image.api"]


def test_install_swaps_and_uninstall_restores() -> None:
    code = (
        "import qcloud_image as before, compat.qcloud_image as swap; swap.install(); swap.install(); "
        "import qcloud_image, qcloud_image.type, qcloud_image.api; "
        "assert qcloud_image is swap and qcloud_image.type.CIUrl is swap.CIUrl and qcloud_image.api is swap.api; "
        "from qcloud_image import Client; assert Client is swap.Client; "
        "swap.uninstall(); import qcloud_image as after, qcloud_image.api; "
        "assert after is before and qcloud_image.api.Client is before.Client and not swap.installed(); print('ok')"
    )
    assert _python(["-c", code], _env()).strip() == "ok"


def test_install_before_any_import_never_loads_the_original() -> None:
    code = (
        "import sys, compat.qcloud_image as swap; swap.install(); "
        "from qcloud_image import Client, CIFile; import qcloud_image.error; "
        "print(Client.__module__, sorted(n for n, m in sys.modules.items() "
        "if n.startswith('qcloud_image') and not m.__name__.startswith('compat.')))"
    )
    assert _python(["-c", code], _env()).strip() == "compat.qcloud_image.api []"


def _runner_results(args: List[str], emulator: Any, image_server: str) -> Any:
    script_args = [APPID, emulator.secret_id, emulator.secret_key, BUCKET, image_server, str(EXAMPLES)]
    return json.loads(_python(["-m", "compat.qcloud_image.run", *args, *script_args], _env()))


@pytest.mark.parametrize("form", ["script", "module"])
def test_the_runner_swaps_an_unchanged_script(form: str, iai_protocol_emulator: Any, image_server: str) -> None:
    args = [str(SCRIPT)] if form == "script" else ["-m", "tests.qcloud_image.legacy_script"]
    output = _runner_results(args, iai_protocol_emulator, image_server)
    assert output["client"] == "compat.qcloud_image.api"
    assert [r["code"] for r in output["results"]] == [0, 0, 0, 0, -3, -1, -1, -1308, -1400]
    assert len(iai_protocol_emulator.calls) == 5


def test_the_runner_without_arguments_prints_usage() -> None:
    done = subprocess.run([sys.executable, "-m", "compat.qcloud_image.run"], cwd=str(ROOT), env=_env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "usage:" in done.stderr


def test_legacy_conf_tweaks_keep_running_under_the_swap(iai_protocol_emulator: Any, image_server: str) -> None:
    """Code that re-pointed the original with ``Conf._Conf__SERVICE_ADDR`` must not break on the swap."""
    code = (
        "import json, compat.qcloud_image as swap; swap.install(); "
        "from qcloud_image.conf import Conf; from qcloud_image import Client, CIUrl; "
        "Conf._Conf__SERVICE_ADDR = '127.0.0.1:1'; conf = Conf(); conf.use_https(); conf.set_timeout(5); "
        "assert conf.build_url('/face/compare') == 'https://127.0.0.1:1/face/compare' and conf.timeout() == 5; "
        "client = Client(%r, %r, %r, %r); "
        "print(json.dumps(client.face_compare(CIUrl(%r), CIUrl(%r))))"
        % (APPID, iai_protocol_emulator.secret_id, iai_protocol_emulator.secret_key, BUCKET,
           image_server + "/obama.jpg", image_server + "/obama2.jpg")
    )
    result = json.loads(_python(["-c", code], _env()))
    assert (result["httpcode"], result["code"]) == (200, 0)


def test_the_conf_mirror_matches_the_original() -> None:
    original = pytest.importorskip("qcloud_image.conf").Conf
    from compat.qcloud_image.conf import Conf

    public = {name for name in vars(original) if not name.startswith("__")}
    assert public <= set(vars(Conf)), public - set(vars(Conf))
    assert Conf().build_url("face/compare") == original().build_url("face/compare")
    assert Conf.get_ua("1250000000") == original.get_ua("1250000000")
