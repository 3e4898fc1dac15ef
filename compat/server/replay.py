"""The used-signature store behind v1 code 13 (replay): the only state the sidecar keeps.

In memory for a single process; in Redis (``--redis URL``) when several replicas must agree that a
single-use signature was spent. Both answer one question atomically: is this the first use?
"""
from __future__ import annotations

import threading
import time
from typing import Any, Dict, Optional

__all__ = ["MemoryReplayStore", "RedisReplayStore", "ReplayStore", "ReplayStoreUnavailable", "open_store"]

KEY_PREFIX = "face-compat:v1sig:"


class ReplayStoreUnavailable(Exception):
    """The store could not be asked (Redis down); the sidecar answers v1 108, auth service unavailable."""


class ReplayStore:
    """Interface: remember a signature for ``ttl`` seconds and say whether it was new."""

    async def first_use(self, fingerprint: str, ttl: int) -> bool:
        """True the first time ``fingerprint`` is seen within ``ttl`` seconds, False on every later call."""
        raise NotImplementedError

    async def ping(self) -> None:
        """Raise :class:`ReplayStoreUnavailable` when the store cannot answer."""

    async def close(self) -> None:
        """Release connections."""

    def describe(self) -> str:
        """Where the state lives, for logs (never with a password)."""
        raise NotImplementedError


class MemoryReplayStore(ReplayStore):
    """A dict of fingerprint -> forget-after time, swept as it grows: one process only."""

    def __init__(self) -> None:
        self._seen: Dict[str, float] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    async def first_use(self, fingerprint: str, ttl: int) -> bool:
        now = time.monotonic()
        with self._lock:
            if now >= self._next_sweep:
                self._seen = {key: until for key, until in self._seen.items() if until > now}
                self._next_sweep = now + 60
            until = self._seen.get(fingerprint)
            if until is not None and until > now:
                return False
            self._seen[fingerprint] = now + ttl
            return True

    def describe(self) -> str:
        return "memory"


class RedisReplayStore(ReplayStore):
    """``SET key 1 NX EX ttl`` in Redis: atomic across every replica that shares the server."""

    def __init__(self, url: str, *, client: Optional[Any] = None) -> None:
        import redis.asyncio  # the server extra; only needed with --redis

        self._url = url
        self._redis = client if client is not None else redis.asyncio.Redis.from_url(url)
        self._errors: Any = redis.RedisError

    async def first_use(self, fingerprint: str, ttl: int) -> bool:
        try:
            created = await self._redis.set(KEY_PREFIX + fingerprint, b"1", nx=True, ex=max(1, int(ttl)))
        except (self._errors, OSError) as exc:
            raise ReplayStoreUnavailable(str(exc)) from exc
        return bool(created)

    async def ping(self) -> None:
        try:
            await self._redis.ping()
        except (self._errors, OSError) as exc:
            raise ReplayStoreUnavailable(str(exc)) from exc

    async def close(self) -> None:
        close = getattr(self._redis, "aclose", None) or self._redis.close
        await close()

    def describe(self) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(self._url)
        return "redis://%s%s" % (parts.hostname or "", ":%d" % parts.port if parts.port else "")


def open_store(redis_url: Optional[str]) -> ReplayStore:
    """Redis when a URL is given, else memory."""
    return RedisReplayStore(redis_url) if redis_url else MemoryReplayStore()
