"""Shared fixtures. The 2.0 emulator fixtures (``iai_emulator``, ``iai_protocol_emulator``) come from the
package's own pytest plugin (``compat.emulator.pytest_plugin``), the way users get them."""
from __future__ import annotations

import functools
import http.server
import threading
from typing import Iterator

import pytest

from tests.imagefactory import EXAMPLES


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def image_server() -> Iterator[str]:
    """Base URL of a local HTTP server serving ``compat/examples`` (for UrlA/UrlB)."""
    handler = functools.partial(_QuietHandler, directory=str(EXAMPLES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()
