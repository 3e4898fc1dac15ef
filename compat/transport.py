"""Building the SDK client: credentials chain, region, endpoint override, timeouts, keep-alive, retries.

Everything here is configuration for the official SDK; nothing speaks HTTP itself. One ``IaiClient``
is built per thread: the SDK keeps a ``requests.Session`` per client, and sessions are not
documented as thread-safe, so each thread gets its own client and keeps its own pooled connection.

The request body is built here, once, as bytes (:func:`json_body`): the SDK would otherwise ``json.dumps``
the base64 images (an escaping scan of every character), encode the text again to hash it and once
more to send it, and format the whole body into a debug string on every call. Signing stays the SDK's.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import warnings
from typing import Any, Callable, Dict, List, Mapping, Optional, Union
from urllib.parse import urlsplit

from tencentcloud.common.credential import Credential, CVMRoleCredential, ProfileCredential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.common.retry import StandardRetryer
from tencentcloud.iai.v20200303.iai_client import IaiClient

from .deadline import DeadlineAdapter, attempt_deadline
from .images import Base64Image

logger = logging.getLogger("compat")

# The SDK signs with datetime.utcfromtimestamp(), deprecated since Python 3.12: under -W error that warning
# would surface as an exception in the middle of every legacy call. Scoped to the SDK's own modules.
warnings.filterwarnings("ignore", message=r"datetime\.datetime\.utcfromtimestamp", category=DeprecationWarning,
                        module=r"tencentcloud\.")

DEFAULT_REGION = "ap-guangzhou"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2

#: Network errors typical of a pooled keep-alive connection the server had already closed. Such a request
#: almost always died unread, so one more attempt on a fresh connection is made even with retries disabled;
#: if a server closes after reading a request, that attempt is one extra (billed) call, logged at WARNING.
_STALE_CONNECTION_MARKERS = ("RemoteDisconnected", "Connection aborted", "BrokenPipe", "Connection reset by peer")


def _is_stale_connection(exc: TencentCloudSDKException) -> bool:
    return exc.code == "ClientNetworkError" and any(m in str(exc.message) for m in _STALE_CONNECTION_MARKERS)


class LoggedRetryer(StandardRetryer):
    """The SDK's retry policy (network errors, throttling) with short backoff and visible retries.

    Every retry is logged at WARNING with the 2.0 request id, because every attempt may be billed. Each
    attempt ends within ``timeout`` seconds (:func:`compat.deadline.attempt_deadline`), however slowly the
    reply arrives.
    """

    def __init__(self, retries: int, timeout: float, backoff: float = 0.2) -> None:
        super().__init__(max_attempts=retries + 1, logger=logger)
        self._retries = retries
        self._timeout = timeout
        self._backoff = backoff

    def send_request(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` with the configured retries, plus one free retry after a stale pooled connection."""
        attempt, stale_retry_left = 0, True
        while True:
            try:
                return self._attempt(fn)
            except TencentCloudSDKException as exc:
                if attempt < self._retries and self.should_retry(None, exc):
                    sleep = self._backoff * (2**attempt)
                    self.on_retry(attempt, sleep, None, exc)
                    time.sleep(sleep)
                    attempt += 1
                    continue
                if stale_retry_left and _is_stale_connection(exc):
                    stale_retry_left = False
                    logger.warning("face-compat: stale keep-alive connection (%s); retrying on a new one", exc.message)
                    continue
                raise

    def _attempt(self, fn: Callable[[], Any]) -> Any:
        with attempt_deadline(self._timeout) as deadline:
            try:
                response = fn()
                # The SDK streams replies: read the body now, inside the deadline, not after it.
                getattr(response, "content", None)
            except Exception as exc:
                if not deadline.expired:
                    raise
                raise self._timed_out() from exc
            if deadline.expired:  # what arrived before the watchdog cut the connection is not a reply
                raise self._timed_out()
            return response

    def _timed_out(self) -> TencentCloudSDKException:
        return TencentCloudSDKException(
            "ClientNetworkError", "Read timed out: no complete 2.0 reply within %gs" % self._timeout
        )

    @staticmethod
    def should_retry(resp: Any, err: Any) -> bool:
        """The SDK's policy, except a read timeout: the request reached 2.0 and may be billed already."""
        if getattr(err, "code", None) == "ClientNetworkError" and "Read timed out" in str(getattr(err, "message", "")):
            return False
        return bool(StandardRetryer.should_retry(resp, err))

    def on_retry(self, n: int, sleep: float, resp: Any, err: Any) -> None:
        """Log the retry with the 2.0 code and request id."""
        logger.warning(
            "face-compat: 2.0 CompareFace attempt %d failed with %s (RequestId %s); retrying in %.2fs",
            n + 1,
            getattr(err, "code", err),
            getattr(err, "requestId", "") or "-",
            sleep,
        )


