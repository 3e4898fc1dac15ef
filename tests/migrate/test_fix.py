"""``face-compat scan --fix``: the import swap, comments kept, idempotent, dry run writes nothing."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

pytest.importorskip("libcst")

from compat.migrate import scan_cli  # noqa: E402
from compat.migrate.fix import fix_source, fix_tree  # noqa: E402


@pytest.mark.parametrize(
    "before, after",
    [
        ("from qcloud_image import Client, CIUrl\n", "from compat.qcloud_image import Client, CIUrl\n"),
        ("import qcloud_image\n", "import compat.qcloud_image as qcloud_image\n"),
        ("import qcloud_image as q  # v1\n", "import compat.qcloud_image as q  # v1\n"),
        ("import os, qcloud_image\n", "import os, compat.qcloud_image as qcloud_image\n"),
        ("from qcloud_image import *\n", "from compat.qcloud_image import *\n"),
        (
            "from qcloud_image import (\n    Client,  # the client\n    CIFile,\n)\n",
            "from compat.qcloud_image import (\n    Client,  # the client\n    CIFile,\n)\n",
        ),
        ("from . import qcloud_image\n", "from . import qcloud_image\n"),
        ("import compat.qcloud_image as qcloud_image\n", "import compat.qcloud_image as qcloud_image\n"),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    fixed, _, _ = fix_source(before)
    assert fixed == after
    assert fix_source(fixed)[0] == fixed  # idempotent


def test_submodules_missing_from_the_shim_are_left_and_reported() -> None:
    source = "from qcloud_image.nowhere import thing\nimport qcloud_image.auth\n"
    fixed, rewritten, left_alone = fix_source(source)
    assert fixed == source and rewritten == 0
    assert [line for line, _ in left_alone] == [1, 2]


def test_fix_tree_diff_comments_and_idempotence(legacy_project: Path) -> None:
    faces = legacy_project / "app" / "faces.py"
    before = faces.read_text()
    report = fix_tree(str(legacy_project), progress=False)
    after = faces.read_text()
    assert "-from qcloud_image import Client, CIUrl, CIFile, CIBuffer  # the v1 SDK" in report.diff
    assert "+from compat.qcloud_image import Client, CIUrl, CIFile, CIBuffer  # the v1 SDK" in report.diff
    assert "+import compat.qcloud_image as qi" in report.diff
    # only the import line changed; comments and everything else are byte-identical
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 1 and len(before.splitlines()) == len(after.splitlines())
    assert [path for path, _ in report.unparsable] == [str(legacy_project / "app" / "old_py2.py")]
    # the virtualenv and the vendored copy are not touched
    assert "from qcloud_image import Client" in (legacy_project / "vendor" / "qcloud_image" / "__init__.py").read_text()
    second = fix_tree(str(legacy_project), progress=False)
    assert second.diff == ""


def test_cli_dry_run_prints_the_diff_and_writes_nothing(
    legacy_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faces = legacy_project / "app" / "faces.py"
    before = faces.read_text()
    parser = argparse.ArgumentParser()
    scan_cli.add_arguments(parser)
    assert scan_cli.run(parser.parse_args([str(legacy_project), "--fix", "--dry-run"])) == 0
    captured = capsys.readouterr()
    assert "+from compat.qcloud_image import" in captured.out
    assert "would rewrite 2 import(s) in 2 file(s)" in captured.err
    assert faces.read_text() == before


def test_cli_fix_writes_and_lists_what_is_left(legacy_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    scan_cli.add_arguments(parser)
    assert scan_cli.run(parser.parse_args([str(legacy_project), "--fix"])) == 0
    out = capsys.readouterr().out
    assert "+import compat.qcloud_image as qi" in out
    assert "app/faces.py:6: import" not in out  # fixed, so no longer a finding
    assert "app/faces.py:21: threshold" in out


def test_submodules_the_shim_has_are_swapped() -> None:
    pytest.importorskip("compat.qcloud_image")
    fixed, rewritten, left_alone = fix_source("from qcloud_image.type import CIUrl, CIFile\n")
    assert fixed == "from compat.qcloud_image.type import CIUrl, CIFile\n"
    assert (rewritten, left_alone) == (1, [])
