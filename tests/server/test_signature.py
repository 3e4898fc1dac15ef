"""v1 signature verification: every fault has its code, and the real legacy signer verifies."""
from __future__ import annotations

import base64
import time

import pytest

from compat.server.signature import AppKey, Keyring, SignatureRejected, sign, verify

KEY = AppKey("1250000000", "AKIDlegacy", "legacy-secret")
OTHER = AppKey("1250000001", "AKIDother", "other-secret")
KEYRING = Keyring([KEY, OTHER])


def _code(header: object, **kwargs: object) -> int:
    with pytest.raises(SignatureRejected) as caught:
        verify(header, KEYRING, **kwargs)  # type: ignore[arg-type]
    return caught.value.code


def test_the_real_legacy_signer_verifies() -> None:
    qcloud_image = pytest.importorskip("qcloud_image.auth")
    header = qcloud_image.Auth(KEY.appid, KEY.secret_id, KEY.secret_key).get_sign("legacy").decode()
    signed = verify(header, KEYRING)
    assert (signed.appid, signed.bucket, signed.secret_id, signed.single_use) == (KEY.appid, "legacy", KEY.secret_id,
                                                                                  False)


def test_the_swap_signs_byte_for_byte_like_the_original(monkeypatch: pytest.MonkeyPatch) -> None:
    original = pytest.importorskip("qcloud_image.auth")
    from compat.qcloud_image import Auth

    monkeypatch.setattr(time, "time", lambda: 1700000000.5)
    monkeypatch.setattr("random.randint", lambda a, b: 424242)
    assert Auth(1, "id", "key").get_sign("b", 60) == original.Auth(1, "id", "key").get_sign("b", 60)


@pytest.mark.parametrize(
    "header, code",
    [
        (None, 4),
        ("", 4),
        ("   ", 4),
        ("not base64 at all!", 5),
        (base64.b64encode(b"short").decode(), 5),
        (base64.b64encode(b"x" * 20 + b"a=1&b=&k=id").decode(), 5),
        (base64.b64encode(b"x" * 20 + b"a=1&b=&k=id&e=soon&t=1&r=1&f=").decode(), 5),
        (base64.b64encode(b"x" * 20 + b"\xff\xfe").decode(), 5),
    ],
)
def test_empty_and_malformed(header: object, code: int) -> None:
    assert _code(header) == code


def test_unknown_appid_secret_id_and_mismatch() -> None:
    later = int(time.time()) + 60
    assert _code(sign(AppKey("999", KEY.secret_id, KEY.secret_key), expiry=later)) == 10
    assert _code(sign(AppKey(KEY.appid, "AKIDunknown", KEY.secret_key), expiry=later)) == 11
    assert _code(sign(AppKey(KEY.appid, OTHER.secret_id, OTHER.secret_key), expiry=later)) == 12


def test_forged_hmac_and_tampered_text() -> None:
    later = int(time.time()) + 60
    assert _code(sign(AppKey(KEY.appid, KEY.secret_id, "guessed"), expiry=later)) == 14
    raw = base64.b64decode(sign(KEY, "b", expiry=later))
    tampered = raw.replace(b"b=b&", b"b=c&")
    assert _code(base64.b64encode(tampered).decode()) == 14


def test_expiry_is_checked_after_the_hmac() -> None:
    past = int(time.time()) - 1
    assert _code(sign(KEY, expiry=past)) == 9
    assert _code(sign(AppKey(KEY.appid, KEY.secret_id, "guessed"), expiry=past)) == 14
    assert verify(sign(KEY, expiry=past + 10), KEYRING).expiry == past + 10


def test_single_use_signatures_live_for_the_window() -> None:
    now = int(time.time())
    signed = verify(sign(KEY, expiry=0, fileid="f1", signed_at=now - 10), KEYRING, single_use_window=60)
    assert signed.single_use
    assert _code(sign(KEY, expiry=0, fileid="f1", signed_at=now - 120), single_use_window=60) == 9
    assert _code(sign(KEY, expiry=0, signed_at=now)) == 9  # e=0 without a file id is just expired


def test_fingerprints_differ_per_signature() -> None:
    first = verify(sign(KEY, expiry=0, fileid="f", rand="1"), KEYRING)
    second = verify(sign(KEY, expiry=0, fileid="f", rand="2"), KEYRING)
    assert first.fingerprint != second.fingerprint
    assert first.fingerprint == verify(sign(KEY, expiry=0, fileid="f", rand="1", signed_at=first.signed_at),
                                       KEYRING).fingerprint
