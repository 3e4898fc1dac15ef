"""The shared replay store: two replicas behind one Redis agree that a single-use signature is spent."""
from __future__ import annotations

import time
from typing import Any, Callable

import pytest
from starlette.testclient import TestClient

from compat.server import AppKey
from compat.server.replay import MemoryReplayStore, RedisReplayStore
from compat.server.signature import sign
from tests.imagefactory import BIDEN, OBAMA
from tests.sidecar_support import APPID, BUCKET, free_port


def _post(client: TestClient, authorization: str) -> Any:
    files = {"imageA": ("a.jpg", OBAMA.read_bytes()), "imageB": ("b.jpg", BIDEN.read_bytes())}
    return client.post("/face/compare", files=files, data={"appid": APPID, "bucket": BUCKET},
                       headers={"Authorization": authorization}).json()


@pytest.mark.redis
def test_replicas_share_used_signatures(make_app: Callable[..., Any], v1_key: AppKey, redis_url: str) -> None:
    single_use = sign(v1_key, BUCKET, expiry=0, fileid="replica-test-%f" % time.time())
    with TestClient(make_app(redis_url=redis_url)) as first, TestClient(make_app(redis_url=redis_url)) as second:
        assert first.get("/healthz").json()["replay_store"].startswith("redis://127.0.0.1:")
        assert _post(first, single_use)["code"] == 0
        assert _post(second, single_use)["code"] == 13
        assert _post(first, single_use)["code"] == 13


def test_memory_replicas_do_not_share(make_app: Callable[..., Any], v1_key: AppKey) -> None:
    single_use = sign(v1_key, BUCKET, expiry=0, fileid="memory")
    with TestClient(make_app()) as first, TestClient(make_app()) as second:
        assert (_post(first, single_use)["code"], _post(second, single_use)["code"]) == (0, 0)


@pytest.mark.redis
def test_redis_entries_expire_with_the_window(redis_url: str) -> None:
    import redis

    fingerprint = "ttl-%f" % time.time()
    store = RedisReplayStore(redis_url)
    import anyio

    assert anyio.run(store.first_use, fingerprint, 120) is True
    ttl = redis.Redis.from_url(redis_url).ttl("face-compat:v1sig:" + fingerprint)
    assert 0 < ttl <= 120


def test_unreachable_redis_answers_108_and_unhealthy(make_app: Callable[..., Any], v1_key: AppKey) -> None:
    app = make_app(redis_url="redis://127.0.0.1:%d/0" % free_port())
    client = TestClient(app)  # no lifespan: startup would refuse to run without its Redis
    assert client.get("/healthz").status_code == 503
    assert _post(client, sign(v1_key, BUCKET, expiry=0, fileid="x"))["code"] == 108
    assert _post(client, sign(v1_key, BUCKET, expiry=int(time.time()) + 30))["code"] == 0  # multi-use needs no store


def test_startup_fails_fast_without_redis(make_app: Callable[..., Any]) -> None:
    from compat.server.replay import ReplayStoreUnavailable

    with pytest.raises(ReplayStoreUnavailable), TestClient(make_app(redis_url="redis://127.0.0.1:%d/0" % free_port())):
        pass


def test_memory_store_forgets_after_ttl() -> None:
    import anyio

    store = MemoryReplayStore()
    assert anyio.run(store.first_use, "a", 0) is True
    assert anyio.run(store.first_use, "a", 0) is True  # ttl 0: already forgotten
    assert anyio.run(store.first_use, "b", 60) is True
    assert anyio.run(store.first_use, "b", 60) is False
