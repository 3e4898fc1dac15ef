"""The v1 sidecar's routes: ``POST /face/compare`` answered by :meth:`compat.Client.compare`, plus ops routes.

One request, in order: body size from ``Content-Length`` (23), the v1 signature (4, 5, 10, 11, 12, 14, 9;
see :mod:`compat.server.signature`), the body read with a byte budget that stops reading the moment it
is exceeded (23), the form or JSON fields (3, 21, -1301), the signed appid/bucket against the request's
(6, 16), a single-use signature's first use (13), then the comparison in a worker thread so the event
loop never waits on 2.0. Every answer is v1 JSON with HTTP 200, as the v1 service answered, except a
sidecar bug (HTTP 500, v1 213); ``/healthz`` and ``/metrics`` (Prometheus) are for operators.

Logs name the appid, the input kinds, the v1 code and the time taken; never an image, a URL (it may
carry a presigned token), a signature or a key.
"""
from __future__ import annotations

import contextlib
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive

from compat import Client
from compat.client import v1_result
from compat.errors import v1_message

from .replay import ReplayStore, ReplayStoreUnavailable, open_store
from .signature import AppKey, Keyring, SignatureRejected, SignedText, verify

__all__ = ["DEFAULT_MAX_BODY_BYTES", "SidecarConfig", "create_app"]

logger = logging.getLogger("compat.server")

#: Two images at 2.0's 5 MB (after base64) each, plus room for the form around them.
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024 + 64 * 1024
#: How long a single-use signature stays usable (and remembered), in seconds.
DEFAULT_SINGLE_USE_WINDOW = 3600
COMPARE_PATH = "/face/compare"
_TEXT_FIELDS = ("appid", "bucket", "urlA", "urlB")
_IMAGE_FIELDS = ("imageA", "imageB")
#: The v1 form has at most six parts; anything far beyond that is not a legacy client.
_MAX_FORM_PARTS = 16
_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


@dataclass
class SidecarConfig:
    """What one sidecar serves: appids and their keys, limits, and where replay state lives.

    The same keys verify the v1 signatures and sign the 2.0 call (one :class:`compat.Client` per key).
    ``client_options`` go to every :class:`compat.Client` (``endpoint``, ``timeout``, ``region``, ...).
    """

    keys: Sequence[AppKey]
    bucket: Optional[str] = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    redis_url: Optional[str] = None
    single_use_window: int = DEFAULT_SINGLE_USE_WINDOW
    client_options: Mapping[str, Any] = field(default_factory=dict)


