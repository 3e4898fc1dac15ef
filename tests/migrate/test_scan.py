"""``face-compat scan``: every call site of the legacy project, nothing from virtualenvs or vendored code."""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import List, Set, Tuple

import pytest

from compat.migrate import scan_cli
from compat.migrate.scan import Finding, native_threshold, scan, scan_python, threshold_suggestion
from compat.scores import to_legacy_scale

EXPECTED: Set[Tuple[str, int, str]] = {
    ("app/faces.py", 6, "import"),
    ("app/faces.py", 20, "face_compare"),
    ("app/faces.py", 21, "threshold"),
    ("app/faces.py", 23, "v1-code"),
    ("app/faces.py", 25, "fail_flag-read"),
    ("app/faces.py", 30, "face_compare"),
    ("app/legacy_http.py", 3, "import"),
    ("app/legacy_http.py", 6, "endpoint"),
    ("app/legacy_http.py", 10, "http-call"),
    ("app/legacy_http.py", 13, "similarity-read"),
    ("app/legacy_http.py", 14, "v1-code"),
    ("app/legacy_http.py", 16, "threshold"),
    ("app/legacy_http.py", 19, "v1-code"),
    ("app/old_py2.py", 2, "import"),
    ("app/old_py2.py", 5, "face_compare"),
    ("requirements.txt", 2, "dependency"),
}


def _keys(findings: List[Finding], root: Path) -> Set[Tuple[str, int, str]]:
    return {(Path(os.path.relpath(f.path, str(root))).as_posix(), f.line, f.kind) for f in findings}


def test_scan_finds_every_call_site_and_skips_venvs_and_vendor(legacy_project: Path) -> None:
    findings = scan(str(legacy_project), progress=False)
    assert _keys(findings, legacy_project) == EXPECTED
    assert all(f.snippet and f.suggestion for f in findings)


def test_fixable_flags_only_the_imports_libcst_can_rewrite(legacy_project: Path) -> None:
    fixable = {key for f in scan(str(legacy_project)) if f.fixable for key in _keys([f], legacy_project)}
    assert fixable == {("app/faces.py", 6, "import"), ("app/legacy_http.py", 3, "import")}


def test_threshold_suggestion_names_the_native_equivalent() -> None:
    text = threshold_suggestion(">", 80)
    assert "`> 80` keeps FAR 1/10000" in text
    assert "`Score > 50` with FaceModelVersion \"3.0\"" in text


@pytest.mark.parametrize("legacy", [0, 35, 70, 75, 80, 85, 90, 95, 100])
def test_native_threshold_inverts_the_shims_remap(legacy: float) -> None:
    assert to_legacy_scale(native_threshold(legacy), "3.0") == pytest.approx(legacy, abs=0.1)


@pytest.mark.parametrize(
    "source, kinds",
    [
        ("if 80 < r['data']['similarity']: pass", {"threshold"}),
        ("s = r['data'].get('similarity')\nok = s >= 90", {"similarity-read", "threshold"}),
        ("if ret_code not in [-1101, 21]: pass", {"v1-code"}),
        ("if result['code'] == 0: pass", set()),
        ("if err.code == 14: pass", {"v1-code"}),
        ("if count == 14: pass", set()),
        ("urllib.request.urlopen('https://service.image.myqcloud.com/face/compare', data)", {"http-call"}),
        ("u = f'http://{host}/face/compare'", {"endpoint"}),
        ("# requests.post('http://recognition.image.myqcloud.com/face/compare')", set()),
        ("install_requires = ['qcloud-image>=1.0']", {"dependency"}),
        ("from qcloud_image.nowhere import thing", {"import"}),
    ],
)
def test_python_pass_patterns(source: str, kinds: Set[str]) -> None:
    found = scan_python("x.py", source.encode())
    assert found is not None
    assert {f.kind for f in found} == kinds


def test_submodule_the_shim_lacks_is_reported_not_fixable() -> None:
    found = scan_python("x.py", b"from qcloud_image.nowhere import thing\n")
    assert found is not None and not found[0].fixable
    assert "no counterpart" in found[0].suggestion


def test_cli_json_and_exit_codes(legacy_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    scan_cli.add_arguments(parser)
    assert scan_cli.run(parser.parse_args([str(legacy_project), "--json"])) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"path", "line", "kind", "snippet", "suggestion"} <= set(rows[0])
    assert len(rows) == len(EXPECTED)
    assert scan_cli.run(parser.parse_args([str(legacy_project), "--fail-on-findings"])) == 1
    out = capsys.readouterr().out
    assert "app/faces.py:21: threshold: score semantics" in out


def test_fail_on_findings_passes_a_clean_tree(tmp_path: Path) -> None:
    (tmp_path / "clean.py").write_text("print('nothing legacy here')\n")
    parser = argparse.ArgumentParser()
    scan_cli.add_arguments(parser)
    assert scan_cli.run(parser.parse_args([str(tmp_path), "--fail-on-findings"])) == 0


def test_progress_bar_only_on_big_trees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for index in range(5):
        (tmp_path / ("m%d.py" % index)).write_text("x = 1\n")
    scan(str(tmp_path))  # stderr is not a terminal under pytest: no bar
    assert capsys.readouterr().err == ""
    scan(str(tmp_path), progress=True)
    assert "5/5 files" in capsys.readouterr().err


def test_endpoint_names_are_scoped_to_their_function() -> None:
    source = b"""
def compare(a, b):
    url = build_url('/face/compare')
    return post(url, a, b)

def detect(p):
    url = build_url('/detection/pornDetect')
    return post(url, p)
"""
    found = scan_python("x.py", source)
    assert found is not None
    assert [(f.line, f.kind) for f in found] == [(3, "http-call"), (4, "http-call")]


def test_cli_entry_point(legacy_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from compat.cli import main

    assert main(["scan", str(legacy_project), "--fail-on-findings"]) == 1
    assert "app/legacy_http.py:10: http-call" in capsys.readouterr().out


@pytest.mark.parametrize(
    "source",
    [
        '"""Talks to http://recognition.image.myqcloud.com/face/compare."""\n',
        "def f():\n    'qcloud-image docs'\n",
        "assert result['data']['similarity'] == 100.0\n",
    ],
)
def test_not_call_sites(source: str) -> None:
    found = scan_python("x.py", source.encode())
    assert found is not None
    assert {f.kind for f in found} <= {"similarity-read"}


def test_text_pass_on_unparsable_python() -> None:
    from compat.migrate.scan import scan_text

    source = 'print "legacy"\nimport compat.qcloud_image as qcloud_image\nfrom qcloud_image import Client\n'
    assert [(f.line, f.kind) for f in scan_text("old.py", source)] == [(3, "import")]
