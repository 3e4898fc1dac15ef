"""Shared fixtures. The 2.0 emulator fixtures (``iai_emulator``, ``iai_protocol_emulator``) come from the
package's own pytest plugin (``compat.emulator.pytest_plugin``), the way users get them."""
from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from typing import Iterator

import pytest

try:
    from hypothesis import settings as _hypothesis_settings
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    _hypothesis_settings = None

if _hypothesis_settings is not None:
    # CI explores the same examples on every run (a red build must be reproducible); locally runs stay random.
    _hypothesis_settings.register_profile("ci", derandomize=True, database=None)
    if os.environ.get("CI"):
        _hypothesis_settings.load_profile("ci")

from tests.imagefactory import EXAMPLES


class _ImageHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/slow/"):
            time.sleep(3)
            self.path = self.path[len("/slow"):]
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def image_server() -> Iterator[str]:
    """Base URL of a local server of ``compat/examples`` (for UrlA/UrlB); ``/slow/<name>`` answers after 3 s."""
    handler = functools.partial(_ImageHandler, directory=str(EXAMPLES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()
