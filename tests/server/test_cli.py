"""``face-compat serve`` as a user runs it: a subprocess that serves, answers, and stops cleanly on SIGTERM."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from compat.cli import main
from compat.server.signature import AppKey, sign
from tests.imagefactory import BIDEN, OBAMA
from tests.sidecar_support import APPID, BUCKET, free_port


def test_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--appid", "--bucket", "--redis", "--max-body-bytes", "--keys"):
        assert option in out


def test_refuses_to_start_without_keys(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("TENCENTCLOUD_SECRET_ID", raising=False)
    monkeypatch.delenv("TENCENTCLOUD_SECRET_KEY", raising=False)
    assert main(["serve", "--appid", APPID]) == 2
    assert "TENCENTCLOUD_SECRET_ID" in capsys.readouterr().err
    assert main(["serve"]) == 2


def test_serves_then_stops_gracefully(iai_protocol_emulator: Any, tmp_path: Path) -> None:
    port = free_port()
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps([{"appid": "1250000001", "secret_id": "AKIDsecond", "secret_key": "k2"}]))
    process = subprocess.Popen(
        [sys.executable, "-m", "compat.cli", "serve", "--port", str(port), "--appid", APPID, "--bucket", BUCKET,
         "--keys", str(keys_file), "--log-level", "info"],
        env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = "http://127.0.0.1:%d" % port
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "sidecar did not start"
            time.sleep(0.1)
        key = AppKey(APPID, iai_protocol_emulator.secret_id, iai_protocol_emulator.secret_key)
        files = {"imageA": ("a.jpg", OBAMA.read_bytes()), "imageB": ("b.jpg", BIDEN.read_bytes())}
        reply = requests.post(base + "/face/compare", files=files, data={"appid": APPID, "bucket": BUCKET},
                              headers={"Authorization": sign(key, BUCKET, expiry=int(time.time()) + 30)}, timeout=10)
        assert reply.json()["code"] == 0
        second = AppKey("1250000001", "AKIDsecond", "k2")
        other = requests.post(base + "/face/compare", json={"appid": "1250000001", "urlA": "x", "urlB": "y"},
                              headers={"Authorization": sign(second, expiry=int(time.time()) + 30)}, timeout=10)
        assert other.json()["code"] == 21  # verified for the second appid; the URLs are what is wrong
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    # uvicorn finishes the shutdown, then (newer versions) re-raises the signal it caught
    assert process.returncode in (0, -signal.SIGTERM), output
    assert "Application shutdown complete" in output
    assert "appid=%s" % APPID in output and iai_protocol_emulator.secret_key not in output
