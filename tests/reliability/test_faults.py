"""Network faults between the shim and 2.0, injected by a real socket proxy: each answers its documented v1 code,
retries follow the configured policy (attempts counted at the proxy), and no call outlives its timeout."""
from __future__ import annotations

import logging
import socket
import time
from typing import Any, Dict

import pytest

from compat import Client
from compat.errors import V1_CODES
from tests.imagefactory import OBAMA, OBAMA2
from tests.reliability.fault_proxy import FaultProxy

TIMEOUT = 1.0
#: Slack for scheduling on a loaded 2-core CI box; far below any hang.
MARGIN = 1.0
#: LoggedRetryer backs off 0.2 s, then 0.4 s.
BACKOFF_TOTAL = {0: 0.0, 2: 0.6}


def compare_through(proxy: FaultProxy, retries: int, **client_options: Any) -> Dict[str, Any]:
    client = Client(endpoint=proxy.endpoint, retries=retries, timeout=TIMEOUT, **client_options)
    return client.compare(imageA=OBAMA, imageB=OBAMA2)


def assert_v1_failure(result: Dict[str, Any], code: int) -> None:
    assert set(result) == {"data", "code", "message"}
    assert result["code"] == code, result
    assert result["code"] in V1_CODES
    assert "fail_flag" not in result["data"]  # a network fault is never one image's fault


@pytest.mark.parametrize("retries", [0, 2])
@pytest.mark.parametrize(
    "fault, code, retried",
    [
        ("status_500", 213, True),
        ("status_502", 213, True),
        ("status_503", 213, True),
        ("throttle", 15, True),
        ("non_json", 213, False),
        ("json_garbage", 213, False),
        ("truncated", 213, False),
    ],
)
def test_persistent_fault_maps_and_retries_by_policy(
    fault_proxy: FaultProxy, retries: int, fault: str, code: int, retried: bool
) -> None:
    fault_proxy.script(*[fault] * 6)
    started = time.monotonic()
    result = compare_through(fault_proxy, retries)
    elapsed = time.monotonic() - started
    assert_v1_failure(result, code)
    assert fault_proxy.requests == (retries + 1 if retried else 1)
    assert elapsed < TIMEOUT * fault_proxy.requests + BACKOFF_TOTAL[retries] + MARGIN


@pytest.mark.parametrize("fault", ["status_503", "throttle", "reset_on_accept"])
def test_one_transient_fault_is_absorbed_by_a_retry(fault_proxy: FaultProxy, fault: str) -> None:
    fault_proxy.script(fault)
    result = compare_through(fault_proxy, retries=2)
    assert result["code"] == 0, result
    assert fault_proxy.faults_played[:2] == [fault, "pass"]


@pytest.mark.parametrize("retries", [0, 2])
def test_reset_mid_body_is_213_within_the_policy(fault_proxy: FaultProxy, retries: int) -> None:
    # Whether the RST lands before the status line (a network error: retried, plus one stale-connection
    # retry) or inside the body (an unreadable reply: not retried) is the kernel's timing; both are bounded.
    fault_proxy.script(*["reset_mid_body"] * 6)
    started = time.monotonic()
    assert_v1_failure(compare_through(fault_proxy, retries), 213)
    assert 1 <= fault_proxy.requests <= retries + 2
    assert time.monotonic() - started < TIMEOUT + BACKOFF_TOTAL[retries] + MARGIN


@pytest.mark.parametrize("retries", [0, 2])
def test_reset_on_accept_is_213_with_at_most_one_extra_stale_retry(fault_proxy: FaultProxy, retries: int) -> None:
    fault_proxy.script(*["reset_on_accept"] * 6)
    assert_v1_failure(compare_through(fault_proxy, retries), 213)
    assert retries + 1 <= fault_proxy.requests <= retries + 2


@pytest.mark.parametrize("retries", [0, 2])
def test_slow_reply_returns_at_the_timeout_and_is_not_retried(fault_proxy: FaultProxy, retries: int) -> None:
    fault_proxy.script("slow")  # the proxy holds the reply for 3 s; the client gives up after 1 s
    started = time.monotonic()
    result = compare_through(fault_proxy, retries)
    elapsed = time.monotonic() - started
    assert_v1_failure(result, 213)
    assert "ClientNetworkError" in result["message"]
    assert elapsed < TIMEOUT + MARGIN
    assert fault_proxy.requests == 1  # a read timeout may be billed already: never resent


@pytest.mark.parametrize("retries", [0, 2])
def test_connection_refused_is_213_after_the_configured_retries(retries: int, caplog: Any) -> None:
    with socket.socket() as placeholder:  # a port that was just free: nothing listens there
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    client = Client("id", "key", endpoint="http://127.0.0.1:%d" % port, retries=retries, timeout=TIMEOUT)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="compat"):
        result = client.compare(imageA=OBAMA, imageB=OBAMA2)
    assert_v1_failure(result, 213)
    assert "ClientNetworkError" in result["message"]
    assert len([r for r in caplog.records if "retrying in" in r.getMessage()]) == retries
    assert time.monotonic() - started < BACKOFF_TOTAL[retries] + MARGIN


def test_healthy_proxy_passes_everything_on_one_connection(fault_proxy: FaultProxy) -> None:
    client = Client(endpoint=fault_proxy.endpoint, retries=0, timeout=TIMEOUT)
    for _ in range(5):
        assert client.compare(imageA=OBAMA, imageB=OBAMA2)["code"] == 0
    assert (fault_proxy.requests, fault_proxy.connections) == (5, 1)
