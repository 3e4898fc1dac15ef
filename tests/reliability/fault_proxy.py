"""A fault-injecting HTTP/1.1 proxy on 127.0.0.1: a real socket server in a thread between the shim and the emulator.

Each request is read whole, then answered by the next scripted fault (``FaultProxy.script``) or, once the
script is used up, forwarded to the upstream emulator on one upstream connection per client connection.
Every wait is bounded (``stop`` releases them), so a test can never leave a thread hanging.
"""
from __future__ import annotations

import contextlib
import socket
import struct
import threading
from typing import List, Optional, Tuple

FAULTS = ("pass", "reset_on_accept", "reset_mid_body", "slow", "status_500", "status_502", "status_503",
          "truncated", "non_json", "json_garbage", "throttle")
_THROTTLE_BODY = (b'{"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "too many requests"}, '
                  b'"RequestId": "00000000-0000-4000-8000-000000000000"}}')


def _read_message(sock: socket.socket, buffer: bytearray) -> Optional[Tuple[bytes, bytes]]:
    """One HTTP message (head, body) framed by Content-Length; None when the peer closed first."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    end = buffer.index(b"\r\n\r\n") + 4
    head = bytes(buffer[:end])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buffer) < end + length:
        chunk = sock.recv(262144)
        if not chunk:
            return None
        buffer += chunk
    body = bytes(buffer[end : end + length])
    del buffer[: end + length]
    return head, body


def _reset(sock: socket.socket) -> None:
    """Close with an RST instead of a FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _reply(status: str, body: bytes, content_type: str = "application/json") -> bytes:
    return b"HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s" % (
        status.encode(), content_type.encode(), len(body), body)


class FaultProxy:
    """Proxy to ``upstream`` (``host``, ``port``); ``endpoint`` is what the shim should be pointed at."""

    def __init__(self, upstream: Tuple[str, int], slow_seconds: float = 3.0) -> None:
        self.upstream = upstream
        self.slow_seconds = slow_seconds
        self.requests = 0
        self.connections = 0
        self.faults_played: List[str] = []
        self._script: List[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._threads: List[threading.Thread] = []
        self._open: List[socket.socket] = []
        self._accepter = threading.Thread(target=self._accept_loop, daemon=True)
        self._accepter.start()

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return "http://127.0.0.1:%d" % self._listener.getsockname()[1]

    def script(self, *faults: str) -> None:
        """Play these faults on the next requests (in order), then forward normally."""
        unknown = set(faults) - set(FAULTS)
        if unknown:
            raise ValueError("unknown faults: %s" % ", ".join(sorted(unknown)))
        with self._lock:
            self._script.extend(faults)

    def reset(self) -> None:
        """Clear the script and the counters."""
        with self._lock:
            self._script.clear()
            self.requests = self.connections = 0
            self.faults_played.clear()

    def stop(self) -> None:
        """Stop accepting, release every bounded wait, join the threads."""
        self._stopping.set()
        self._listener.close()
        self._accepter.join(5)
        with self._lock:
            open_sockets = list(self._open)
        for sock in open_sockets:  # wakes a thread blocked reading a kept-alive connection
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(5)

    def _next_fault(self) -> str:
        with self._lock:
            self.requests += 1
            fault = self._script.pop(0) if self._script else "pass"
            self.faults_played.append(fault)
            return fault

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                peek = self._script[0] if self._script else "pass"
            if peek == "reset_on_accept":
                self._next_fault()
                _reset(client)
                continue
            with self._lock:
                self._open.append(client)
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        upstream: Optional[socket.socket] = None
        client.settimeout(10)
        buffer, upstream_buffer = bytearray(), bytearray()
        try:
            while not self._stopping.is_set():
                request = _read_message(client, buffer)
                if request is None:
                    return
                fault = self._next_fault()
                if fault == "reset_on_accept":  # scripted after the connection was already up: reset it now
                    _reset(client)
                    return
                if fault.startswith("status_"):
                    code = fault.split("_")[1]
                    client.sendall(_reply(code + " Gateway Trouble", b"<html>%s</html>" % code.encode(), "text/html"))
                    continue
                if fault == "non_json":
                    client.sendall(_reply("200 OK", b"<html><body>captive portal</body></html>", "text/html"))
                    continue
                if fault == "json_garbage":
                    client.sendall(_reply("200 OK", b"{not json at all"))
                    continue
                if fault == "throttle":
                    client.sendall(_reply("200 OK", _THROTTLE_BODY))
                    continue
                if upstream is None:
                    upstream = socket.create_connection(self.upstream, timeout=10)
                upstream.sendall(request[0] + request[1])
                response = _read_message(upstream, upstream_buffer)
                if response is None:
                    return
                head, body = response
                if fault == "slow":
                    self._stopping.wait(self.slow_seconds)
                    client.sendall(head + body)
                elif fault == "reset_mid_body":
                    client.sendall(head + body[: len(body) // 2])
                    _reset(client)
                    return
                elif fault == "truncated":
                    client.sendall(head + body[: len(body) // 2])
                    client.shutdown(socket.SHUT_RDWR)
                    return
                else:
                    client.sendall(head + body)
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.close()
