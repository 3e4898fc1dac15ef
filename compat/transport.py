"""Building the SDK client: credentials chain, region, endpoint override, timeouts, keep-alive, retries.

Everything here is configuration for the official SDK; nothing speaks HTTP itself. One ``IaiClient``
is built per thread: the SDK keeps a ``requests.Session`` per client, and sessions are not
documented as thread-safe, so each thread gets its own client and keeps its own pooled connection.
"""
from __future__ import annotations

import logging
import os
import threading
import time
import warnings
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from tencentcloud.common.credential import Credential, CVMRoleCredential, ProfileCredential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.common.retry import StandardRetryer
from tencentcloud.iai.v20200303.iai_client import IaiClient

logger = logging.getLogger("compat")

# The SDK signs with datetime.utcfromtimestamp(), deprecated since Python 3.12: under -W error that warning
# would surface as an exception in the middle of every legacy call. Scoped to the SDK's own modules.
warnings.filterwarnings("ignore", message=r"datetime\.datetime\.utcfromtimestamp", category=DeprecationWarning,
                        module=r"tencentcloud\.")

DEFAULT_REGION = "ap-guangzhou"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2

#: Network errors that mean a pooled keep-alive connection had gone stale: the request never reached
#: a live server, so one more attempt on a fresh connection is safe even with retries disabled.
_STALE_CONNECTION_MARKERS = ("RemoteDisconnected", "Connection aborted", "BrokenPipe", "Connection reset by peer")


def _is_stale_connection(exc: TencentCloudSDKException) -> bool:
    return exc.code == "ClientNetworkError" and any(m in str(exc.message) for m in _STALE_CONNECTION_MARKERS)


class LoggedRetryer(StandardRetryer):
    """The SDK's retry policy (network errors, throttling) with short backoff and visible retries.

    Every retry is logged at WARNING with the 2.0 request id, because every attempt may be billed.
    """

    def __init__(self, retries: int, backoff: float = 0.2) -> None:
        super().__init__(max_attempts=retries + 1, logger=logger)
        self._retries = retries
        self._backoff = backoff

    def send_request(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` with the configured retries, plus one free retry after a stale pooled connection."""
        attempt, stale_retry_left = 0, True
        while True:
            try:
                return fn()
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
    profile = HttpProfile(reqTimeout=timeout, keepAlive=True, proxy=proxy)
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else "https://" + endpoint)
        profile = HttpProfile(
            protocol=parts.scheme or "https", endpoint=parts.netloc, reqTimeout=timeout, keepAlive=True, proxy=proxy
        )
    return profile


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

    def get(self) -> IaiClient:
        """This thread's client."""
        client: Optional[IaiClient] = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._build()
        return client

    def _build(self) -> IaiClient:
        http = http_profile(self._endpoint, self._timeout, self._proxy)
        if self._certification is not None:
            http.certification = self._certification
        profile = ClientProfile(httpProfile=http, retryer=LoggedRetryer(self._retries), language="en-US")
        client = IaiClient(self._credential, self._region, profile)
        # The SDK resolves the proxy from the environment once, here; with trust_env left on, requests
        # would rescan the environment and stat ~/.netrc on every call.
        session = getattr(getattr(getattr(client, "request", None), "conn", None), "_session", None)
        if session is not None:
            session.trust_env = False
        return client
