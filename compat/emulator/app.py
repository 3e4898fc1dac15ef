"""The 2.0 wire protocol: HTTP handling, TC3 verification, routing by ``X-TC-Action`` through a table.

``IaiApp.dispatch`` is pure request -> reply logic (testable in process); ``IaiRequestHandler`` is the thin
``http.server`` glue that reads the body under a size cap, plays scripted faults and writes the reply.
"""

import contextlib
import logging
import socket
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable, Dict, List, Mapping, Optional

from .compare_face import DownloadPolicy, parse_compare_face
from .exceptions import EmulatorError
from .models import EmulatorState, Fault, ScriptedError, ScriptedScore
from .responses import (
    CONTENT_TYPE,
    error_body,
    new_request_id,
    parse_json_params,
    parse_query_params,
    success_body,
)
from .signature import compute_signature, parse_authorization, signature_matches, utc_date

logger = logging.getLogger("compat.emulator")

SERVICE = "iai"
API_VERSION = "2020-03-03"
TIMESTAMP_WINDOW_SECONDS = 300
MAX_REQUEST_BYTES = 10 * 1024 * 1024
IAI_REGIONS = frozenset(
    {
        "ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-chengdu", "ap-chongqing", "ap-hongkong", "ap-singapore",
        "ap-seoul", "ap-tokyo", "ap-mumbai", "ap-bangkok", "na-siliconvalley", "na-ashburn", "eu-frankfurt",
        "na-toronto", "ap-nanjing", "ap-shanghai-fsi", "ap-shenzhen-fsi", "ap-beijing-fsi",
    }
)
# Action name -> IaiApp method; anything else is InvalidAction (moto's call_action habit, but an explicit table
# so that no other method is reachable from the wire).
ACTIONS: Dict[str, str] = {"CompareFace": "compare_face"}
IMAGE_FIELDS = ("ImageA", "ImageB")


@dataclass
class HttpRequest:
    """One request as the dispatcher sees it; ``headers`` keys are lower-case."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes


@dataclass
class Reply:
    """One reply: status, body and content type."""

    body: bytes
    status: int = 200
    content_type: str = CONTENT_TYPE


@dataclass
class IaiApp:
    """Request -> reply for the IAI 2020-03-03 API with a scripted state and a face engine."""

    credentials: Dict[str, str]
    engine: Any
    state: EmulatorState = field(default_factory=EmulatorState)
    downloads: DownloadPolicy = field(default_factory=DownloadPolicy)
    clock: Callable[[], float] = time.time

    def dispatch(self, request: HttpRequest) -> Reply:
        """Verify, route and answer; every failure becomes the cloud's error JSON, never a traceback."""
        request_id = new_request_id()
        try:
            fields = self._verify_and_route(request)
            return Reply(success_body(fields, request_id))
        except EmulatorError as error:
            return Reply(error_body(error, request_id))
        except Exception:
            logger.exception("unexpected error in the IAI emulator (RequestId %s)", request_id)
            return Reply(error_body(EmulatorError("InternalError"), request_id))

    def _verify_and_route(self, request: HttpRequest) -> Dict[str, Any]:
        headers = request.headers
        if request.method not in ("POST", "GET"):
            raise EmulatorError("UnsupportedProtocol", f"HTTP method {request.method} is not supported.")
        for name in ("X-TC-Action", "X-TC-Version", "X-TC-Timestamp"):
            if not headers.get(name.lower()):
                raise EmulatorError("MissingParameter", f"The request is missing a required parameter `{name}`.")
        self._authenticate(request)
        version = headers["x-tc-version"]
        if version != API_VERSION:
            raise EmulatorError("NoSuchVersion", f"The requested version `{version}` of service `iai` does not exist.")
        action = headers["x-tc-action"]
        handler_name = ACTIONS.get(action)
        if handler_name is None:
            raise EmulatorError("InvalidAction", f"The requested action `{action}` does not exist.")
        region = headers.get("x-tc-region", "")
        if not region:
            raise EmulatorError("MissingParameter", "The request is missing a required parameter `X-TC-Region`.")
        if region not in IAI_REGIONS:
            raise EmulatorError("UnsupportedRegion", f"The action does not support region `{region}`.")
        if request.method == "GET":
            params = parse_query_params(request.query)
        else:
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type != "application/json":
                raise EmulatorError("UnsupportedProtocol", f"Content-Type `{content_type}` is not supported.")
            params = parse_json_params(request.body)
        handler: Callable[[Dict[str, Any], str], Dict[str, Any]] = getattr(self, handler_name)
        return handler(params, region)

    def _authenticate(self, request: HttpRequest) -> None:
        headers = request.headers
        authorization = parse_authorization(headers.get("authorization"))
        secret_key = self.credentials.get(authorization.secret_id)
        if secret_key is None:
            raise EmulatorError("AuthFailure.SecretIdNotFound")
        timestamp_text = headers["x-tc-timestamp"]
        try:
            timestamp = int(timestamp_text)
        except ValueError:
            raise EmulatorError("InvalidParameter", "X-TC-Timestamp must be an integer Unix time.") from None
        if abs(self.clock() - timestamp) > TIMESTAMP_WINDOW_SECONDS:
            raise EmulatorError("AuthFailure.SignatureExpire")
        if authorization.service != SERVICE or authorization.date != utc_date(timestamp):
            raise EmulatorError(
                "AuthFailure.SignatureFailure", "The credential scope does not match the service or the timestamp date."
            )
        expected = compute_signature(
            secret_key=secret_key,
            method=request.method,
            uri=request.path,
            query=request.query if request.method == "GET" else "",
            headers=headers,
            signed_headers=authorization.signed_headers,
            payload=b"" if request.method == "GET" else request.body,
            timestamp=timestamp_text,
            date=authorization.date,
            service=authorization.service,
        )
        if not signature_matches(expected, authorization.signature):
            raise EmulatorError("AuthFailure.SignatureFailure")

    def compare_face(self, params: Dict[str, Any], region: str) -> Dict[str, Any]:
        """CompareFace: scripted answer if one is queued, else validation and the engine."""
        self.state.record_call({"action": "CompareFace", "region": region, "params": _loggable(params)})
        scripted = self.state.next_answer()
        if isinstance(scripted, ScriptedError):
            raise EmulatorError(scripted.code, scripted.message)
        if isinstance(scripted, ScriptedScore):
            version = scripted.face_model_version or params.get("FaceModelVersion") or "3.0"
            return {"Score": scripted.score, "FaceModelVersion": version}
        compare_input = parse_compare_face(params, self.downloads)
        score = self.engine.compare(compare_input)
        return {"Score": score, "FaceModelVersion": compare_input.face_model_version}


