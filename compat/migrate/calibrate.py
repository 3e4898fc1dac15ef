"""``face-compat calibrate``: how legacy thresholds behave on your own labelled pairs.

Each pair runs through the shim exactly as legacy code would call it, so the scores are on the scale
legacy code thresholds (model 3.0 remapped, or model 2.0 pinned). For each legacy threshold (70, 80, 90:
the published FAR 1/1000, 1/10000, 1/100000 points) this counts false accepts among different-person pairs
and false rejects among same-person pairs, and recommends the threshold that makes the fewest mistakes on
these pairs. A pair counts as "same person" when ``similarity > threshold``, as in the legacy ``> 80`` check.

The CSV has three columns: image A, image B (file path, relative to the CSV's folder or absolute, or an
http(s) URL) and a label (``1``/``0``, ``true``/``false``, ``same``/``different``, ``yes``/``no``). A header
row is recognised and skipped; blank lines and lines starting with ``#`` are ignored. Rows that cannot be
scored (a bad row, an unreadable image, a 2.0 error) are reported with their v1 code, never dropped
silently.
"""
from __future__ import annotations

import csv
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from compat import scores

V1Compare = Callable[..., Dict[str, Any]]

#: The legacy-scale thresholds that mean FAR 1/1000, 1/10000, 1/100000.
LEGACY_THRESHOLDS: Tuple[float, ...] = tuple(
    value for label, value in scores.THRESHOLDS[scores.LEGACY_MODEL_VERSION].items() if label.startswith("FAR")
)
#: Ties between candidate thresholds go to the one nearest the official "same person" threshold.
OFFICIAL_THRESHOLD = scores.THRESHOLDS[scores.LEGACY_MODEL_VERSION]["same person above"]

_TRUE = {"1", "true", "same", "yes", "y", "t", "match"}
_FALSE = {"0", "false", "different", "diff", "no", "n", "f", "nonmatch", "non-match"}


def parse_label(text: str) -> bool:
    """``True`` for a same-person label, ``False`` for a different-person one; ``ValueError`` otherwise."""
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError("label %r is not one of 1/0, true/false, same/different, yes/no" % text)


@dataclass(frozen=True)
class Pair:
    """One CSV row: its line number, both sides as written, and the resolved same-person label."""

    line: int
    a: str
    b: str
    same: Optional[bool]
    #: Why the row itself is unusable (wrong column count, unknown label); None for a good row.
    problem: Optional[str] = None


@dataclass(frozen=True)
class Outcome:
    """What the shim answered for one pair: the legacy-scale similarity, or the failure's v1 code and message."""

    pair: Pair
    similarity: Optional[float]
    code: Optional[int]
    message: str

    @property
    def ok(self) -> bool:
        """True when the pair was scored."""
        return self.similarity is not None and self.pair.same is not None


@dataclass(frozen=True)
class Rates:
    """Error counts and rates at one threshold."""

    threshold: float
    false_accepts: int
    impostors: int
    false_rejects: int
    genuines: int

    @property
    def far(self) -> Optional[float]:
        """False-accept rate among different-person pairs (None without any)."""
        return self.false_accepts / self.impostors if self.impostors else None

    @property
    def frr(self) -> Optional[float]:
        """False-reject rate among same-person pairs (None without any)."""
        return self.false_rejects / self.genuines if self.genuines else None

    @property
    def errors(self) -> int:
        """Mistakes of either kind."""
        return self.false_accepts + self.false_rejects


def _resolve(side: str, base: str) -> str:
    side = side.strip()
    if side.lower().startswith(("http://", "https://")) or os.path.isabs(side):
        return side
    candidate = os.path.join(base, side)
    return candidate if os.path.exists(candidate) else side


def read_pairs(path: str) -> List[Pair]:
    """The pairs of a calibration CSV, relative image paths resolved against the CSV's folder."""
    base = os.path.dirname(os.path.abspath(path))
    pairs: List[Pair] = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if len(cells) < 3:
                pairs.append(Pair(number, ",".join(cells), "", None, "expected 3 columns, found %d" % len(cells)))
                continue
            try:
                same = parse_label(cells[2])
            except ValueError as exc:
                if not pairs:  # a header row
                    continue
                pairs.append(Pair(number, cells[0], cells[1], None, str(exc)))
                continue
            pairs.append(Pair(number, _resolve(cells[0], base), _resolve(cells[1], base), same))
    return pairs


def _sides(value: str) -> Tuple[Optional[str], Optional[str]]:
    return (value, None) if value.lower().startswith(("http://", "https://")) else (None, value)


def score_pair(pair: Pair, compare: V1Compare, **options: Any) -> Outcome:
    """Run one pair through a v1-shaped ``compare`` and keep what it answered."""
    if pair.problem is not None:
        return Outcome(pair, None, None, pair.problem)
    url_a, image_a = _sides(pair.a)
    url_b, image_b = _sides(pair.b)
    result = compare(url_a, url_b, imageA=image_a, imageB=image_b, **options)
    if result.get("code") == 0:
        return Outcome(pair, float(result["data"]["similarity"]), 0, result.get("message", "OK"))
    message = result.get("message", "")
    fail_flag = result.get("data", {}).get("fail_flag")
    if fail_flag:
        message = "%s (image %s)" % (message, "AB"[fail_flag - 1])
    return Outcome(pair, None, result.get("code"), message)


