"""A reply trickled a byte at a time, each byte inside the timeout, still ends the attempt at the timeout."""
from __future__ import annotations

import socket
import threading
import time
from typing import Iterator, List

import pytest

from compat import Client
from tests.imagefactory import OBAMA, OBAMA2

TIMEOUT = 1.0
DRIP_INTERVAL = 0.1  # well inside TIMEOUT: a per-read timeout alone never fires
DRIPS = 100  # bounded: the server stops by itself after ~10 s


class TricklingServer:
    """Reads one request per connection, then answers a byte every DRIP_INTERVAL seconds."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.attempts: List[float] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return "http://127.0.0.1:%d" % self._listener.getsockname()[1]

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(65536)
            head, _, body = request.partition(b"\r\n\r\n")
            length = int([line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(
                b"content-length")][0])
            while len(body) < length:
                body += connection.recv(65536)
            self.attempts.append(time.monotonic())
            if self.where == "body":
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n")
            else:
                connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            try:
                for _ in range(DRIPS):
                    if self._stopping.is_set():
                        return
                    connection.sendall(b"{" if self.where == "body" else b"a")
                    time.sleep(DRIP_INTERVAL)
            except OSError:
                return  # the client gave up: what the test wants

    def close(self) -> None:
        self._stopping.set()
        self._listener.close()
        self._thread.join(2)


@pytest.fixture(params=["headers", "body"])
def trickling(request: pytest.FixtureRequest) -> Iterator[TricklingServer]:
    server = TricklingServer(request.param)
    yield server
    server.close()


def test_a_trickled_reply_ends_at_the_timeout_without_a_retry(trickling: TricklingServer) -> None:
    client = Client("AKIDtrickle", "key", endpoint=trickling.endpoint, timeout=TIMEOUT, retries=2)
    started = time.monotonic()
    result = client.compare(imageA=OBAMA, imageB=OBAMA2)
    elapsed = time.monotonic() - started
    assert result["code"] == 213 and "Read timed out" in result["message"], result
    assert "within 1s" in result["message"]
    assert elapsed < TIMEOUT + 0.8, elapsed
    assert len(trickling.attempts) == 1  # a timed-out attempt may be billed: never retried


def test_the_next_call_after_a_deadline_works(trickling: TricklingServer, iai_protocol_emulator) -> None:
    client = Client(timeout=TIMEOUT, retries=0)
    slow = Client("AKIDtrickle", "key", endpoint=trickling.endpoint, timeout=TIMEOUT, retries=0)
    assert slow.compare(imageA=OBAMA, imageB=OBAMA2)["code"] == 213
    assert client.compare(imageA=OBAMA, imageB=OBAMA2)["code"] == 0


def _large_jpeg(size: int) -> bytes:
    """A valid JPEG padded with APP15 segments to about ``size`` bytes."""
    base = OBAMA.read_bytes()
    segment = b"\xff\xef" + (65535).to_bytes(2, "big") + b"\0" * 65533
    return base[:2] + segment * (size // len(segment)) + base[2:]


def test_an_upload_the_server_reads_slowly_ends_at_the_timeout() -> None:
    """The server drains the request 4 KiB per DRIP_INTERVAL, so no single socket operation times out; whether
    the body waits in kernel buffers or in sendall, the attempt still ends at the timeout."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stop = threading.Event()

    def drain_slowly() -> None:
        connection, _ = listener.accept()
        with connection:
            for _ in range(DRIPS):
                if stop.is_set() or not connection.recv(4096):
                    return
                time.sleep(DRIP_INTERVAL)

    threading.Thread(target=drain_slowly, daemon=True).start()
    try:
        client = Client("AKIDstall", "key", endpoint="http://127.0.0.1:%d" % listener.getsockname()[1],
                        timeout=TIMEOUT, retries=0)
        started = time.monotonic()
        result = client.compare(imageA=_large_jpeg(3_500_000), imageB=OBAMA2)
        assert result["code"] == 213 and "Read timed out" in result["message"], result
        assert time.monotonic() - started < TIMEOUT + 0.8
    finally:
        stop.set()
        listener.close()
