"""Fixtures for the emulator tests: a tiny local image server (127.0.0.1 only)."""

import functools
import http.server
import threading
import time
from typing import Iterator

import pytest

from .helpers import EXAMPLES


class _ImageHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/slow/"):
            time.sleep(3)
            self.path = self.path[len("/slow"):]
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def local_images() -> Iterator[str]:
    """Base URL serving compat/examples; ``/slow/<name>`` answers after 3 s."""
    handler = functools.partial(_ImageHandler, directory=str(EXAMPLES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()


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

