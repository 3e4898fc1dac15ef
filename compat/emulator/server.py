"""``Emulator``: the IAI 2.0 endpoint in a background thread, on an ephemeral port by default."""

import contextlib
import socket
import ssl
import threading
from http.server import ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Set, Union

from .app import MAX_REQUEST_BYTES, IaiApp, handler_class
from .compare_face import DownloadPolicy
from .engines import load_engine
from .models import EmulatorState, Fault, ScriptedError, ScriptedScore

# A documented local pair, deliberately unlike a real AKID so it is never mistaken for (or leaked as) one.
DEFAULT_SECRET_ID = "face-compat-local-id"
DEFAULT_SECRET_KEY = "face-compat-local-key"


class _EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: Any, handler: type, state: EmulatorState, ssl_context: Optional[ssl.SSLContext]):
        self.state = state
        self.ssl_context = ssl_context
        self.open_connections: Set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        # Runs in the per-connection thread, so a slow TLS handshake never blocks accept().
        self.state.connection_opened()
        if self.ssl_context is not None:
            try:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (OSError, ssl.SSLError):
                return
        with self.connections_lock:
            self.open_connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            with self.connections_lock:
                self.open_connections.discard(request)
            if self.ssl_context is not None:
                request.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-reply (the SDK's timeouts, our own faults) are normal here, not worth a traceback.
        pass

    def close_open_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.open_connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class Emulator:
    """A local Face Recognition 2.0 (IAI 2020-03-03) endpoint for CompareFace that the official SDK accepts.

    ``engine`` is "sface" (real comparison; needs ``face-compat[emulator]``), "constant" (fixed score, protocol
    tests and benchmarks only) or an engine object. Use as a context manager or call ``start()``/``stop()``.
    """

    def __init__(
        self,
        engine: Union[str, Any] = "sface",
        host: str = "127.0.0.1",
        port: int = 0,
        secret_id: str = DEFAULT_SECRET_ID,
        secret_key: str = DEFAULT_SECRET_KEY,
        ssl_context: Optional[ssl.SSLContext] = None,
        download_timeout: float = 5.0,
        max_download_bytes: int = 10 * 1024 * 1024,
        keep_alive_timeout: Optional[float] = None,
        max_request_bytes: int = MAX_REQUEST_BYTES,
    ) -> None:
        self.host = host
        self.port = port
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.ssl_context = ssl_context
        self.keep_alive_timeout = keep_alive_timeout
        self.max_request_bytes = max_request_bytes
        self.state = EmulatorState()
        self.engine = load_engine(engine)
        self.app = IaiApp(
            credentials={secret_id: secret_key},
            engine=self.engine,
            state=self.state,
            downloads=DownloadPolicy(timeout=download_timeout, max_bytes=max_download_bytes),
        )
        self._server: Optional[_EmulatorHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    @property
    def endpoint(self) -> str:
        """``http://host:port`` (``https://`` with an ssl_context); valid once started."""
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() or use it as a context manager")
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://{self.host}:{self._server.server_address[1]}"

    @property
    def server_port(self) -> int:
        """The bound port (useful when constructed with port=0)."""
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        return int(self._server.server_address[1])

    def start(self) -> "Emulator":
        """Bind and serve in a daemon thread; returns self."""
        if self._server is not None:
            return self
        handler = handler_class(self.app, self.max_request_bytes, self.keep_alive_timeout)
        self._server = _EmulatorHTTPServer((self.host, self.port), handler, self.state, self.ssl_context)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="iai-emulator", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until ``stop()`` is called from another thread (or a signal handler's)."""
        self.start()
        assert self._thread is not None
        while self._thread.is_alive():
            self._thread.join(0.2)

    def stop(self) -> None:
        """Stop serving and close the listening socket and idle keep-alive connections."""
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.close_open_connections()
        server.server_close()
        if thread is not None:
            thread.join(5)
        self._server = None
        self._thread = None

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def queue_score(self, score: float, times: int = 1, face_model_version: Optional[str] = None) -> None:
        """The next ``times`` authenticated CompareFace calls answer ``score`` without looking at the images."""
        self.state.queue_answer(ScriptedScore(score, face_model_version), times)

    def queue_error(self, code: str, message: str = "", times: int = 1) -> None:
        """The next ``times`` authenticated CompareFace calls answer this 2.0 error."""
        self.state.queue_answer(ScriptedError(code, message or code), times)

    def queue_fault(
        self,
        kind: str,
        *,
        seconds: float = 0.0,
        status: int = 503,
        body: Optional[bytes] = None,
        content_type: str = "text/html",
        times: int = 1,
    ) -> None:
        """The next ``times`` requests misbehave: delay, status, drop, truncated, non_json or throttle."""
        fault = Fault(kind, seconds=seconds, status=status, content_type=content_type)
        if body is not None:
            fault.body = body
        self.state.queue_fault(fault, times)

    def reset(self) -> None:
        """Clear queued answers and faults, the call log and the connection counter."""
        self.state.reset()

    @property
    def calls(self) -> List[Dict[str, Any]]:
        """The recorded CompareFace calls (image fields replaced by their length)."""
        return self.state.calls()

    @property
    def connections_opened(self) -> int:
        """TCP connections accepted since the last reset."""
        return self.state.connections_opened
