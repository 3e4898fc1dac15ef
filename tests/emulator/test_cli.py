"""``face-compat emulate`` (compat/emulator/cli.py), run as a real foreground process."""

import argparse
import signal
import subprocess
import sys
import time

from .helpers import compare_request, png_bytes, sdk_client


def test_add_arguments_defaults():
    from compat.emulator import cli

    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args([])
    assert (args.host, args.port, args.engine) == ("127.0.0.1", 9000, "sface")
    assert (args.secret_id, args.secret_key) == ("face-compat-local-id", "face-compat-local-key")
    assert args.certfile is None and args.keyfile is None
    assert cli.HELP


def test_runs_in_foreground_prints_exports_and_stops_on_sigterm():
    process = subprocess.Popen(
        [sys.executable, "-m", "compat.emulator.cli", "--port", "0", "--engine", "constant", "--secret-id", "cli-id",
         "--secret-key", "cli-key"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 30
        while not any(line.startswith("export TENCENTCLOUD_SECRET_KEY") for line in lines):
            assert time.monotonic() < deadline, lines
            line = process.stdout.readline()
            assert line, process.stderr.read()
            lines.append(line.strip())
        endpoint = next(line.split("=", 1)[1] for line in lines if line.startswith("export FACE_COMPAT_ENDPOINT="))
        assert "export TENCENTCLOUD_SECRET_ID=cli-id" in lines

        class Target:
            pass

        target = Target()
        target.endpoint, target.secret_id, target.secret_key = endpoint, "cli-id", "cli-key"
        png = png_bytes(64, 64)
        assert sdk_client(target).CompareFace(compare_request(png, png)).Score == 88.0
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