class JsonBody(bytearray):
    """A request body already encoded as JSON; prints as its size, so no log line copies (or leaks) the images."""

    def __repr__(self) -> str:
        return "<%d-byte JSON body>" % len(self)

    __str__ = __repr__


def json_body(params: Mapping[str, Any]) -> JsonBody:
    """``params`` as the JSON text ``json.dumps`` would give, as bytes; :class:`Base64Image` values are
    base64-encoded directly into the body (their text needs no escaping), so nothing image-sized is copied twice."""
    segments: List[Union[bytes, Base64Image]] = []
    separator = b"{"
    for name, value in params.items():
        key = separator + json.dumps(name).encode("ascii") + b": "
        if isinstance(value, Base64Image):
            segments += [key + b'"', value, b'"']
        else:
            segments.append(key + json.dumps(value).encode("ascii"))
        separator = b", "
    segments.append(b"}" if segments else b"{}")
    body = JsonBody(sum(s.base64_length if isinstance(s, Base64Image) else len(s) for s in segments))
    position = 0
    for segment in segments:
        if isinstance(segment, Base64Image):
            position = segment.write_base64(body, position)
        else:
            body[position : position + len(segment)] = segment
            position += len(segment)
    return body


class PreEncodedParams(Dict[str, Any]):
    """What :class:`CompareFaceClient` is called with: an empty dict to the SDK, carrying the real body."""

    def __init__(self, body: JsonBody) -> None:
        super().__init__()
        self.body = body


class CompareFaceClient(IaiClient):
    """``IaiClient`` that sends a body the shim encoded itself (:class:`PreEncodedParams`), signed by the SDK.

    The SDK builds a TC3 request in ``_build_req_with_tc3_signature``: headers, then ``req.data = json.dumps(params)``,
    then ``_get_tc3_signature``, which hashes ``req.data``. Given :class:`PreEncodedParams`, that ``json.dumps``
    sees an empty dict (free) and the real body is put in place just before the SDK's own signing code hashes
    it, so headers, canonical request and signature stay exactly the SDK's. Anything else goes through unchanged.
    """

    def _get_tc3_signature(
        self, params: Any, req: Any, date: str, service: str, secret_key: str, options: Any = None
    ) -> str:
        if isinstance(params, PreEncodedParams):
            if req.method != "POST" or req.header.get("Content-Type") != "application/json":
                raise TencentCloudSDKException("ClientParamsError", "a pre-encoded body needs a JSON POST")
            req.data = params.body
        return str(super()._get_tc3_signature(params, req, date, service, secret_key, options))


#: What the SDK's debug log must never show: the TC3 signature (valid for minutes) and a session token.
_SECRET_PATTERNS = (
    (re.compile(r"Signature=[0-9a-fA-F]+"), "Signature=<redacted>"),
    (re.compile(r"(X-TC-Token: )\S+"), r"\1<redacted>"),
)


