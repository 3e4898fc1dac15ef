"""The v1 wire-compatible sidecar (``face-compat serve``; needs ``face-compat[server]``).

Unchanged legacy clients POST v1 ``/face/compare`` requests here; each is verified as v1 did and answered
by :meth:`compat.Client.compare`. Modules: :mod:`.app` (routes), :mod:`.signature` (v1 HMAC-SHA1),
:mod:`.replay` (used-signature store, memory or Redis), :mod:`.cli` (the subcommand).
"""
from __future__ import annotations

__all__ = ["AppKey", "SidecarConfig", "create_app"]

from .app import SidecarConfig, create_app
from .signature import AppKey
