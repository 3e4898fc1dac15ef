"""``sidecar_vs_direct``: v1 sidecar requests/s over direct ``Client.compare`` calls/s, both at 8-way concurrency.

The emulator runs in its own process and the sidecar (``face-compat serve``) in another, so neither shares a
GIL with the load generator. Direct: 8 threads calling one shared ``Client``. Sidecar: 8 threads, each with
its own kept-alive connection, posting the v1 multipart form (appid + the two images) with a multi-use v1
signature. Rounds alternate between the two; the ratio is of median throughputs.
"""
from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from typing import Callable, Dict, Iterator, List, Tuple

from compat import Client
from compat.emulator.server import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from compat.server.signature import AppKey, sign

from .common import REPO, emulator_environment, emulator_process, median, payload, percentile

APPID = "1250000000"
CONCURRENCY = 8


def free_port() -> int:
    """A 127.0.0.1 port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def sidecar_process(emulator_endpoint: str) -> Iterator[Tuple[str, int]]:
    """``face-compat serve`` in a child process for APPID, pointed at the emulator; yields (host, port)."""
    port = free_port()
    env = dict(os.environ, **emulator_environment(emulator_endpoint, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY))
    child = subprocess.Popen(
        [sys.executable, "-m", "compat.cli", "serve", "--port", str(port), "--appid", APPID, "--log-level", "warning"],
        env=env, cwd=str(REPO), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    break
            except OSError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the sidecar did not start")
            time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        child.terminate()
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def multipart_form(fields: Dict[str, bytes], files: Dict[str, bytes]) -> Tuple[bytes, str]:
    """A multipart/form-data body the way the v1 client builds one; returns (body, Content-Type)."""
    boundary = uuid.uuid4().hex
    parts: List[bytes] = []
    for name, value in fields.items():
        parts.append(b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                     % (boundary.encode(), name.encode(), value))
    for name, value in files.items():
        parts.append(b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s.jpg"\r\n'
                     b"Content-Type: image/jpeg\r\n\r\n%s\r\n"
                     % (boundary.encode(), name.encode(), name.encode(), value))
    parts.append(b"--%s--\r\n" % boundary.encode())
    return b"".join(parts), "multipart/form-data; boundary=" + boundary


def v1_request(image_a: bytes, image_b: bytes) -> Tuple[bytes, Dict[str, str]]:
    """Body and headers of one v1 compare request, with a multi-use signature valid for an hour."""
    body, content_type = multipart_form({"appid": APPID.encode()}, {"imageA": image_a, "imageB": image_b})
    authorization = sign(AppKey(APPID, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), expiry=int(time.time()) + 3600)
    return body, {"Content-Type": content_type, "Authorization": authorization}


def run_load(make_worker: Callable[[], Callable[[], bool]], seconds: float, threads: int = CONCURRENCY
             ) -> Tuple[float, List[float], int]:
    """Run ``threads`` workers for ``seconds``; returns (completed calls/s, per-call latencies, failures)."""
    latencies: List[float] = []
    failures = [0]
    lock = threading.Lock()
    start_gate = threading.Barrier(threads + 1)
    stop_at = [0.0]

    def loop() -> None:
        call = make_worker()
        call()  # connection and thread-local client, outside the timed window
        start_gate.wait()
        mine: List[float] = []
        bad = 0
        while time.perf_counter() < stop_at[0]:
            started = time.perf_counter()
            if not call():
                bad += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    workers = [threading.Thread(target=loop, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    stop_at[0] = time.perf_counter() + seconds + 60  # provisional, until everyone is ready
    start_gate.wait()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for worker in workers:
        worker.join(seconds + 60)
    elapsed = time.perf_counter() - began
    return len(latencies) / elapsed, latencies, failures[0]


def measure(quick: bool) -> Dict[str, float]:
    """Median throughput of each path over alternating rounds, and their ratio."""
    image_a, image_b = payload()
    body, headers = v1_request(image_a, image_b)
    seconds, rounds = (1.5, 2) if quick else (3.0, 3)
    with emulator_process() as emulator_endpoint, sidecar_process(emulator_endpoint) as (host, port):
        client = Client(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, endpoint=emulator_endpoint, retries=0)

        def direct_worker() -> Callable[[], bool]:
            return lambda: client.compare(imageA=image_a, imageB=image_b)["code"] == 0

        def sidecar_worker() -> Callable[[], bool]:
            connection = http.client.HTTPConnection(host, port, timeout=30)

            def call() -> bool:
                connection.request("POST", "/face/compare", body=body, headers=headers)
                reply = connection.getresponse()
                return reply.status == 200 and json.loads(reply.read())["code"] == 0

            return call

        throughput: Dict[str, List[float]] = {"direct": [], "sidecar": []}
        latencies: Dict[str, List[float]] = {"direct": [], "sidecar": []}
        failures = 0
        for round_number in range(rounds):
            order = [("direct", direct_worker), ("sidecar", sidecar_worker)]
            for name, worker in order if round_number % 2 == 0 else order[::-1]:
                rate, samples, bad = run_load(worker, seconds)
                throughput[name].append(rate)
                latencies[name].extend(samples)
                failures += bad
    return {
        "sidecar_vs_direct": median(throughput["sidecar"]) / median(throughput["direct"]),
        "sidecar_requests_per_s": median(throughput["sidecar"]),
        "direct_calls_per_s": median(throughput["direct"]),
        "sidecar_p99_ms": percentile(latencies["sidecar"], 0.99) * 1000,
        "direct_p99_ms": percentile(latencies["direct"], 0.99) * 1000,
        "sidecar_failures": float(failures),
    }