class _Rejected(Exception):
    """Answer this v1 code now; ``reason`` follows the v1 message."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason


class _BodyTooLarge(Exception):
    pass


class _Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "face_compat_sidecar_requests", "v1 compare requests answered, by v1 code", ["code"],
            registry=self.registry,
        )
        self.compare_seconds = Histogram(
            "face_compat_compare_seconds", "Time in Client.compare: local checks and the 2.0 CompareFace call",
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.in_flight = Gauge(
            "face_compat_sidecar_in_flight", "v1 compare requests being answered", registry=self.registry
        )


@dataclass
class _Inputs:
    appid: str
    bucket: Optional[str]
    urls: Dict[str, Optional[str]]
    images: Dict[str, Optional[bytes]]

    def kinds(self) -> str:
        return ",".join(
            "url" if self.urls[side] is not None else "image" if self.images[side] is not None else "-"
            for side in ("A", "B")
        )


class _Sidecar:
    """The state behind the routes: keys, one compat.Client per key, the replay store, metrics."""

    def __init__(self, config: SidecarConfig, store: Optional[ReplayStore]) -> None:
        if not config.keys:
            raise ValueError("the sidecar needs at least one appid with its SecretId/SecretKey")
        self.config = config
        self.keyring = Keyring(config.keys)
        self.clients = {
            key.secret_id: Client(key.secret_id, key.secret_key, **dict(config.client_options))
            for key in self.keyring
        }
        self.store = store
        self.owns_store = store is None
        self.metrics = _Metrics()

    def replay_store(self) -> ReplayStore:
        if self.store is None:
            self.store = open_store(self.config.redis_url)
        return self.store

    async def face_compare(self, request: Request) -> Response:
        started = time.perf_counter()
        self.metrics.in_flight.inc()
        status, appid, kinds = 200, "-", "-"
        try:
            try:
                appid, inputs, signed = await self._admit(request)
                kinds = inputs.kinds()
                result = await self._compare(signed, inputs)
            except _Rejected as rejected:
                result = v1_result(rejected.code, "%s: %s" % (v1_message(rejected.code), rejected.reason))
            except Exception:  # a sidecar bug must still answer v1 JSON
                logger.exception("face-compat sidecar: unexpected error")
                status, result = 500, v1_result(213, v1_message(213) + ": sidecar error (see its log)")
        finally:
            self.metrics.in_flight.dec()
        self.metrics.requests.labels(code=str(result["code"])).inc()
        logger.info(
            "POST %s appid=%s inputs=%s code=%d status=%d %.1fms",
            COMPARE_PATH, appid, kinds, result["code"], status, (time.perf_counter() - started) * 1000,
        )
        return JSONResponse(result, status_code=status)

    async def _admit(self, request: Request) -> Tuple[str, _Inputs, SignedText]:
        """Every check before the comparison: the claimed appid, the inputs, the verified signature."""
        limit = self.config.max_body_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise _Rejected(23, "%s bytes declared, at most %d accepted" % (declared, limit))
        try:
            signed = verify(
                request.headers.get("authorization"), self.keyring, single_use_window=self.config.single_use_window
            )
        except SignatureRejected as rejected:
            raise _Rejected(rejected.code, rejected.reason) from rejected
        inputs = await self._read_inputs(Request(request.scope, _limited(request.receive, limit)))
        if not inputs.appid:
            raise _Rejected(-1301, "appid is empty")
        if inputs.appid != signed.appid:
            raise _Rejected(6, "the signature is for appid %s, the request for %s" % (signed.appid, inputs.appid))
        if inputs.bucket and inputs.bucket != signed.bucket:
            raise _Rejected(6, "the signature is for another bucket than the request")
        bucket = inputs.bucket or signed.bucket
        if self.config.bucket is not None and bucket and bucket != self.config.bucket:
            raise _Rejected(16, "bucket %s is not served here" % bucket)
        if signed.single_use:
            try:
                first = await self.replay_store().first_use(signed.fingerprint, self.config.single_use_window)
            except ReplayStoreUnavailable as exc:
                logger.error("face-compat sidecar: replay store %s unavailable: %s",
                             self.replay_store().describe(), exc)
                raise _Rejected(108, "replay store unavailable") from exc
            if not first:
                raise _Rejected(13, "single-use signature already used")
        return inputs.appid, inputs, signed

    async def _read_inputs(self, request: Request) -> _Inputs:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if content_type == "application/json":
                try:
                    body = json.loads(await request.body())
                except ValueError as exc:
                    raise _Rejected(3, "body is not JSON") from exc
                if not isinstance(body, dict):
                    raise _Rejected(3, "JSON body is not an object")
                return _inputs_from(body, {})
            if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
                try:
                    async with request.form(max_files=_MAX_FORM_PARTS, max_fields=_MAX_FORM_PARTS) as form:
                        texts: Dict[str, Any] = {}
                        blobs: Dict[str, bytes] = {}
                        for name in _TEXT_FIELDS + _IMAGE_FIELDS:
                            value = form.get(name)
                            if isinstance(value, UploadFile):
                                blobs[name] = await value.read()
                            elif value is not None:
                                texts[name] = value
                        return _inputs_from(texts, blobs)
                except HTTPException as exc:
                    raise _Rejected(3, "unreadable form: %s" % exc.detail) from exc
                except ValueError as exc:  # older starlette lets python-multipart's parse errors through
                    raise _Rejected(3, "unreadable form: %s" % exc) from exc
            raise _Rejected(3, "Content-Type must be application/json or multipart/form-data")
        except _BodyTooLarge as exc:
            raise _Rejected(23, "body exceeds %d bytes" % self.config.max_body_bytes) from exc
        except ClientDisconnect as exc:
            raise _Rejected(3, "client went away before the body was read") from exc

    async def _compare(self, signed: SignedText, inputs: _Inputs) -> Dict[str, Any]:
        client = self.clients[signed.secret_id]
        started = time.perf_counter()
        try:
            # blocking (the SDK speaks requests): in a worker thread, never on the event loop
            return await run_in_threadpool(_compare_in_worker, client, inputs)
        finally:
            self.metrics.compare_seconds.observe(time.perf_counter() - started)

    async def healthz(self, request: Request) -> Response:
        store = self.replay_store()
        try:
            await store.ping()
        except ReplayStoreUnavailable:
            return JSONResponse({"status": "unavailable", "replay_store": store.describe()}, status_code=503)
        return JSONResponse({"status": "ok", "replay_store": store.describe()})

    async def metrics_page(self, request: Request) -> Response:
        return Response(generate_latest(self.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    async def elsewhere(self, request: Request) -> Response:
        """Any other v1 path: a v1 answer rather than HTML, so the legacy client reports it readably."""
        result = v1_result(3, "%s: face-compat serves only %s, not %s" % (v1_message(3), COMPARE_PATH,
                                                                          request.url.path))
        return JSONResponse(result, status_code=404)


def _compare_in_worker(client: Client, inputs: _Inputs) -> Dict[str, Any]:
    # Runs in the worker thread; being a frame of compat/server, it also lets the deprecation counter
    # (compat.migrate.usage) attribute the call to the sidecar rather than to a thread-pool frame.
    return client.compare(
        inputs.urls["A"], inputs.urls["B"], imageA=inputs.images["A"], imageB=inputs.images["B"], appid=inputs.appid
    )


def _text(name: str, value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Rejected(21, "%s is not UTF-8 text" % name) from exc
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise _Rejected(21, "%s must be a string" % name)


def _inputs_from(texts: Mapping[str, Any], blobs: Mapping[str, bytes]) -> _Inputs:
    """The request's fields; the legacy client sends even ``appid`` as a file part, so either form is read."""
    values = {name: _text(name, blobs.get(name, texts.get(name))) for name in _TEXT_FIELDS}
    images: Dict[str, Optional[bytes]] = {}
    for name in _IMAGE_FIELDS:
        blob = blobs.get(name)
        text = texts.get(name)
        images[name[-1]] = blob if blob is not None else text.encode("utf-8") if isinstance(text, str) else None
    return _Inputs(
        appid=(values["appid"] or "").strip(),
        bucket=values["bucket"],
        urls={"A": values["urlA"], "B": values["urlB"]},
        images=images,
    )


