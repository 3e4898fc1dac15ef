"""The deprecation path: warn once per legacy call site and count the calls that are left.

Off by default. Turn it on with ``FACE_COMPAT_DEPRECATIONS=1`` (read at import) or :func:`enable`. Then each
legacy call (anything answered by ``Client.compare``: ``compat.compare``, the ``compat.qcloud_image`` swap)
is attributed to the first stack frame outside the ``compat`` package, that ``file:line`` gets one
:class:`FaceCompatDeprecationWarning`, and its count goes up. With ``FACE_COMPAT_USAGE_FILE`` set (or
``enable(usage_file=...)``) the counts are merged into that JSON file at most every
:data:`FLUSH_INTERVAL` seconds and at exit, so several processes (web workers, cron jobs) add up;
``face-compat report`` prints the file.

The file is merged under an exclusive lock on ``<file>.lock`` (POSIX ``flock``) and replaced atomically
(write a temporary file, then rename), so a reader never sees half a file and no process loses another's
counts. While disabled, :func:`note_call` costs one boolean check.

Core modules import this one, so it keeps to the standard library and Python 3.8 syntax.
"""
from __future__ import annotations

import atexit
import json
import linecache
import logging
import os
import sys
import tempfile
import threading
import time
import warnings
from types import FrameType
from typing import Any, Dict, Optional, Set, Tuple

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: renames are still atomic, concurrent merges may lose counts
    fcntl = None  # type: ignore[assignment]

ENV_ENABLE = "FACE_COMPAT_DEPRECATIONS"
ENV_USAGE_FILE = "FACE_COMPAT_USAGE_FILE"
#: Seconds between merges into the usage file while calls keep coming (the last merge happens at exit).
FLUSH_INTERVAL = 5.0
FILE_FORMAT = "face-compat-usage/1"

logger = logging.getLogger("compat.migrate.usage")

_COMPAT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class FaceCompatDeprecationWarning(DeprecationWarning):
    """A legacy v1-shaped call answered by the face-compat shim: move this call site to IAI 2.0.

    Issued once per call site, and only when the deprecation path is enabled (``FACE_COMPAT_DEPRECATIONS=1``
    or :func:`compat.migrate.usage.enable`).
    """


_enabled = False
_usage_file: Optional[str] = None
_lock = threading.Lock()
_warned: Set[str] = set()
#: Calls since the last merge into the usage file, and all calls seen by this process.
_pending: Dict[str, int] = {}
_totals: Dict[str, int] = {}
_code: Dict[str, str] = {}
_last_flush = 0.0
_atexit_registered = False


def _truthy(value: Optional[str]) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def enable(usage_file: Optional[str] = None) -> None:
    """Start warning about and counting legacy calls; ``usage_file`` overrides ``FACE_COMPAT_USAGE_FILE``."""
    global _enabled, _usage_file, _atexit_registered
    with _lock:
        _usage_file = usage_file or os.environ.get(ENV_USAGE_FILE) or None
        _enabled = True
        if not _atexit_registered:
            atexit.register(flush)
            _atexit_registered = True
    if not sys.warnoptions:
        # DeprecationWarning is hidden outside __main__ by default; whoever turned this on wants to see it.
        # An explicit -W option wins, so nothing is added then.
        warnings.filterwarnings("default", category=FaceCompatDeprecationWarning)


def disable() -> None:
    """Stop warning and counting; pending counts are merged into the usage file first."""
    global _enabled
    flush()
    _enabled = False


def is_enabled() -> bool:
    """True while legacy calls are warned about and counted."""
    return _enabled


def note_call(site: Optional[str] = None) -> None:
    """Record one legacy call: ``Client.compare`` calls this once per call.

    ``site`` names the call site when the stack cannot; by default it is the ``file:line`` of the first
    frame outside the ``compat`` package, or :data:`SIDECAR_SITE` for calls forwarded by the sidecar
    (whose callers are other programs, not frames on this stack).
    """
    if not _enabled:
        return
    _record(site, sys._getframe(1))


_SIDECAR_DIR = _COMPAT_DIR + "server" + os.sep
#: The site recorded for calls the sidecar forwards: the legacy caller is on the other end of a socket.
SIDECAR_SITE = "face-compat sidecar: POST /face/compare"


def _legacy_frame(frame: Optional[FrameType]) -> Tuple[Optional[FrameType], bool]:
    """The first frame outside ``compat``, and whether the call came through the sidecar."""
    via_sidecar = False
    while frame is not None and frame.f_code.co_filename.startswith(_COMPAT_DIR):
        via_sidecar = via_sidecar or frame.f_code.co_filename.startswith(_SIDECAR_DIR)
        frame = frame.f_back
    return frame, via_sidecar


