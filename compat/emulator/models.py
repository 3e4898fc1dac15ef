"""Scripted state of one emulator: queued answers and faults, the call log, counters. No HTTP here.

Two FIFO queues: *answers* (a score or a 2.0 error) replace the next authenticated CompareFace replies;
*faults* hit the next requests at the transport level, before authentication, whatever their action.
"""

import copy
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, List, Optional, Union

FAULT_KINDS = ("delay", "status", "drop", "truncated", "non_json", "throttle")


@dataclass
class ScriptedScore:
    """Answer this Score (with this FaceModelVersion, or the requested one)."""

    score: float
    face_model_version: Optional[str] = None


@dataclass
class ScriptedError:
    """Answer this 2.0 error."""

    code: str
    message: str


@dataclass
class Fault:
    """A transport-level misbehaviour for one request; ``kind`` is one of ``FAULT_KINDS``."""

    kind: str
    seconds: float = 0.0
    status: int = 503
    body: bytes = b"<html><body><h1>503 Service Unavailable</h1></body></html>"
    content_type: str = "text/html"


ScriptedAnswer = Union[ScriptedScore, ScriptedError]


@dataclass
class _Queued:
    item: Any
    remaining: int


@dataclass
class EmulatorState:
    """Thread-safe scripted state shared by the request handler threads."""

    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _answers: Deque[_Queued] = field(default_factory=deque)
    _faults: Deque[_Queued] = field(default_factory=deque)
    _calls: List[Dict[str, Any]] = field(default_factory=list)
    _connections_opened: int = 0
    #: Bumped by reset(): a request that began before a reset (say, one held by a "delay" fault while its
    #: client timed out and the test moved on) must neither log into nor consume the next test's script.
    _generation: int = 0
    _request: threading.local = field(default_factory=threading.local, repr=False)

    def begin_request(self) -> None:
        """Mark the calling handler thread's request as belonging to the current generation."""
        with self._lock:
            self._request.generation = self._generation

    def _current(self) -> bool:
        return getattr(self._request, "generation", self._generation) == self._generation

    def queue_answer(self, answer: ScriptedAnswer, times: int) -> None:
        """Replace the next ``times`` CompareFace answers."""
        _check_times(times)
        with self._lock:
            self._answers.append(_Queued(answer, times))

    def queue_fault(self, fault: Fault, times: int) -> None:
        """Apply ``fault`` to the next ``times`` requests."""
        _check_times(times)
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; expected one of {', '.join(FAULT_KINDS)}")
        with self._lock:
            self._faults.append(_Queued(fault, times))

    def next_answer(self) -> Optional[ScriptedAnswer]:
        """Take one use of the oldest queued answer, if any."""
        with self._lock:
            return _take(self._answers) if self._current() else None

    def next_fault(self) -> Optional[Fault]:
        """Take one use of the oldest queued fault, if any."""
        with self._lock:
            return _take(self._faults)

    def record_call(self, call: Dict[str, Any]) -> None:
        """Append one CompareFace call to the log (callers strip image bytes first)."""
        with self._lock:
            if self._current():
                self._calls.append(call)

    def calls(self) -> List[Dict[str, Any]]:
        """A snapshot copy of the call log."""
        with self._lock:
            return copy.deepcopy(self._calls)

    def connection_opened(self) -> None:
        """Count one accepted TCP connection."""
        with self._lock:
            self._connections_opened += 1

    @property
    def connections_opened(self) -> int:
        """TCP connections accepted since the last reset."""
        with self._lock:
            return self._connections_opened

    def reset(self) -> None:
        """Clear queues, call log and counters."""
        with self._lock:
            self._generation += 1
            self._answers.clear()
            self._faults.clear()
            self._calls.clear()
            self._connections_opened = 0


def _check_times(times: int) -> None:
    if times < 1:
        raise ValueError("times must be at least 1")


def _take(queue: Deque[_Queued]) -> Any:
    if not queue:
        return None
    head = queue[0]
    head.remaining -= 1
    if head.remaining <= 0:
        queue.popleft()
    return head.item
