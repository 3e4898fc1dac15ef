"""Sidecar fixtures: the app in-process and on a real uvicorn, a real redis-server when the binary exists."""
from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from compat.server import AppKey, SidecarConfig, create_app  # noqa: E402
from tests.sidecar_support import APPID, live_server, redis_server  # noqa: E402


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """URL of a redis-server started for this session (skips when redis-server is not installed)."""
    with redis_server() as url:
        if url is None:
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
        yield url


@pytest.fixture
def v1_key(iai_protocol_emulator: Any) -> AppKey:
    """The appid served, with the emulator's keys (they verify v1 and sign 2.0)."""
    return AppKey(APPID, iai_protocol_emulator.secret_id, iai_protocol_emulator.secret_key)


@pytest.fixture
def make_app(iai_protocol_emulator: Any, v1_key: AppKey) -> Callable[..., Any]:
    """Build a sidecar app against the constant-score emulator; keyword arguments go to SidecarConfig."""

    def build(**overrides: Any) -> Any:
        settings: dict = {"keys": [v1_key], "client_options": {"endpoint": iai_protocol_emulator.endpoint}}
        settings.update(overrides)
        return create_app(SidecarConfig(**settings))

    return build


@pytest.fixture
def live_sidecar(make_app: Callable[..., Any]) -> Iterator[str]:
    """``host:port`` of a real uvicorn serving the sidecar."""
    with live_server(make_app()) as address:
        yield address
