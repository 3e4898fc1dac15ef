"""v1 ``Authorization`` verification, as the v1 service did it.

A v1 signature is ``base64(HMAC-SHA1(SecretKey, text) + text)`` over the plain text
``a=<appid>&b=<bucket>&k=<SecretId>&e=<expiry>&t=<now>&r=<random>&f=<fileid>``. A multi-use signature
carries an expiry time ``e``; a single-use one carries ``e=0`` and a file id ``f`` and is good once.

Checks run in this order, each failure answering its v1 code (:class:`SignatureRejected`):

==== =====================================================================================
 4    no ``Authorization`` header, or an empty one
 5    not base64, too short, or the text lacks a field / has a non-integer time
 10   the signed appid is not one this sidecar serves
 11   the signed SecretId is not known
 12   the SecretId belongs to another appid
 14   the HMAC does not verify with that SecretId's key
 9    expired (multi-use: ``e`` passed; single-use: signed longer ago than the replay window)
==== =====================================================================================

Only key lookups come before the HMAC; every claim that decides anything else (expiry, and later the
appid/bucket match with the request, code 6, and single use, code 13) is trusted only once it verifies.
Codes 6 and 13 need the request body and the replay store, so :mod:`compat.server.app` applies them.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from typing import Dict, Iterable, Iterator, NamedTuple, Optional, Tuple

__all__ = ["AppKey", "Keyring", "SignatureRejected", "SignedText", "sign", "verify"]

_DIGEST_SIZE = hashlib.sha1().digest_size
_FIELDS = ("a", "b", "k", "e", "t", "r", "f")


class AppKey(NamedTuple):
    """One pair of API keys and the appid it belongs to."""

    appid: str
    secret_id: str
    secret_key: str


class SignatureRejected(Exception):
    """The signature fails a check; ``code`` is the v1 code to answer, ``reason`` says why (no secrets)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason


class SignedText(NamedTuple):
    """The fields of a verified signature, and a digest identifying it for the replay store."""

    appid: str
    bucket: str
    secret_id: str
    expiry: int
    signed_at: int
    rand: str
    fileid: str
    fingerprint: str

    @property
    def single_use(self) -> bool:
        """A single-use signature: no expiry time, bound to a file id."""
        return self.expiry == 0 and bool(self.fileid)


class Keyring:
    """The appids this sidecar serves and their API keys, looked up by SecretId."""

    def __init__(self, keys: Iterable[AppKey]) -> None:
        self._by_secret_id: Dict[str, AppKey] = {}
        for key in keys:
            self._by_secret_id[key.secret_id] = key
        self.appids = frozenset(key.appid for key in self._by_secret_id.values())

    def __iter__(self) -> Iterator[AppKey]:
        return iter(self._by_secret_id.values())

    def __len__(self) -> int:
        return len(self._by_secret_id)

    def get(self, secret_id: str) -> Optional[AppKey]:
        """The key with this SecretId, or ``None``."""
        return self._by_secret_id.get(secret_id)


def sign(
    key: AppKey, bucket: str = "", *, expiry: int = 0, signed_at: Optional[int] = None, rand: str = "0",
    fileid: str = "",
) -> str:
    """A v1 signature (for tests and hand-written clients): ``expiry=0`` with a ``fileid`` is single-use."""
    now = int(time.time()) if signed_at is None else signed_at
    text = "a=%s&b=%s&k=%s&e=%d&t=%d&r=%s&f=%s" % (key.appid, bucket, key.secret_id, expiry, now, rand, fileid)
    digest = hmac.new(key.secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest + text.encode("utf-8")).decode("ascii")


def _parse(header: str) -> Tuple[bytes, bytes, Dict[str, str]]:
    try:
        raw = base64.b64decode(header.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureRejected(5, "not base64") from exc
    digest, text = raw[:_DIGEST_SIZE], raw[_DIGEST_SIZE:]
    if not text:
        raise SignatureRejected(5, "too short to hold an HMAC-SHA1 and a text")
    try:
        plain = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SignatureRejected(5, "signed text is not UTF-8") from exc
    fields: Dict[str, str] = {}
    for pair in plain.split("&"):
        name, sep, value = pair.partition("=")
        if not sep or name in fields:
            raise SignatureRejected(5, "signed text is not a=..&b=..&k=..&e=..&t=..&r=..&f=..")
        fields[name] = value
    missing = [name for name in _FIELDS if name not in fields]
    if missing:
        raise SignatureRejected(5, "signed text lacks %s" % ", ".join(missing))
    for name in ("e", "t"):
        if not fields[name].isdigit():
            raise SignatureRejected(5, "signed %s is not a unix time" % name)
    return digest, text, fields


def verify(
    header: Optional[str], keyring: Keyring, *, now: Optional[float] = None, single_use_window: int = 3600
) -> SignedText:
    """Verify an ``Authorization`` header value; the signed fields, or :class:`SignatureRejected`.

    ``single_use_window``: how long (seconds) after signing a single-use signature is accepted; the
    replay store must remember used signatures at least that long.
    """
    if header is None or not header.strip():
        raise SignatureRejected(4, "no Authorization header")
    digest, text, fields = _parse(header)
    appid, secret_id = fields["a"], fields["k"]
    if appid not in keyring.appids:
        raise SignatureRejected(10, "appid %s is not served here" % appid)
    key = keyring.get(secret_id)
    if key is None:
        raise SignatureRejected(11, "unknown SecretId")
    if key.appid != appid:
        raise SignatureRejected(12, "the SecretId belongs to another appid")
    expected = hmac.new(key.secret_key.encode("utf-8"), text, hashlib.sha1).digest()
    if not hmac.compare_digest(expected, digest):
        raise SignatureRejected(14, "HMAC-SHA1 does not match")
    signed = SignedText(
        appid, fields["b"], secret_id, int(fields["e"]), int(fields["t"]), fields["r"], fields["f"],
        hashlib.sha256(digest + text).hexdigest(),
    )
    current = time.time() if now is None else now
    if signed.single_use:
        if signed.signed_at + single_use_window < current:
            raise SignatureRejected(9, "single-use signature older than %d s" % single_use_window)
    elif signed.expiry < current:
        raise SignatureRejected(9, "signature expired")
    return signed
