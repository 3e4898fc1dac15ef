"""TC3-HMAC-SHA256 verification, written from Tencent Cloud's published API 3.0 signing algorithm.

Mirrors what the official SDK signs (``tencentcloud/common/abstract_client.py`` ``_get_tc3_signature`` and
``sign.py`` ``Sign.sign_tc3``)::

    CanonicalRequest = Method \\n URI \\n Query \\n CanonicalHeaders \\n SignedHeaders \\n hex(sha256(payload))
    StringToSign     = "TC3-HMAC-SHA256" \\n Timestamp \\n Date/service/tc3_request \\n hex(sha256(CanonicalRequest))
    SigningKey       = HMAC(HMAC(HMAC("TC3" + key, Date), service), "tc3_request")
    Signature        = hex(HMAC(SigningKey, StringToSign))

``Date`` is the UTC date of ``X-TC-Timestamp``; the SDK signs ``content-type;host`` but the algorithm allows any
header list, so the verifier canonicalises whatever ``SignedHeaders`` names.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping, Optional

from .exceptions import EmulatorError

ALGORITHM = "TC3-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

_AUTHORIZATION_PATTERN = re.compile(
    r"^TC3-HMAC-SHA256\s+Credential=(?P<secret_id>[^/\s,]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[^/\s,]+)/tc3_request"
    r"\s*,\s*SignedHeaders=(?P<signed_headers>[a-z0-9\-;]+)\s*,\s*Signature=(?P<signature>[0-9a-f]{64})\s*$"
)


@dataclass(frozen=True)
class Authorization:
    """The parts of a TC3 ``Authorization`` header."""

    secret_id: str
    date: str
    service: str
    signed_headers: str
    signature: str


def parse_authorization(header_value: Optional[str]) -> Authorization:
    """Split an ``Authorization`` header, or raise ``AuthFailure.InvalidAuthorization``."""
    if not header_value:
        raise EmulatorError("AuthFailure.InvalidAuthorization", "Authorization header is missing.")
    match = _AUTHORIZATION_PATTERN.match(header_value.strip())
    if match is None:
        raise EmulatorError("AuthFailure.InvalidAuthorization")
    signed = match.group("signed_headers").split(";")
    if "content-type" not in signed or "host" not in signed:
        raise EmulatorError("AuthFailure.InvalidAuthorization", "SignedHeaders must include content-type and host.")
    return Authorization(**match.groupdict())


def utc_date(timestamp: int) -> str:
    """The ``YYYY-MM-DD`` UTC date that goes into the credential scope."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")


def _hmac_sha256(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def compute_signature(
    *,
    secret_key: str,
    method: str,
    uri: str,
    query: str,
    headers: Mapping[str, str],
    signed_headers: str,
    payload: bytes,
    timestamp: str,
    date: str,
    service: str,
) -> str:
    """The hex TC3 signature for one request; ``headers`` is keyed by lower-case header name."""
    canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed_headers.split(";"))
    if headers.get("x-tc-content-sha256") == UNSIGNED_PAYLOAD:
        payload_hash = hashlib.sha256(UNSIGNED_PAYLOAD.encode()).hexdigest()
    else:
        payload_hash = hashlib.sha256(payload).hexdigest()
    canonical_request = "\n".join([method, uri, query, canonical_headers, signed_headers, payload_hash])
    credential_scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        [ALGORITHM, timestamp, credential_scope, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()]
    )
    signing_key = _hmac_sha256(
        _hmac_sha256(_hmac_sha256(("TC3" + secret_key).encode("utf-8"), date), service), "tc3_request"
    )
    return hmac.new(signing_key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def build_authorization(secret_id: str, date: str, service: str, signed_headers: str, signature: str) -> str:
    """The ``Authorization`` header value for a signature (used by tests and tools that sign by hand)."""
    return (
        f"{ALGORITHM} Credential={secret_id}/{date}/{service}/tc3_request, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )


def signature_matches(expected: str, received: str) -> bool:
    """Constant-time comparison, so the emulator does not teach timing attacks by example."""
    return hmac.compare_digest(expected, received)