def score_pairs(pairs: Sequence[Pair], compare: V1Compare, workers: int = 4, **options: Any) -> List[Outcome]:
    """Score every pair, ``workers`` at a time, in CSV order."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda pair: score_pair(pair, compare, **options), pairs))


def rates_at(outcomes: Sequence[Outcome], threshold: float) -> Rates:
    """FAR and FRR at ``threshold`` over the scored pairs (accept when ``similarity > threshold``)."""
    scored = [o for o in outcomes if o.ok]
    genuine = [o.similarity for o in scored if o.pair.same]
    impostor = [o.similarity for o in scored if not o.pair.same]
    return Rates(
        threshold,
        false_accepts=sum(1 for s in impostor if s is not None and s > threshold),
        impostors=len(impostor),
        false_rejects=sum(1 for s in genuine if s is not None and s <= threshold),
        genuines=len(genuine),
    )


def recommend(outcomes: Sequence[Outcome]) -> Optional[Rates]:
    """The threshold with the fewest mistakes on these pairs (then fewest false accepts, then nearest 80).

    Candidates are the legacy thresholds and the midpoints between neighbouring scores, so the answer
    separates the pairs as well as any threshold can. None when nothing was scored.
    """
    values = sorted({o.similarity for o in outcomes if o.ok and o.similarity is not None})
    if not values:
        return None
    candidates = set(LEGACY_THRESHOLDS)
    candidates.update(round((low + high) / 2, 2) for low, high in zip(values, values[1:]))
    candidates.update({max(values[0] - 0.5, 0.0), min(values[-1], 100.0)})
    return min(
        (rates_at(outcomes, c) for c in candidates),
        key=lambda r: (r.errors, r.false_accepts, abs(r.threshold - OFFICIAL_THRESHOLD)),
    )


def _rate(count: int, total: int) -> str:
    if not total:
        return "   n/a (no pairs)"
    return "%6.2f%% (%d/%d)" % (100.0 * count / total, count, total)


def format_report(outcomes: Sequence[Outcome], model_version: str) -> str:
    """The text ``face-compat calibrate`` prints."""
    scored = [o for o in outcomes if o.ok]
    failed = [o for o in outcomes if not o.ok]
    genuines = sum(1 for o in scored if o.pair.same)
    lines = [
        "pairs: %d scored (%d same person, %d different), %d failed; scores on the legacy scale "
        "(FaceModelVersion %s%s)"
        % (
            len(scored), genuines, len(scored) - genuines, len(failed), model_version,
            ", remapped" if model_version != scores.LEGACY_MODEL_VERSION else "",
        ),
        "",
        "threshold  meaning            false accepts         false rejects",
    ]  # fmt: skip
    far_labels = {v: k for k, v in scores.THRESHOLDS[scores.LEGACY_MODEL_VERSION].items() if k.startswith("FAR")}
    for threshold in LEGACY_THRESHOLDS:
        rates = rates_at(outcomes, threshold)
        lines.append(
            "> %-7g  %-17s  %-20s  %s"
            % (threshold, far_labels.get(threshold, ""), _rate(rates.false_accepts, rates.impostors),
               _rate(rates.false_rejects, rates.genuines))
        )  # fmt: skip
    best = recommend(outcomes)
    lines.append("")
    if best is None:
        lines.append("recommended threshold: none (no pair was scored)")
    else:
        lines.append(
            "recommended threshold: > %g (%d mistake(s) on these pairs: %d false accept(s), %d false reject(s))"
            % (best.threshold, best.errors, best.false_accepts, best.false_rejects)
        )
        impostors = best.impostors
        lines.append(
            "note: with %d different-person pair(s) the smallest false-accept rate this can measure is %s; "
            "FAR 1/10000 needs tens of thousands of pairs to confirm."
            % (impostors, "1/%d" % impostors if impostors else "none")
        )
    if failed:
        lines.append("")
        lines.append("failed rows (not counted above):")
        for outcome in failed:
            code = "v1 code %d" % outcome.code if outcome.code is not None else "bad row"
            lines.append("  line %d: %s: %s" % (outcome.pair.line, code, outcome.message))
    return "\n".join(lines)


def plot(outcomes: Sequence[Outcome], path: str, title: str = "") -> None:
    """Write a PNG of the same-person and different-person score distributions with the thresholds drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    genuine = [o.similarity for o in outcomes if o.similarity is not None and o.ok and o.pair.same]
    impostor = [o.similarity for o in outcomes if o.similarity is not None and o.ok and not o.pair.same]
    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=100)
    bins = [i * 2.5 for i in range(41)]
    axes.hist(impostor, bins=bins, alpha=0.6, color="tab:orange", label="different person (%d)" % len(impostor))
    axes.hist(genuine, bins=bins, alpha=0.6, color="tab:blue", label="same person (%d)" % len(genuine))
    far_labels = {v: k for k, v in scores.THRESHOLDS[scores.LEGACY_MODEL_VERSION].items() if k.startswith("FAR")}
    for threshold in LEGACY_THRESHOLDS:
        axes.axvline(threshold, color="grey", linestyle="--", linewidth=1)
        axes.annotate(
            "> %g  (%s)" % (threshold, far_labels[threshold]), (threshold, 0.98), xycoords=("data", "axes fraction"),
            xytext=(-3, 0), textcoords="offset points", ha="right", va="top", rotation=90, fontsize=8,
            color="dimgrey",
        )  # fmt: skip
    best = recommend(outcomes)
    if best is not None:
        axes.axvline(best.threshold, color="tab:red", linewidth=1.5, label="recommended > %g" % best.threshold)
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of pairs, never 0.2 of one
    axes.set_xlim(0, 100)
    axes.set_xlabel("similarity (legacy scale)")
    axes.set_ylabel("pairs")
    axes.set_title(title or "face-compat calibrate: score distributions")
    axes.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, format="png")
    plt.close(figure)