def _limited(receive: Receive, limit: int) -> Callable[[], Awaitable[Message]]:
    """``receive`` that counts body bytes and raises once more than ``limit`` arrived: nothing past it is read."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _BodyTooLarge()
        return message

    return counted


def create_app(config: SidecarConfig, *, store: Optional[ReplayStore] = None) -> Starlette:
    """The sidecar ASGI app. ``store`` overrides the replay store chosen by ``config.redis_url``."""
    sidecar = _Sidecar(config, store)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        replay_store = sidecar.replay_store()
        await replay_store.ping()  # a sidecar that cannot reach its Redis should not start
        logger.info(
            "face-compat sidecar: appids %s, replay store %s, body limit %d bytes",
            ",".join(sorted(sidecar.keyring.appids)), replay_store.describe(), config.max_body_bytes,
        )
        try:
            yield
        finally:
            if sidecar.owns_store:
                await replay_store.close()
                sidecar.store = None

    routes: List[Route] = [
        Route(COMPARE_PATH, sidecar.face_compare, methods=["POST"]),
        Route("/healthz", sidecar.healthz, methods=["GET"]),
        Route("/metrics", sidecar.metrics_page, methods=["GET"]),
        Route("/{path:path}", sidecar.elsewhere, methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.sidecar = sidecar
    return app
