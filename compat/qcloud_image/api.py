"""``Client``: the ``qcloud_image.Client`` of ``qcloud-image`` 1.0.0, answering ``face_compare`` through 2.0.

``face_compare`` keeps the original's contract to the letter: the same argument checks in the same
order with the same client-side codes and messages (``-1`` wrong type or empty, ``-3`` missing file),
then one :meth:`compat.Client.compare`, whose v1 dict comes back with ``httpcode`` 200, the way the
original reported any answer from the v1 service. Every other public method of the original answers
a v1-shaped error built from :data:`compat.qcloud_image.unsupported.UNSUPPORTED_METHODS`.
"""
from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional, Tuple

from .auth import Auth
from .error import Error
from .type import CIUrl
from .unsupported import UNSUPPORTED_METHODS

if TYPE_CHECKING:
    import compat

__all__ = ["Client"]

#: ``httpcode`` of every answer that stands for a reply of the v1 service (the original added the HTTP status).
SERVICE_HTTPCODE = 200

#: Modules whose ``CIUrl``/``CIFile``/``CIBuffer`` are accepted: the shim's, and the original's, so that
#: code mixing imports from both (a half-applied import swap) keeps working.
_TYPE_MODULES = frozenset({CIUrl.__module__, "qcloud_image.type"})
_KINDS = {"CIUrl": "url", "CIFile": "file", "CIBuffer": "buffer"}


def _kind_of(picture: object) -> Optional[str]:
    """``"url"``, ``"file"`` or ``"buffer"`` for an instance of one of the three input types, else ``None``."""
    for cls in type(picture).__mro__:
        kind = _KINDS.get(cls.__name__)
        if kind is not None and cls.__module__ in _TYPE_MODULES:
            return kind
    return None


class Client:
    """Drop-in ``qcloud_image.Client``: ``sid``/``skey`` (SecretId/SecretKey) are the account's API keys, and sign 2.0.

    The parameter names are the original's, so keyword calls such as ``Client(appid=..., sid=..., skey=...,
    bucket=...)`` keep working.

    One :class:`compat.Client` is built per instance (lazily, and again after :meth:`set_timeout`).
    Empty keys fall back to the core's credential chain (``TENCENTCLOUD_SECRET_ID``/``_KEY``, profile, role);
    ``FACE_COMPAT_ENDPOINT`` and ``TENCENTCLOUD_REGION`` apply as for :class:`compat.Client`.
    """

    def __init__(self, appid: Any, sid: Any, skey: Any, bucket: Any) -> None:
        self._auth = Auth(appid, sid, skey)
        self._bucket = bucket
        self._scheme = "http"
        self._timeout: Optional[float] = None
        self._lock = threading.Lock()
        self._built: Optional[Tuple[Optional[float], compat.Client]] = None

    def use_http(self) -> None:
        """Kept for compatibility; 2.0 is reached over HTTPS (or ``FACE_COMPAT_ENDPOINT``) whatever is chosen."""
        self._scheme = "http"

    def use_https(self) -> None:
        """Kept for compatibility; 2.0 is reached over HTTPS (or ``FACE_COMPAT_ENDPOINT``) whatever is chosen."""
        self._scheme = "https"

    def set_timeout(self, timeout: float) -> None:
        """Seconds to wait for 2.0; ignored unless positive, as in the original."""
        if timeout > 0:
            self._timeout = float(timeout)

    def face_compare(self, pictureA: Any, pictureB: Any) -> Dict[str, Any]:
        """Compare the faces in two pictures, each a :class:`CIUrl`, :class:`CIFile` or :class:`CIBuffer`.

        Answers the original's dict: the v1 reply plus ``httpcode`` (200), or a client-side error
        ``{"httpcode": 0, "code": -1|-3, "message": ..., "data": {}}`` exactly where the original gave one.
        """
        kinds = []
        for name, picture in (("pictureA", pictureA), ("pictureB", pictureB)):
            kind = _kind_of(picture)
            if kind is None:
                return Error.json(Error.Param, "param %s must be instance of CIUrl or CIFile or CIBuffer" % name)
            if not picture:
                return Error.json(Error.Param, "param %s is empty" % name)
            kinds.append(kind)
        arguments: Dict[str, Any] = {}
        for side, kind, picture in (("A", kinds[0], pictureA), ("B", kinds[1], pictureB)):
            if kind == "url":
                arguments["url" + side] = str(picture)
            elif kind == "file":
                local_path = os.path.abspath(picture)
                if not os.path.exists(local_path):
                    return Error.json(Error.FilePath, "file " + str(picture) + " not exists")
                if not os.path.isfile(local_path):
                    return Error.json(Error.FilePath, local_path + " is not file")
                arguments["image" + side] = local_path
            else:
                arguments["image" + side] = bytes(picture)
        result = self._compat_client().compare(
            arguments.get("urlA"), arguments.get("urlB"), imageA=arguments.get("imageA"),
            imageB=arguments.get("imageB"), appid=self._auth._appid,
        )
        result["httpcode"] = SERVICE_HTTPCODE
        return result

    def _compat_client(self) -> compat.Client:
        built = self._built
        if built is not None and built[0] == self._timeout:
            return built[1]
        with self._lock:
            if self._built is None or self._built[0] != self._timeout:
                from compat import Client as CompatClient  # the core pulls in the SDK: only when first needed

                self._built = (
                    self._timeout,
                    CompatClient(self._auth._secretid, self._auth._secretkey, timeout=self._timeout),
                )
            return self._built[1]


def _unsupported(name: str, replacement: str) -> Callable[..., Dict[str, Any]]:
    message = (
        "face-compat: %s is not supported by the shim; only face_compare is (answered by Face Recognition 2.0 "
        "CompareFace). Migrate this call to %s." % (name, replacement)
    )

    def method(self: Client, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        return Error.json(Error.Param, message)

    method.__name__ = name
    method.__qualname__ = "Client." + name
    method.__doc__ = "Not backed by face-compat: answers ``code`` -1 and says where %s lives now." % name
    return method


for _name, _replacement in UNSUPPORTED_METHODS:
    setattr(Client, _name, _unsupported(_name, _replacement))
del _name, _replacement
