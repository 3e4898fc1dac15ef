"""``naive_vs_shim`` and ``connections_per_100_calls``, over HTTPS to the emulator (throwaway ``trustme`` CA).

Naive: a new SDK client per call, as code written against v1's one-shot helpers tends to do; every call pays a
TCP connect and a TLS handshake. The shim keeps one client per thread and reuses its kept-alive connection.
"""
from __future__ import annotations

import contextlib
import ssl
import tempfile
from pathlib import Path
from typing import Dict, Iterator, Tuple

import trustme

from compat import Client
from compat.emulator import Emulator

from .common import interleaved, median, payload
from .shim_vs_sdk import compare_with, sdk_client


@contextlib.contextmanager
def https_emulator() -> Iterator[Tuple[Emulator, str]]:
    """A constant-engine emulator serving HTTPS with a throwaway certificate; yields it and the CA file's path."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with tempfile.TemporaryDirectory() as folder:
        ca_path = str(Path(folder) / "ca.pem")
        authority.cert_pem.write_to_path(ca_path)
        with Emulator(engine="constant", ssl_context=context) as emulator:
            yield emulator, ca_path


def measure(quick: bool) -> Dict[str, float]:
    """Both figures from one HTTPS emulator: per-call time ratio and connections opened by 100 shim calls."""
    image_a, image_b = payload()
    with https_emulator() as (emulator, ca_path):
        shim = Client(emulator.secret_id, emulator.secret_key, endpoint=emulator.endpoint, certification=ca_path)

        def shim_call() -> object:
            result = shim.compare(imageA=image_a, imageB=image_b)
            if result["code"] != 0:
                raise RuntimeError("shim call failed: %r" % result)
            return result

        def naive_call() -> object:
            client = sdk_client(emulator.endpoint, emulator.secret_id, emulator.secret_key, certification=ca_path)
            return compare_with(client, image_a, image_b)

        samples = interleaved({"naive": naive_call, "shim": shim_call}, rounds=4 if quick else 10,
                              calls_per_round=5 if quick else 10)
        emulator.reset()
        fresh = Client(emulator.secret_id, emulator.secret_key, endpoint=emulator.endpoint, certification=ca_path)
        for _ in range(100):
            if fresh.compare(imageA=image_a, imageB=image_b)["code"] != 0:
                raise RuntimeError("shim call failed")
        shim_connections = emulator.connections_opened
        emulator.reset()
        for _ in range(10):
            naive_call()
        naive_connections_per_100 = emulator.connections_opened * 10
    return {
        "naive_vs_shim": median(samples["naive"]) / median(samples["shim"]),
        "connections_per_100_calls": float(shim_connections),
        "naive_connections_per_100_calls": float(naive_connections_per_100),
        "https_naive_ms": median(samples["naive"]) * 1000,
        "https_shim_ms": median(samples["shim"]) * 1000,
    }
