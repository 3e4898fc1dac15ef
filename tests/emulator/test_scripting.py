"""Scripted answers and faults, reset(), concurrency and keep-alive (constant engine)."""

import threading
import time

import pytest
import requests
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from .helpers import compare_request, png_bytes, sdk_client

VALID_PNG = png_bytes(64, 64)
REQUEST = compare_request(VALID_PNG, VALID_PNG)


def test_queue_score_answers_then_falls_back_to_engine(iai_protocol_emulator):
    iai_protocol_emulator.queue_score(83.2, times=2)
    client = sdk_client(iai_protocol_emulator)
    assert [client.CompareFace(REQUEST).Score for _ in range(3)] == [83.2, 83.2, 88.0]


def test_queue_score_skips_image_checks_but_not_auth(iai_protocol_emulator):
    iai_protocol_emulator.queue_score(12.5)
    with pytest.raises(TencentCloudSDKException) as caught:
        sdk_client(iai_protocol_emulator, secret_key="wrong").CompareFace(REQUEST)
    assert caught.value.code == "AuthFailure.SignatureFailure"
    assert sdk_client(iai_protocol_emulator).CompareFace(compare_request(b"any", b"bytes")).Score == 12.5


def test_queue_error_then_normal(iai_protocol_emulator):
    iai_protocol_emulator.queue_error("FailedOperation.ImageDecodeFailed", "scripted", times=1)
    client = sdk_client(iai_protocol_emulator)
    with pytest.raises(TencentCloudSDKException) as caught:
        client.CompareFace(REQUEST)
    assert (caught.value.code, caught.value.message) == ("FailedOperation.ImageDecodeFailed", "scripted")
    assert caught.value.requestId
    assert client.CompareFace(REQUEST).Score == 88.0


def test_answers_come_out_in_queue_order(iai_protocol_emulator):
    iai_protocol_emulator.queue_score(10.0)
    iai_protocol_emulator.queue_error("InternalError", "once")
    iai_protocol_emulator.queue_score(20.0)
    client = sdk_client(iai_protocol_emulator)
    assert client.CompareFace(REQUEST).Score == 10.0
    with pytest.raises(TencentCloudSDKException):
        client.CompareFace(REQUEST)
    assert client.CompareFace(REQUEST).Score == 20.0


def test_fault_delay(iai_protocol_emulator):
    iai_protocol_emulator.queue_fault("delay", seconds=0.6)
    started = time.monotonic()
    assert sdk_client(iai_protocol_emulator).CompareFace(REQUEST).Score == 88.0
    assert time.monotonic() - started >= 0.6


def test_fault_delay_beyond_client_timeout(iai_protocol_emulator):
    iai_protocol_emulator.queue_fault("delay", seconds=2.5)
    with pytest.raises(TencentCloudSDKException) as caught:
        sdk_client(iai_protocol_emulator, timeout=1).CompareFace(REQUEST)
    assert caught.value.code == "ClientNetworkError"


def test_fault_status(iai_protocol_emulator):
    iai_protocol_emulator.queue_fault("status", status=502, body=b"bad gateway")
    with pytest.raises(TencentCloudSDKException) as caught:
        sdk_client(iai_protocol_emulator).CompareFace(REQUEST)
    assert caught.value.code == "ServerNetworkError"
    assert caught.value.message == b"bad gateway"


def test_fault_status_default_is_503(iai_protocol_emulator):
    iai_protocol_emulator.queue_fault("status")
    reply = requests.post(iai_protocol_emulator.endpoint, data=b"{}", timeout=5)
    assert reply.status_code == 503


def test_fault_drop(iai_protocol_emulator):
    iai_protocol_emulator.queue_fault("drop")
    with pytest.raises(TencentCloudSDKException) as caught:
        sdk_client(iai_protocol_emulator).CompareFace(REQUEST)
    assert caught.value.code == "ClientNetworkError"


