"""A deadline for one 2.0 attempt: ``requests`` bounds each socket read by the timeout, not the whole reply.

A server (or proxy) that trickles its reply a byte at a time, each byte inside the timeout, would keep a
legacy call waiting indefinitely. :func:`attempt_deadline` arms one shared watchdog thread; the connections
of :class:`DeadlineAdapter` hand it their socket when they start waiting for a reply, and the watchdog shuts
that socket down if the attempt is still running when its time is up. The blocked read then fails at once,
and the caller sees a read timeout.
"""
from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["AttemptDeadline", "DeadlineAdapter", "attempt_deadline"]


class AttemptDeadline:
    """One attempt's deadline: the sockets it waits on, whether it has finished, whether time ran out."""

    __slots__ = ("at", "done", "expired", "sockets")

    def __init__(self, at: float) -> None:
        self.at = at
        self.done = False
        self.expired = False
        self.sockets: List[Any] = []


class _Watchdog:
    """One daemon thread for every deadline in the process, woken only by the earliest one."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._heap: List[Tuple[float, int, AttemptDeadline]] = []
        self._order = itertools.count()
        self._thread: Optional[threading.Thread] = None

    def watch(self, deadline: AttemptDeadline) -> None:
        with self._condition:
            earliest = self._heap[0][0] if self._heap else None
            heapq.heappush(self._heap, (deadline.at, next(self._order), deadline))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="face-compat-deadlines", daemon=True)
                self._thread.start()
            elif earliest is None or deadline.at < earliest:
                self._condition.notify()

    def finish(self, deadline: AttemptDeadline) -> None:
        with self._condition:
            deadline.done = True

    def add_socket(self, deadline: AttemptDeadline, sock: Any) -> None:
        with self._condition:
            if not deadline.done and all(known is not sock for known in deadline.sockets):
                deadline.sockets.append(sock)

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._condition.wait(None if not self._heap else self._heap[0][0] - time.monotonic())
                _, _, deadline = heapq.heappop(self._heap)
                if deadline.done:
                    continue
                deadline.expired = True
                sockets, deadline.sockets = deadline.sockets, []
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


_watchdog = _Watchdog()
_current = threading.local()


@contextlib.contextmanager
def attempt_deadline(seconds: float) -> Iterator[AttemptDeadline]:
    """Bound this thread's attempt to ``seconds`` from now, for connections made by :class:`DeadlineAdapter`."""
    deadline = AttemptDeadline(time.monotonic() + seconds)
    _watchdog.watch(deadline)
    _current.deadline = deadline
    try:
        yield deadline
    finally:
        _current.deadline = None
        _watchdog.finish(deadline)


class _WatchedResponses:
    """Connection mixin: hand the socket to the thread's deadline while a request is sent and answered."""

    def _watch_socket(self) -> None:
        deadline: Optional[AttemptDeadline] = getattr(_current, "deadline", None)
        sock = getattr(self, "sock", None)
        if deadline is not None and sock is not None:
            _watchdog.add_socket(deadline, sock)

    def connect(self, *args: Any, **kwargs: Any) -> Any:
        result = super().connect(*args, **kwargs)  # type: ignore[misc]
        self._watch_socket()
        return result

    def request(self, *args: Any, **kwargs: Any) -> Any:
        self._watch_socket()  # a kept-alive connection: connected before this attempt began
        return super().request(*args, **kwargs)  # type: ignore[misc]

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        self._watch_socket()
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


_watched_classes: Dict[type, type] = {}


def _watched(connection_class: type) -> type:
    """``connection_class`` with :class:`_WatchedResponses` mixed in (one subclass per class, made once)."""
    watched = _watched_classes.get(connection_class)
    if watched is None:
        watched = type("Watched" + connection_class.__name__, (_WatchedResponses, connection_class), {})
        _watched_classes[connection_class] = watched
    return watched


class _HTTPConnectionPool(HTTPConnectionPool):
    # Looked up on every new connection, like urllib3 itself does, so that whatever the base pool uses at that
    # moment is what gets watched: test tools such as vcrpy swap HTTPConnectionPool.ConnectionCls.
    @property
    def ConnectionCls(self) -> type:  # type: ignore[override]  # noqa: N802 - urllib3's attribute name
        return _watched(HTTPConnectionPool.ConnectionCls)


class _HTTPSConnectionPool(HTTPSConnectionPool):
    @property
    def ConnectionCls(self) -> type:  # type: ignore[override]  # noqa: N802 - urllib3's attribute name
        return _watched(HTTPSConnectionPool.ConnectionCls)


class DeadlineAdapter(HTTPAdapter):
    """``requests`` adapter whose pooled connections honour :func:`attempt_deadline` (direct connections only)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Build the pool manager with connection pools that hand their sockets to the watchdog."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPConnectionPool, "https": _HTTPSConnectionPool}
