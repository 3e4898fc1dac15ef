"""Engine similarity -> 2.0 score, so the official thresholds mean what they say for the requested model.

One data table of anchors, one piecewise-linear monotone interpolation, clamped to 0..100. See README.md
for where each anchor comes from and what it cannot promise.
"""

from bisect import bisect_right
from typing import Dict, Sequence, Tuple

# (SFace cosine similarity, score for FaceModelVersion "3.0", score for "2.0").
# The 3.0 / 2.0 columns at each row are equal-FAR points of the official tables (40/70 at FAR 1e-3, 50/80 at
# FAR 1e-4, 60/90 at FAR 1e-5). 0.363 is OpenCV's published SFace cosine threshold ("same person" above it), so
# the engine's own decision boundary lands exactly on the services' "same person" thresholds (50 and 80).
SFACE_COSINE_ANCHORS: Tuple[Tuple[float, float, float], ...] = (
    (-1.0, 0.0, 0.0),
    (0.0, 10.0, 35.0),  # unrelated faces cluster around cosine 0.0-0.2 (measured 0.03-0.25 on the shared photos)
    (0.30, 40.0, 70.0),  # FAR 1e-3: estimated, one SFace impostor standard deviation below the published threshold
    (0.363, 50.0, 80.0),  # FAR 1e-4: OpenCV's published SFace operating point (cosine >= 0.363 -> same person)
    (0.43, 60.0, 90.0),  # FAR 1e-5: estimated, the same spacing above the threshold
    (1.0, 100.0, 100.0),  # the same photo
)

SCORE_COLUMN: Dict[str, int] = {"3.0": 1, "2.0": 2}


def interpolate(value: float, anchors: Sequence[Tuple[float, ...]], column: int) -> float:
    """Piecewise-linear interpolation of ``anchors[*][column]`` at ``value``, clamped to the end anchors."""
    xs = [row[0] for row in anchors]
    if value <= xs[0]:
        return float(anchors[0][column])
    if value >= xs[-1]:
        return float(anchors[-1][column])
    upper = bisect_right(xs, value)
    (x0, y0), (x1, y1) = (xs[upper - 1], anchors[upper - 1][column]), (xs[upper], anchors[upper][column])
    return y0 + (y1 - y0) * (value - x0) / (x1 - x0)


def cosine_to_score(cosine: float, face_model_version: str) -> float:
    """The 2.0 Score (two decimals, 0..100) for an SFace cosine similarity under the requested model version."""
    score = interpolate(cosine, SFACE_COSINE_ANCHORS, SCORE_COLUMN[face_model_version])
    return round(min(100.0, max(0.0, score)), 2)
