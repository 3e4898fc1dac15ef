"""Score scales: what a 2.0 ``Score`` means for each ``FaceModelVersion``, and the remap onto the legacy scale.

Legacy code thresholds v1's ``similarity`` (typically ``> 80``). 2.0 model "2.0" scores sit on that
scale (70/80/90 at FAR 1e-3/1e-4/1e-5); model "3.0" scores do not (40/50/60 at the same rates).
:func:`to_legacy_scale` maps a 3.0 score piecewise-linearly through the equal-FAR anchors, so a
legacy ``similarity > T`` keeps its false-accept rate while the account uses the stronger model.
"""
from __future__ import annotations

from typing import Dict, Sequence, Tuple

#: Official "score at false-accept rate" table (Tencent's CompareFace documentation).
THRESHOLDS: Dict[str, Dict[str, float]] = {
    "3.0": {"FAR 1/1000": 40.0, "FAR 1/10000": 50.0, "FAR 1/100000": 60.0, "same person above": 50.0},
    "2.0": {"FAR 1/1000": 70.0, "FAR 1/10000": 80.0, "FAR 1/100000": 90.0, "same person above": 80.0},
}

LEGACY_MODEL_VERSION = "2.0"

#: (native score, legacy-scale score) points; the ends pin 0 -> 0 and 100 -> 100.
ANCHORS: Dict[str, Tuple[Tuple[float, float], ...]] = {
    version: ((0.0, 0.0),)
    + tuple(
        (row[far], THRESHOLDS[LEGACY_MODEL_VERSION][far]) for far in ("FAR 1/1000", "FAR 1/10000", "FAR 1/100000")
    )
    + ((100.0, 100.0),)
    for version, row in THRESHOLDS.items()
}


def _interpolate(points: Sequence[Tuple[float, float]], x: float) -> float:
    x = min(max(x, points[0][0]), points[-1][0])
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]  # pragma: no cover - x is clamped to the last point above


def to_legacy_scale(score: float, model_version: str) -> float:
    """Map a 2.0 ``Score`` of ``model_version`` onto the legacy (model 2.0 / v1) scale.

    Scores of model "2.0" are already on that scale and come back unchanged; an unknown version
    raises ``KeyError`` rather than guess.
    """
    if model_version == LEGACY_MODEL_VERSION:
        return score
    return round(_interpolate(ANCHORS[model_version], score), 2)