class RedactSecrets(logging.Filter):
    """Masks signatures and tokens in the SDK's debug records (it logs every request with its headers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with secrets masked; never drops a record."""
        message = record.getMessage()
        redacted = message
        for pattern, replacement in _SECRET_PATTERNS:
            redacted = pattern.sub(replacement, redacted)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def _install_sdk_log_redaction() -> None:
    sdk_logger = logging.getLogger("tencentcloud_sdk_common")
    if not any(isinstance(f, RedactSecrets) for f in sdk_logger.filters):
        sdk_logger.addFilter(RedactSecrets())


_install_sdk_log_redaction()


def resolve_credential(
    secret_id: Optional[str], secret_key: Optional[str], token: Optional[str] = None, role: Optional[str] = None
) -> Optional[Any]:
    """The SDK credential to sign with, or ``None`` when none is configured.

    Order: explicit arguments, ``TENCENTCLOUD_SECRET_ID``/``TENCENTCLOUD_SECRET_KEY`` (+ ``..._SESSION_TOKEN``),
    the SDK's profile file (``~/.tencentcloud/credentials``), then a CVM role when one is named
    (``role=`` or ``TENCENTCLOUD_CVM_ROLE``). The role lookup is opt-in because the SDK queries the
    metadata service without a timeout, which would hang off Tencent Cloud.
    """
    if secret_id and secret_key:
        return Credential(secret_id, secret_key, token)
    env_id, env_key = os.environ.get("TENCENTCLOUD_SECRET_ID"), os.environ.get("TENCENTCLOUD_SECRET_KEY")
    if env_id and env_key:
        return Credential(env_id, env_key, os.environ.get("TENCENTCLOUD_SESSION_TOKEN") or None)
    from_profile = ProfileCredential().get_credential()
    if from_profile is not None:
        return from_profile
    role = role or os.environ.get("TENCENTCLOUD_CVM_ROLE")
    if role:
        return CVMRoleCredential(role)
    return None


def http_profile(endpoint: Optional[str], timeout: float, proxy: Optional[str]) -> HttpProfile:
    """An ``HttpProfile`` with keep-alive on; ``endpoint`` is a base URL such as ``http://127.0.0.1:9000``."""
    protocol, host = "https", None
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else "https://" + endpoint)
        protocol, host = parts.scheme or "https", parts.netloc
    return HttpProfile(protocol=protocol, endpoint=host, reqTimeout=timeout, keepAlive=True, proxy=proxy)


class ThreadLocalSdk:
    """One ``IaiClient`` per thread, built on first use with the same credential and profile settings."""

    def __init__(
        self,
        credential: Any,
        region: str,
        endpoint: Optional[str],
        timeout: float,
        retries: int,
        proxy: Optional[str],
        certification: Any = None,
    ) -> None:
        self._credential = credential
        self._region = region
        self._endpoint = endpoint
        self._timeout = timeout
        self._retries = retries
        self._proxy = proxy
        self._certification = certification
        self._local = threading.local()

    def get(self) -> CompareFaceClient:
        """This thread's client."""
        client: Optional[CompareFaceClient] = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._build()
        return client

    def call(self, action: str, params: Mapping[str, Any]) -> Any:
        """Send ``params`` (values may be :class:`Base64Image`) as one signed JSON POST; the reply body."""
        return self.get().call(action, PreEncodedParams(json_body(params)))

    def _build(self) -> CompareFaceClient:
        http = http_profile(self._endpoint, self._timeout, self._proxy)
        if self._certification is not None:
            http.certification = self._certification
        profile = ClientProfile(
            httpProfile=http, retryer=LoggedRetryer(self._retries, self._timeout), language="en-US"
        )
        client = CompareFaceClient(self._credential, self._region, profile)
        # The SDK resolves the proxy from the environment once, here; with trust_env left on, requests
        # would rescan the environment and stat ~/.netrc on every call.
        session = getattr(getattr(getattr(client, "request", None), "conn", None), "_session", None)
        if session is not None:
            session.trust_env = False
            for scheme in ("http://", "https://"):
                session.mount(scheme, DeadlineAdapter())
        return client