def _loggable(params: Dict[str, Any]) -> Dict[str, Any]:
    """The request params with image payloads replaced by their length, so the log never holds raw images."""
    return {
        key: (len(value) if key in IMAGE_FIELDS and isinstance(value, str) else value) for key, value in params.items()
    }


class RequestTooLarge(Exception):
    """The body is over the cap; raised before it is read in full."""


class IaiRequestHandler(BaseHTTPRequestHandler):
    """``http.server`` glue: keep-alive HTTP/1.1, body size cap, scripted faults, one reply per request."""

    protocol_version = "HTTP/1.1"
    # The status line and headers leave in one write and the body in another; with Nagle on, the body waits
    # for the client's delayed ACK (~40 ms on Linux loopback) on every kept-alive request.
    disable_nagle_algorithm = True
    server_version = "face-compat-emulator"
    sys_version = ""
    app: IaiApp
    max_request_bytes: int = MAX_REQUEST_BYTES

    def do_POST(self) -> None:
        """Serve a POST (the SDK's default)."""
        self._serve()

    def do_GET(self) -> None:
        """Serve a GET (the API accepts signed GETs with a query string)."""
        self._serve()

    def _serve(self) -> None:
        self.app.state.begin_request()
        try:
            body = self._read_body()
        except RequestTooLarge:
            # The rest of the body stays unread, so this connection cannot carry another request.
            self.close_connection = True
            self._send(Reply(error_body(EmulatorError("RequestSizeLimitExceeded"), new_request_id())), close=True)
            return
        fault = self.app.state.next_fault()
        if fault is not None and self._play_fault(fault):
            return
        path, _, query = self.path.partition("?")
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.app.dispatch(HttpRequest(self.command, path, query, headers, body))
        if fault is not None and fault.kind == "truncated":
            self._send_truncated(reply)
            return
        self._send(reply)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if not length_text:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            raise RequestTooLarge() from None
        if length > self.max_request_bytes or length < 0:
            raise RequestTooLarge()
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        chunks: List[bytes] = []
        received = 0
        while True:
            size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            received += size
            if received > self.max_request_bytes:
                raise RequestTooLarge()
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _play_fault(self, fault: Fault) -> bool:
        """Act out ``fault``; True when it already answered (or dropped) the request."""
        if fault.kind == "delay":
            time.sleep(fault.seconds)
            return False
        if fault.kind == "status":
            self._send(Reply(fault.body, status=fault.status, content_type=fault.content_type))
            return True
        if fault.kind == "drop":
            self.close_connection = True
            self._hard_close()
            return True
        if fault.kind == "non_json":
            self._send(Reply(b"<html><body>upstream gateway says hello</body></html>", content_type="text/html"))
            return True
        if fault.kind == "throttle":
            self._send(Reply(error_body(EmulatorError("RequestLimitExceeded"), new_request_id())))
            return True
        return False  # "truncated" needs the real reply first

    def _send(self, reply: Reply, close: bool = False) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply.body)

    def _send_truncated(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body[: len(reply.body) // 2])
        self.wfile.flush()
        self.close_connection = True
        self._hard_close()

    def _hard_close(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature fixed by http.server
        """Access log to the ``compat.emulator`` logger at debug level instead of stderr."""
        logger.debug("%s - " + format, self.address_string(), *args)


def handler_class(app: IaiApp, max_request_bytes: int, keep_alive_timeout: Optional[float]) -> type:
    """A handler subclass bound to one app (http.server instantiates handlers from a class)."""
    return type(
        "BoundIaiRequestHandler",
        (IaiRequestHandler,),
        {"app": app, "max_request_bytes": max_request_bytes, "timeout": keep_alive_timeout},
    )
