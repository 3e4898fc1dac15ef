"""The 3.0 -> legacy remap keeps the false-accept rate of a legacy threshold."""
from __future__ import annotations

import pytest

from compat.scores import THRESHOLDS, to_legacy_scale


@pytest.mark.parametrize("far", ["FAR 1/1000", "FAR 1/10000", "FAR 1/100000"])
def test_anchors_map_equal_far_points(far: str) -> None:
    assert to_legacy_scale(THRESHOLDS["3.0"][far], "3.0") == THRESHOLDS["2.0"][far]


@pytest.mark.parametrize("score, expected", [(0, 0), (20, 35), (45, 75), (55, 85), (80, 95), (100, 100)])
def test_between_anchors_is_linear(score: float, expected: float) -> None:
    assert to_legacy_scale(score, "3.0") == pytest.approx(expected)


def test_monotone_and_clamped() -> None:
    values = [to_legacy_scale(x / 2, "3.0") for x in range(-20, 221)]
    assert values == sorted(values)
    assert values[0] == 0 and values[-1] == 100


def test_model_2_scores_are_already_legacy() -> None:
    assert to_legacy_scale(83.27, "2.0") == 83.27


def test_unknown_model_version_is_not_guessed() -> None:
    with pytest.raises(KeyError):
        to_legacy_scale(50, "4.0")
