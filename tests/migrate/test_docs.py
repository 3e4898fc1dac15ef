"""MIGRATION.md is generated from the code's data and cannot drift from it."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import compat.images
from compat import errors, scores
from compat.migrate import docs

MIGRATION = Path(__file__).resolve().parents[2] / "MIGRATION.md"


def test_committed_migration_md_is_the_rendering() -> None:
    assert MIGRATION.read_text(encoding="utf-8") == docs.render(), "run: python -m compat.migrate.docs"
    assert docs.main(["--check", "--output", str(MIGRATION)]) == 0


def test_check_flags_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "MIGRATION.md"
    stale.write_text("old\n")
    assert docs.main(["--check", "--output", str(stale)]) == 1
    assert docs.main(["--output", str(stale)]) == 0
    assert docs.main(["--check", "--output", str(stale)]) == 0


@pytest.mark.parametrize("tc_code", sorted(errors.ERROR_MAP["exact"]))
def test_every_mapped_2_0_code_has_its_row(tc_code: str) -> None:
    v1 = errors.ERROR_MAP["exact"][tc_code]["v1"]
    row = "| `%s` | %d (" % (tc_code, v1)
    assert row in docs.render()


@pytest.mark.parametrize("code", sorted(errors.V1_CODES))
def test_every_v1_code_has_its_row(code: int) -> None:
    assert "\n| %d | %s |" % (code, errors.V1_CODES[code]["message"]) in docs.render()


def test_threshold_table_matches_scores() -> None:
    text = docs.render()
    for label in ("FAR 1/1000", "FAR 1/10000", "FAR 1/100000"):
        three, two = scores.THRESHOLDS["3.0"][label], scores.THRESHOLDS["2.0"][label]
        assert "| %s | %g | %g | %g |" % (label, three, two, scores.to_legacy_scale(three, "3.0")) in text


def test_local_check_codes_match_the_image_checks() -> None:
    source = Path(compat.images.__file__).read_text(encoding="utf-8")
    found = {int(code) for code in re.findall(r"ImageRejected\(\s*(-?\d+)", source)}
    assert found == set(docs.LOCAL_CHECK_CODES)


@pytest.mark.parametrize("snippet", docs.SNIPPETS, ids=lambda s: s.title)
def test_snippets_are_python(snippet: docs.Snippet) -> None:
    ast.parse(snippet.legacy)
    ast.parse(snippet.native)


def test_sidecar_codes_match_the_sidecar() -> None:
    server = Path(compat.images.__file__).parent / "server"
    if not (server / "app.py").exists():
        pytest.skip("the sidecar is not part of this build")
    source = (server / "signature.py").read_text(encoding="utf-8") + (server / "app.py").read_text(encoding="utf-8")
    found = {int(code) for code in re.findall(r"Rejected\(\s*(-?\d+)", source)}
    # 3, 21 and -1301 are the sidecar's malformed-request answers, which `compare` gives as well
    assert set(docs.SIDECAR_CODES) == found - {3, 21, -1301}
