"""Fixtures for the emulator tests (the image server is ``image_server`` from tests/conftest.py)."""


import pytest


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return "http://127.0.0.1:%d/obama.jpg" % port


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "engine: needs the real face engine (face-compat[emulator])")

