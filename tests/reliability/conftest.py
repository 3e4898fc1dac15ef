"""Reliability fixtures: a fault proxy in front of the constant-score emulator."""
from __future__ import annotations

from typing import Iterator
from urllib.parse import urlsplit

import pytest

from compat.emulator import Emulator
from tests.reliability.fault_proxy import FaultProxy


@pytest.fixture
def fault_proxy(iai_protocol_emulator: Emulator) -> Iterator[FaultProxy]:
    """A fresh proxy to the (reset) protocol emulator; the environment still points at the emulator itself."""
    parts = urlsplit(iai_protocol_emulator.endpoint)
    proxy = FaultProxy((parts.hostname or "127.0.0.1", int(parts.port or 0)))
    try:
        yield proxy
    finally:
        proxy.stop()
