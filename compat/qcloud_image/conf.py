"""``Conf``: the configuration class of ``qcloud-image`` 1.0.0, kept so legacy code that touches it still runs.

Legacy deployments point the original at another host with ``Conf._Conf__SERVICE_ADDR = "..."``. Under the
import swap that line must keep working, but it routes nothing: the shim reaches 2.0 through the official SDK
(``FACE_COMPAT_ENDPOINT`` / ``TENCENTCLOUD_REGION`` choose where).
"""
from __future__ import annotations

import platform

__all__ = ["Conf"]

VERSION = "1.0.0"


class Conf:
    """Scheme, timeout and host of a v1 client, as the original kept them (informational under the shim)."""

    __SERVICE_ADDR = "service.image.myqcloud.com"
    __HEADER_HOST = "service.image.myqcloud.com"

    def __init__(self) -> None:
        self.__REQ_TIMEOUT: float = 60
        self.__SCHEME = "http"

    def use_http(self) -> None:
        """Choose http for v1 URLs (the shim reaches 2.0 over https or ``FACE_COMPAT_ENDPOINT``)."""
        self.__SCHEME = "http"

    def use_https(self) -> None:
        """Choose https for v1 URLs."""
        self.__SCHEME = "https"

    def set_timeout(self, timeout: float) -> None:
        """Seconds per request; ignored unless positive, as in the original."""
        if timeout > 0:
            self.__REQ_TIMEOUT = timeout

    def timeout(self) -> float:
        """The configured timeout in seconds."""
        return self.__REQ_TIMEOUT

    def host(self) -> str:
        """The v1 Host header the original sent."""
        return Conf.__HEADER_HOST

    def build_url(self, uri: str) -> str:
        """The v1 URL the original would have called for ``uri``."""
        return self.__SCHEME + "://" + Conf.__SERVICE_ADDR + "/" + uri.lstrip("/")

    @staticmethod
    def get_ua(appid: object = None) -> str:
        """The original's User-Agent string."""
        ua = "CIPythonSDK/" + VERSION + " (" + platform.platform() + ")"
        if appid:
            ua = ua + " User(" + str(appid) + ")"
        return ua
