"""``compat.qcloud_image``: the ``qcloud-image`` 1.0.0 SDK's names, with ``face_compare`` answered by 2.0.

Change one import line::

    from compat.qcloud_image import Client, CIUrl, CIFile, CIBuffer   # was: from qcloud_image import ...

For code that cannot be edited, make an unchanged ``import qcloud_image`` resolve to this package:

* ``python -m compat.qcloud_image.run script.py [args]`` (or ``... run -m package.module [args]``) runs a
  program with the swap in place, leaving the interpreter and any installed original untouched otherwise;
* or call :func:`install` before the legacy code first imports ``qcloud_image`` (in a ``sitecustomize``,
  a WSGI entry file, a test's conftest).

:func:`install` aliases ``qcloud_image`` and its submodules in ``sys.modules``, the way
``pymysql.install_as_MySQLdb()`` does, so the names are the very same objects as here and the original
package, if installed, is not imported at all; :func:`uninstall` puts back whatever was there before.
"""
from __future__ import annotations

import sys
from types import ModuleType
from typing import Dict, Optional

from . import api, auth, conf, error, type, unsupported
from .api import Client
from .auth import Auth
from .error import Error
from .type import CIBuffer, CIBuffers, CIFile, CIFiles, CIUrl, CIUrls

#: The version of the original SDK whose interface this package reproduces.
__version__ = "1.0.0"

__all__ = [
    "Auth",
    "CIBuffer",
    "CIBuffers",
    "CIFile",
    "CIFiles",
    "CIUrl",
    "CIUrls",
    "Client",
    "Error",
    "install",
    "installed",
    "uninstall",
]

LEGACY_NAME = "qcloud_image"
_SUBMODULES = {"api": api, "auth": auth, "conf": conf, "error": error, "type": type, "unsupported": unsupported}
#: What ``sys.modules`` held under the legacy names before :func:`install` (``None``: nothing).
_displaced: Optional[Dict[str, Optional[ModuleType]]] = None


def install() -> None:
    """Make ``import qcloud_image`` (and ``qcloud_image.api``, ``.type``, ...) resolve to this package.

    Idempotent. Modules that imported the original before this call keep the objects they hold.
    """
    global _displaced
    if _displaced is not None:
        return
    this = sys.modules[__name__]
    aliases: Dict[str, ModuleType] = {LEGACY_NAME: this}
    aliases.update({LEGACY_NAME + "." + name: module for name, module in _SUBMODULES.items()})
    displaced = {name: sys.modules.get(name) for name in aliases}
    # Submodules of an original imported earlier would otherwise stay reachable under the legacy prefix.
    displaced.update({name: module for name, module in sys.modules.items() if name.startswith(LEGACY_NAME + ".")})
    for name in displaced:
        sys.modules.pop(name, None)
    sys.modules.update(aliases)
    _displaced = displaced


def uninstall() -> None:
    """Undo :func:`install`: the legacy names resolve to whatever they did before (the original, or nothing)."""
    global _displaced
    if _displaced is None:
        return
    for name in [n for n in sys.modules if n == LEGACY_NAME or n.startswith(LEGACY_NAME + ".")]:
        del sys.modules[name]
    for name, module in _displaced.items():
        if module is not None:
            sys.modules[name] = module
    _displaced = None


def installed() -> bool:
    """Whether :func:`install` is in effect."""
    return _displaced is not None