def _record(site: Optional[str], start: Optional[FrameType]) -> None:
    frame = None
    if site is None:
        frame, via_sidecar = _legacy_frame(start)
        if via_sidecar:
            site, frame = SIDECAR_SITE, None
        else:
            site = "<unknown>" if frame is None else "%s:%d" % (frame.f_code.co_filename, frame.f_lineno)
    with _lock:
        first = site not in _warned
        _warned.add(site)
        _pending[site] = _pending.get(site, 0) + 1
        _totals[site] = _totals.get(site, 0) + 1
        due = _usage_file is not None and time.monotonic() - _last_flush >= FLUSH_INTERVAL
        if first and frame is not None:
            _code[site] = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    if first:
        message = (
            "legacy Face Recognition v1 compare call answered by the face-compat shim; "
            "call IAI 2.0 CompareFace here instead (MIGRATION.md, step 3)"
        )
        if frame is not None:
            warnings.warn_explicit(
                message,
                FaceCompatDeprecationWarning,
                frame.f_code.co_filename,
                frame.f_lineno,
                module=frame.f_globals.get("__name__"),
            )
        else:
            warnings.warn("%s (%s)" % (message, site), FaceCompatDeprecationWarning, stacklevel=2)
    if due:
        flush()


def counts() -> Dict[str, int]:
    """Calls per call site seen by this process since it started (or since :func:`reset`)."""
    with _lock:
        return dict(_totals)


def reset() -> None:
    """Forget this process's counts and warned sites (the usage file is left as it is)."""
    with _lock:
        _warned.clear()
        _pending.clear()
        _totals.clear()
        _code.clear()


def _after_fork_in_child() -> None:
    # The parent merges what it counted before the fork; the child starts from zero.
    global _lock
    _lock = threading.Lock()
    _pending.clear()
    _totals.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def load(path: str) -> Dict[str, Dict[str, Any]]:
    """The sites recorded in a usage file: ``{"file:line": {"count": n, "code": "...", "last_seen": ...}}``.

    A missing file reads as no sites; a file that is not face-compat usage JSON raises ``ValueError``.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except FileNotFoundError:
        return {}
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise ValueError("%s is not a face-compat usage file" % path)
    sites = document.get("sites", {})
    return {str(site): dict(row) for site, row in sites.items()}


def flush() -> None:
    """Merge the counts gathered since the last merge into the usage file (no-op without one)."""
    global _last_flush
    with _lock:
        path = _usage_file
        _last_flush = time.monotonic()
        if path is None or not _pending:
            return
        pending = dict(_pending)
        _pending.clear()
        code = dict(_code)
    try:
        _merge(path, pending, code)
    except (OSError, ValueError) as exc:
        # Counting must never break the legacy call it counts: keep the counts for the next try.
        logger.warning("face-compat: could not update usage file %s: %s", path, exc)
        with _lock:
            for site, count in pending.items():
                _pending[site] = _pending.get(site, 0) + count


def _merge(path: str, pending: Dict[str, int], code: Dict[str, str]) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    with open(path + ".lock", "a") as lock:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            sites = _load_or_set_aside(path)
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            for site, count in pending.items():
                row = sites.setdefault(site, {"count": 0})
                row["count"] = int(row.get("count", 0)) + count
                row["last_seen"] = now
                if code.get(site):
                    row["code"] = code[site]
            handle, temporary = tempfile.mkstemp(prefix=".face-compat-usage-", dir=directory)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump({"format": FILE_FORMAT, "sites": sites}, out, indent=1, sort_keys=True)
                os.replace(temporary, path)
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise
        finally:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _load_or_set_aside(path: str) -> Dict[str, Dict[str, Any]]:
    try:
        return load(path)
    except ValueError:
        # A damaged file would otherwise block every later merge: keep it for inspection, start afresh.
        aside = "%s.corrupt-%d" % (path, int(time.time()))
        os.replace(path, aside)
        logger.warning("face-compat: %s was not a usage file; moved it to %s", path, aside)
        return {}


def site_key(site: str) -> Tuple[str, int]:
    """Split ``"file:line"`` into its file and line (line 0 when the site names no line)."""
    path, _, line = site.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (site, 0)


if _truthy(os.environ.get(ENV_ENABLE)):
    enable()
