"""``Auth``: the v1 multi-use signature, byte for byte as ``qcloud-image`` 1.0.0 made it.

The shim itself signs nothing with it (the 2.0 call is signed by the official SDK); it is kept because
the original exported it, and legacy code sometimes signs its own v1 requests with it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import random
import time

__all__ = ["Auth"]


class Auth:
    """v1 signer for one appid and one pair of API keys."""

    def __init__(self, appid: object, sid: object, skey: object) -> None:
        self._appid, self._secretid, self._secretkey = str(appid), str(sid), str(skey)

    def get_sign(self, bucket: str, howlong: int = 30) -> bytes:
        """A multi-use signature valid for ``howlong`` seconds: base64(HMAC-SHA1(key, text) + text)."""
        if howlong <= 0:
            raise Exception("Param howlong must be great than 0")
        now = int(time.time())
        rdm = random.randint(0, 999999999)
        text = "a={}&b={}&k={}&e={}&t={}&r={}&f=".format(
            self._appid, bucket, self._secretid, now + howlong, now, rdm
        )
        digest = hmac.new(self._secretkey.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).digest()
        return base64.b64encode(digest + text.encode("utf-8")).rstrip()
