"""What every benchmark shares: the payload, emulators (in-process or in a child process), interleaved timing."""
from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Mapping, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "compat" / "examples"
REGION = "ap-guangzhou"


def payload() -> Tuple[bytes, bytes]:
    """The default pair: the two real Obama photos shipped with the package (~620 KB of base64 together)."""
    return (EXAMPLES / "obama.jpg").read_bytes(), (EXAMPLES / "obama2.jpg").read_bytes()


@contextlib.contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def emulator_environment(endpoint: str, secret_id: str, secret_key: str) -> Dict[str, str]:
    """What points the module-level ``compat.compare`` at an emulator."""
    return {
        "FACE_COMPAT_ENDPOINT": endpoint,
        "TENCENTCLOUD_SECRET_ID": secret_id,
        "TENCENTCLOUD_SECRET_KEY": secret_key,
        "TENCENTCLOUD_REGION": REGION,
    }


@contextlib.contextmanager
def emulator_process() -> Iterator[str]:
    """A constant-engine emulator in its own process (so it does not share a GIL with what is measured).

    Yields its endpoint; the emulator's documented local keys sign for it.
    """
    code = (
        "import sys; from compat.emulator import Emulator\n"
        "with Emulator(engine='constant') as emu:\n"
        "    print(emu.endpoint, flush=True); sys.stdin.read()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=str(REPO), text=True
    )
    try:
        assert child.stdout is not None
        endpoint = child.stdout.readline().strip()
        if not endpoint.startswith("http"):
            raise RuntimeError("the emulator process did not start")
        yield endpoint
    finally:
        assert child.stdin is not None
        child.stdin.close()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def interleaved(contenders: Mapping[str, Callable[[], object]], rounds: int, calls_per_round: int,
                warmup: int = 3) -> Dict[str, List[float]]:
    """Per-call seconds for each contender, measured in alternating blocks (order rotated every round), so
    drift and noise on a small machine hit every contender alike."""
    names = list(contenders)
    for name in names:
        for _ in range(warmup):
            contenders[name]()
    samples: Dict[str, List[float]] = {name: [] for name in names}
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            call = contenders[name]
            for _ in range(calls_per_round):
                started = time.perf_counter()
                call()
                samples[name].append(time.perf_counter() - started)
    return samples


def median(values: Sequence[float]) -> float:
    """The median (the statistic every ratio here is built from)."""
    return float(statistics.median(values))


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile, e.g. ``fraction=0.99``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(fraction * len(ordered))) - 1))]
