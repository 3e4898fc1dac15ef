"""Run every benchmark against the local emulator (constant engine: the shim's own cost is what is measured).

    python benchmarks/run.py            # table
    python benchmarks/run.py --quick    # shorter runs, noisier
    python benchmarks/run.py --json     # one JSON object, every key measured in this run

Ratios are of medians over interleaved blocks (see ``common.interleaved``), so a noisy moment on a small
machine lands on every contender alike.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import connections, memory, sidecar  # noqa: E402
from benchmarks.common import emulator_environment, environment, interleaved, median, payload  # noqa: E402
from benchmarks.http_floor import http_floor_call  # noqa: E402
from benchmarks.shim_vs_sdk import raw_sdk_call, shim_call  # noqa: E402
from compat.emulator import Emulator  # noqa: E402

#: (key, goal text, test of the value)
GOALS: List[Tuple[str, str, Callable[[float], bool]]] = [
    ("shim_vs_raw_sdk", "<= 1.0", lambda v: v <= 1.0),
    ("shim_vs_http_floor", "<= 2.5", lambda v: v <= 2.5),
    ("naive_vs_shim", "> 1 (report)", lambda v: v > 1.0),
    ("connections_per_100_calls", "== 1", lambda v: v == 1),
    ("peak_memory_ratio_5mb", "<= 3", lambda v: v <= 3.0),
    ("sidecar_vs_direct", ">= 0.8", lambda v: v >= 0.8),
]


def latency(quick: bool) -> Dict[str, float]:
    """``shim_vs_raw_sdk`` and ``shim_vs_http_floor`` from one interleaved run on plain HTTP."""
    image_a, image_b = payload()
    with Emulator(engine="constant") as emulator:
        keys = (emulator.endpoint, emulator.secret_id, emulator.secret_key)
        with environment(emulator_environment(*keys)):
            samples = interleaved(
                {
                    "shim": shim_call(image_a, image_b),
                    "raw_sdk": raw_sdk_call(*keys, image_a, image_b),
                    "http_floor": http_floor_call(*keys, image_a, image_b),
                },
                rounds=6 if quick else 20,
                calls_per_round=5 if quick else 10,
            )
    shim, sdk, floor = (median(samples[name]) for name in ("shim", "raw_sdk", "http_floor"))
    return {
        "shim_vs_raw_sdk": shim / sdk,
        "shim_vs_http_floor": shim / floor,
        "shim_ms": shim * 1000,
        "raw_sdk_ms": sdk * 1000,
        "http_floor_ms": floor * 1000,
    }


STAGES: Dict[str, Callable[[bool], Dict[str, float]]] = {
    "latency": latency,
    "connections": connections.measure,
    "memory": memory.measure,
    "sidecar": sidecar.measure,
}


def run(quick: bool, only: Optional[List[str]] = None, progress: Any = None) -> Dict[str, Any]:
    """Every stage's figures in one dict: the goal keys at the top level, the rest under ``details``."""
    figures: Dict[str, float] = {}
    for name, stage in STAGES.items():
        if only and name not in only:
            continue
        if progress:
            print("running %s ..." % name, file=progress, flush=True)
        figures.update(stage(quick))
    result: Dict[str, Any] = {key: round(figures[key], 3) for key, _, _ in GOALS if key in figures}
    result["details"] = {key: round(value, 3) for key, value in figures.items() if key not in result}
    result["details"]["quick"] = quick
    result["details"]["cpus"] = os.cpu_count()
    return result


def table(result: Dict[str, Any]) -> str:
    """The goal keys with their goal and whether it is met, then the supporting figures."""
    lines = ["%-28s %10s  %-13s %s" % ("measure", "value", "goal", "met"), "-" * 60]
    for key, goal, met in GOALS:
        if key in result:
            lines.append("%-28s %10.3f  %-13s %s" % (key, result[key], goal, "yes" if met(result[key]) else "NO"))
    lines.append("")
    for key, value in result["details"].items():
        lines.append("%-36s %s" % (key, value))
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="short runs (noisier)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--only", nargs="*", choices=list(STAGES), help="run only these stages")
    args = parser.parse_args(argv)
    result = run(args.quick, args.only, progress=sys.stderr)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
