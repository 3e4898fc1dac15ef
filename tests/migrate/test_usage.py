"""The deprecation path: one warning per call site, counts merged across processes, ``face-compat report``."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Iterator

import pytest

from compat.migrate import report_cli, usage
from compat.migrate.usage import FaceCompatDeprecationWarning


@pytest.fixture
def deprecations(tmp_path: Path) -> Iterator[Path]:
    """The deprecation path enabled, writing to a fresh usage file; disabled and forgotten afterwards."""
    usage_file = tmp_path / "usage.json"
    usage.reset()
    usage.enable(usage_file=str(usage_file))
    yield usage_file
    usage.disable()
    usage.reset()


def _legacy_call_site() -> None:
    usage.note_call()


def test_disabled_by_default_costs_nothing() -> None:
    assert not usage.is_enabled()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        usage.note_call()
    assert caught == [] and usage.counts() == {}


def test_warns_once_per_call_site_and_counts_every_call(deprecations: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            _legacy_call_site()
        usage.note_call()
    assert [w.category for w in caught] == [FaceCompatDeprecationWarning] * 2
    assert issubclass(FaceCompatDeprecationWarning, DeprecationWarning)
    # each warning points at the caller's line, not into compat
    assert {Path(w.filename).name for w in caught} == {"test_usage.py"}
    assert sorted(usage.counts().values()) == [1, 3]


def test_counts_reach_the_file_and_report_prints_them(
    deprecations: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(4):
            _legacy_call_site()
        usage.note_call()
    usage.flush()
    sites = usage.load(str(deprecations))
    assert sorted(row["count"] for row in sites.values()) == [1, 4]
    assert any(row.get("code") == "usage.note_call()" for row in sites.values())

    parser = argparse.ArgumentParser()
    report_cli.add_arguments(parser)
    assert report_cli.run(parser.parse_args(["--usage-file", str(deprecations)])) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[0] == "4"  # most used first
    assert lines[-1].split()[:2] == ["5", "total,"] and "2 call site(s) left" in lines[-1]

    assert report_cli.run(parser.parse_args(["--usage-file", str(deprecations), "--json"])) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["total"] == 5 and [s["count"] for s in document["sites"]] == [4, 1]


def test_processes_add_up(tmp_path: Path) -> None:
    usage_file = tmp_path / "usage.json"
    script = tmp_path / "legacy_job.py"
    script.write_text(
        textwrap.dedent(
            """
            from compat.migrate import usage
            for _ in range(50):
                usage.note_call()
            """
        )
    )
    env = dict(os.environ, FACE_COMPAT_DEPRECATIONS="1", FACE_COMPAT_USAGE_FILE=str(usage_file))
    jobs = [subprocess.Popen([sys.executable, "-W", "ignore", str(script)], env=env) for _ in range(4)]
    assert [job.wait(60) for job in jobs] == [0] * 4
    sites = usage.load(str(usage_file))
    assert list(sites.values())[0]["count"] == 200
    assert list(sites) == ["%s:4" % script]


def test_a_damaged_file_is_set_aside_not_fatal(deprecations: Path) -> None:
    deprecations.write_text("{not json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _legacy_call_site()
    usage.flush()
    assert list(usage.load(str(deprecations)).values())[0]["count"] == 1
    assert list(deprecations.parent.glob("usage.json.corrupt-*"))


def test_report_without_a_file_says_how_to_get_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(usage.ENV_USAGE_FILE, raising=False)
    parser = argparse.ArgumentParser()
    report_cli.add_arguments(parser)
    assert report_cli.run(parser.parse_args([])) == 2
    assert "FACE_COMPAT_DEPRECATIONS=1" in capsys.readouterr().err
    assert report_cli.run(parser.parse_args(["--usage-file", str(tmp_path / "none.json")])) == 1


def test_client_compare_reports_the_legacy_caller(deprecations: Path) -> None:
    import compat

    # nothing listens on port 9: the call fails fast with a v1 code, which is all this test needs
    client = compat.Client("AKIDtest", "secret", endpoint="http://127.0.0.1:9", retries=0, timeout=2)

    def legacy_check() -> int:
        return int(client.compare("http://127.0.0.1:9/a.jpg", "http://127.0.0.1:9/b.jpg")["code"])

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        codes = [legacy_check() for _ in range(3)]
    assert all(code != 0 for code in codes)
    ours = [w for w in caught if w.category is FaceCompatDeprecationWarning]  # "always" also lets the SDK's through
    assert len(ours) == 1
    assert ours[0].filename == __file__
    site, count = next(iter(usage.counts().items()))
    assert count == 3 and site.startswith(__file__ + ":")


def test_calls_forwarded_by_the_sidecar_are_one_site(deprecations: Path) -> None:
    import compat

    # code compiled under compat/server/ stands in for the sidecar's request handler
    handler = compile("usage.note_call()", os.path.join(os.path.dirname(compat.__file__), "server", "app.py"), "exec")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            exec(handler, {"usage": usage})
    assert usage.counts() == {usage.SIDECAR_SITE: 2}
    assert len(caught) == 1 and usage.SIDECAR_SITE in str(caught[0].message)
