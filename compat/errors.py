"""The v1 code table, the 2.0 -> v1 translation, and the one exception class.

Both tables are data (``compat/data/v1_codes.json``, ``compat/data/error_map.json``), loaded once;
the code below only looks things up. MIGRATION.md is rendered from the same files.

Hierarchy::

    Exception
     └── CompareError        v1 code, 2.0 code, request id, fail_flag and the v1 dict it stands for

Translation order for a 2.0 code: exact row, then the longest matching prefix row, then the default row.
"""
from __future__ import annotations

import json
import logging
import pkgutil
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, NamedTuple, Optional

from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException


def _read_data(name: str) -> str:
    data = pkgutil.get_data("compat", "data/" + name)
    assert data is not None, name
    return data.decode("utf-8")


V1_CODES: Dict[int, Dict[str, str]] = {int(k): v for k, v in json.loads(_read_data("v1_codes.json")).items()}
ERROR_MAP: Dict[str, Any] = json.loads(_read_data("error_map.json"))
_PREFIX_ROWS: List[Dict[str, Any]] = sorted(ERROR_MAP["prefix"], key=lambda row: -len(row["prefix"]))

#: Pseudo codes for failures on the shim's side of the wire, which have no 2.0 code.
SHIM_CODE_PREFIX = "FaceCompat."
MISSING_CREDENTIALS = SHIM_CODE_PREFIX + "MissingCredentials"
MALFORMED_REPLY = SHIM_CODE_PREFIX + "MalformedReply"
UNEXPECTED_ERROR = SHIM_CODE_PREFIX + "UnexpectedError"

logger = logging.getLogger("compat")

#: How much of a foreign error message is kept (a gateway may answer a whole HTML page).
_DETAIL_LIMIT = 200


class Translation(NamedTuple):
    """Where a 2.0 code lands in v1: the code, the message to answer, and whether one image is to blame."""

    v1_code: int
    message: str
    per_image: bool
    rule: str


def v1_message(code: int) -> str:
    """The short v1 text for ``code`` (``"OK"`` for 0)."""
    return V1_CODES[code]["message"]


def translate(tc_code: str) -> Translation:
    """Translate a 2.0 error code (or a client-side pseudo code) to its v1 code and message."""
    row = ERROR_MAP["exact"].get(tc_code)
    rule = "exact"
    if row is None:
        row = next((r for r in _PREFIX_ROWS if tc_code.startswith(r["prefix"])), None)
        rule = "prefix"
    if row is None:
        row, rule = ERROR_MAP["default"], "default"
    code = row["v1"]
    return Translation(code, row.get("message", v1_message(code)), bool(row.get("per_image")), rule)


class CompareError(Exception):
    """A failed comparison, for code that opts into exceptions (``raise_errors=True``).

    Carries the v1 ``code`` legacy code checks, the 2.0 ``tc_code`` (empty when the shim decided
    locally), the 2.0 ``request_id``, ``fail_flag`` (1 or 2 when one image is to blame) and ``result``,
    the v1 dict the call would have returned.
    """

    def __init__(
        self,
        code: int,
        message: str,
        *,
        tc_code: str = "",
        request_id: str = "",
        fail_flag: Optional[int] = None,
        result: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.tc_code = tc_code
        self.request_id = request_id
        self.fail_flag = fail_flag
        self.result = result

    def __str__(self) -> str:
        return "v1 code {}: {}".format(self.code, self.message)


class ServiceFailure(Exception):
    """A 2.0 call that did not produce a score: the 2.0 (or pseudo) code, its detail and request id."""

    def __init__(self, tc_code: str, detail: str, request_id: str = "") -> None:
        super().__init__(tc_code, detail, request_id)
        self.tc_code = tc_code
        self.detail = detail
        self.request_id = request_id


def _short(detail: Any) -> str:
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    text = " ".join(str(detail).split())
    return text if len(text) <= _DETAIL_LIMIT else text[:_DETAIL_LIMIT] + "..."


@contextmanager
def map_sdk_errors() -> Iterator[None]:
    """Turn whatever the SDK call raises into a :class:`ServiceFailure` carrying a 2.0 code.

    The SDK raises ``TencentCloudSDKException`` for 2.0 errors and most network faults, but a reply
    that is not JSON, or a body cut off while streaming, escapes it as a plain ``ValueError`` or a
    ``requests`` exception; those become the pseudo codes in ``error_map.json``.
    """
    try:
        yield
    except ServiceFailure:
        raise
    except TencentCloudSDKException as exc:
        raise ServiceFailure(exc.code or "InternalError", _short(exc.message), exc.requestId or "") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ServiceFailure(MALFORMED_REPLY, _short("unreadable 2.0 reply: %s" % exc)) from exc
    except OSError as exc:  # requests' exceptions are IOError subclasses
        raise ServiceFailure("ClientNetworkError", _short(exc)) from exc
    except Exception as exc:  # the shim promises an answer, not a traceback, even for an SDK bug
        logger.exception("face-compat: unexpected error inside the 2.0 call")
        raise ServiceFailure(UNEXPECTED_ERROR, _short("%s: %s" % (type(exc).__name__, exc))) from exc


def describe(translation: Translation, tc_code: str, detail: str) -> str:
    """The v1 message for a translated failure: short v1 text, then the 2.0 code and its detail."""
    if not tc_code or tc_code.startswith(SHIM_CODE_PREFIX):
        return translation.message if not detail else "{}: {}".format(translation.message, detail)
    return "{} (2.0 {}: {})".format(translation.message, tc_code, detail) if detail else "{} (2.0 {})".format(
        translation.message, tc_code
    )