def test_fault_truncated(iai_protocol_emulator):
    iai_protocol_emulator.queue_fault("truncated")
    # The SDK reads the streamed body outside its own try/except, so the requests error surfaces as is.
    with pytest.raises((TencentCloudSDKException, requests.RequestException)):
        sdk_client(iai_protocol_emulator).CompareFace(REQUEST)
    assert sdk_client(iai_protocol_emulator).CompareFace(REQUEST).Score == 88.0


def test_fault_non_json(iai_protocol_emulator):
    iai_protocol_emulator.queue_fault("non_json")
    with pytest.raises(TencentCloudSDKException) as caught:
        sdk_client(iai_protocol_emulator).CompareFace(REQUEST)
    assert caught.value.code == "JSONDecodeError"


def test_fault_throttle(iai_protocol_emulator):
    iai_protocol_emulator.queue_fault("throttle", times=2)
    client = sdk_client(iai_protocol_emulator)
    for _ in range(2):
        with pytest.raises(TencentCloudSDKException) as caught:
            client.CompareFace(REQUEST)
        assert caught.value.code == "RequestLimitExceeded"
    assert client.CompareFace(REQUEST).Score == 88.0


def test_unknown_fault_kind_rejected(iai_protocol_emulator):
    with pytest.raises(ValueError):
        iai_protocol_emulator.queue_fault("explode")
    with pytest.raises(ValueError):
        iai_protocol_emulator.queue_score(1.0, times=0)


def test_reset_clears_queues_calls_and_counters(iai_protocol_emulator):
    iai_protocol_emulator.queue_score(1.0, times=5)
    iai_protocol_emulator.queue_fault("throttle", times=5)
    iai_protocol_emulator.queue_error("InternalError", "x", times=5)
    requests.post(iai_protocol_emulator.endpoint, data=b"{}", timeout=5)
    assert iai_protocol_emulator.connections_opened >= 1
    iai_protocol_emulator.reset()
    assert iai_protocol_emulator.calls == []
    assert iai_protocol_emulator.connections_opened == 0
    assert sdk_client(iai_protocol_emulator).CompareFace(REQUEST).Score == 88.0
    assert len(iai_protocol_emulator.calls) == 1


def test_eight_threads_at_once(iai_protocol_emulator):
    iai_protocol_emulator.queue_fault("delay", seconds=0.3, times=8)
    results = []
    barrier = threading.Barrier(8)

    def call() -> None:
        client = sdk_client(iai_protocol_emulator)
        barrier.wait()
        results.append(client.CompareFace(REQUEST).Score)

    threads = [threading.Thread(target=call) for _ in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == [88.0] * 8
    assert time.monotonic() - started < 2.0  # served in parallel, not 8 x 0.3 s
    assert len(iai_protocol_emulator.calls) == 8


def test_keep_alive_reuses_one_connection(iai_protocol_emulator):
    client = sdk_client(iai_protocol_emulator, keep_alive=True)
    for _ in range(10):
        assert client.CompareFace(REQUEST).Score == 88.0
    assert iai_protocol_emulator.connections_opened == 1


def test_a_request_held_across_reset_does_not_leak_into_the_next_test() -> None:
    """A delayed request whose client gave up must not log into, or consume, the script queued after reset()."""
    from compat.emulator import Emulator

    with Emulator(engine="constant") as emulator:
        emulator.queue_fault("delay", seconds=0.6)
        client, request = sdk_client(emulator), compare_request(png_bytes(80, 80), png_bytes(80, 80))
        late = threading.Thread(target=lambda: client.CompareFace(request))
        late.start()
        time.sleep(0.2)  # the request is now held by the fault
        emulator.reset()
        emulator.queue_score(42.0)
        late.join()
        assert emulator.calls == []
        assert sdk_client(emulator).CompareFace(compare_request(png_bytes(80, 80), png_bytes(80, 80))).Score == 42.0
