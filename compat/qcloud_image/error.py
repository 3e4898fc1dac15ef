"""The client-side error codes of ``qcloud-image`` 1.0.0 and the dict it answered them in.

These are the original SDK's own codes, produced before (or instead of) any request: they are not
v1 service codes and never come from the service.
"""
from __future__ import annotations

from typing import Any, Dict

__all__ = ["Error"]


class Error:
    """SDK-side error codes, with the original's values."""

    Param = -1  #: an argument of the wrong type, or empty
    Network = -2  #: no usable HTTP answer
    FilePath = -3  #: a CIFile path that does not exist or is not a file
    UNKNOWN = -4

    @staticmethod
    def json(code: int, message: str, httpcode: int = 0) -> Dict[str, Any]:
        """The dict the original returned for its own failures (``data`` is always empty)."""
        return {"httpcode": httpcode, "code": code, "message": message, "data": {}}
