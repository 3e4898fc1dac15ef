"""``compare`` end to end: the shim speaks real HTTP to the package's own 2.0 emulator."""
from __future__ import annotations

import io
import json
import logging
import threading
import time
from typing import Any, Dict, List

import pytest

import compat
from compat import Client, CompareError
from compat.emulator import Emulator
from tests.imagefactory import BIDEN, OBAMA, OBAMA2, encoded

REQUEST_ID_LENGTH = 36  # a uuid4, as the cloud's RequestId


def assert_v1_success(result: Dict[str, Any]) -> float:
    assert set(result) == {"data", "code", "message"}
    assert (result["code"], result["message"]) == (0, "OK")
    assert set(result["data"]) == {"similarity", "session_id"}
    assert len(result["data"]["session_id"]) == REQUEST_ID_LENGTH
    json.dumps(result)
    similarity = result["data"]["similarity"]
    assert isinstance(similarity, float)
    return similarity


def assert_v1_failure(result: Dict[str, Any], code: int, fail_flag: Any = None) -> str:
    assert set(result) == {"data", "code", "message"}
    assert result["code"] == code, result
    expected_keys = {"session_id"} | ({"fail_flag"} if fail_flag is not None else set())
    assert set(result["data"]) == expected_keys, result
    assert result["data"].get("fail_flag") == fail_flag
    json.dumps(result)
    return str(result["message"])


def sent_params(emulator: Emulator) -> List[Dict[str, Any]]:
    return [call["params"] for call in emulator.calls]


@pytest.fixture
def client(iai_protocol_emulator: Emulator) -> Client:
    return Client(retries=0, timeout=5)


@pytest.mark.engine
class TestRealFaces:
    def test_same_person_scores_above_the_legacy_threshold(self, iai_emulator: Emulator) -> None:
        similarity = assert_v1_success(compat.compare(imageA=OBAMA, imageB=OBAMA2))
        assert similarity > 80

    def test_different_people_score_below_far_1e3(self, iai_emulator: Emulator) -> None:
        similarity = assert_v1_success(compat.compare(imageA=str(OBAMA), imageB=BIDEN.read_bytes()))
        assert similarity < 70

    def test_same_photo_scores_near_100(self, iai_emulator: Emulator) -> None:
        with open(OBAMA, "rb") as handle:
            assert assert_v1_success(compat.compare(imageA=handle, imageB=io.BytesIO(OBAMA.read_bytes()))) > 95

    def test_urls_reach_2_0_unchanged(self, iai_emulator: Emulator, image_server: str) -> None:
        url_a, url_b = image_server + "/obama.jpg", image_server + "/obama2.jpg"
        assert assert_v1_success(compat.compare(url_a, url_b)) > 80
        assert sent_params(iai_emulator)[0]["UrlA"] == url_a and sent_params(iai_emulator)[0]["UrlB"] == url_b

    def test_no_face_is_minus_1101_and_the_probe_names_the_image(self, iai_emulator: Emulator) -> None:
        gray = encoded("JPEG", 200, 200)
        assert_v1_failure(compat.compare(imageA=OBAMA, imageB=gray), -1101)
        iai_emulator.reset()
        message = assert_v1_failure(compat.compare(imageA=OBAMA, imageB=gray, probe_failed_image=True), -1101, 2)
        assert "NoFaceInPhoto" in message
        assert len(iai_emulator.calls) == 3  # the call, then A against A, then B against B

    def test_model_2_0_scores_pass_through(self, iai_emulator: Emulator) -> None:
        similarity = assert_v1_success(compat.compare(imageA=OBAMA, imageB=OBAMA2, FaceModelVersion="2.0"))
        assert similarity > 80
        assert sent_params(iai_emulator)[0]["FaceModelVersion"] == "2.0"


class TestProtocol:
    def test_url_wins_over_image_on_the_same_side(self, client: Client, iai_protocol_emulator, image_server) -> None:
        url = image_server + "/obama.jpg"
        assert_v1_success(client.compare(url, imageA=b"not an image", imageB=OBAMA))
        params = sent_params(iai_protocol_emulator)[0]
        assert params["UrlA"] == url and "ImageA" not in params and "ImageB" in params

    def test_default_model_is_3_0_remapped_onto_the_legacy_scale(self, client: Client, iai_protocol_emulator) -> None:
        iai_protocol_emulator.queue_score(50.0)
        assert assert_v1_success(client.compare(imageA=OBAMA, imageB=OBAMA2)) == 80.0
        assert sent_params(iai_protocol_emulator)[0]["FaceModelVersion"] == "3.0"

    def test_native_scale_keeps_the_2_0_score(self, client: Client, iai_protocol_emulator: Emulator) -> None:
        iai_protocol_emulator.queue_score(45.5)
        assert assert_v1_success(client.compare(imageA=OBAMA, imageB=OBAMA2, score_scale="native")) == 45.5

    def test_2_0_options_are_forwarded(self, client: Client, iai_protocol_emulator: Emulator) -> None:
        assert_v1_success(client.compare(imageA=OBAMA, imageB=OBAMA2, QualityControl=2, NeedRotateDetection=1))
        params = sent_params(iai_protocol_emulator)[0]
        assert (params["QualityControl"], params["NeedRotateDetection"]) == (2, 1)

    def test_module_compare_uses_the_environment(self, iai_protocol_emulator: Emulator) -> None:
        assert_v1_success(compat.compare(imageA=OBAMA, imageB=OBAMA2, appid="1250000000"))

    def test_session_id_is_the_2_0_request_id(self, client: Client, iai_protocol_emulator: Emulator) -> None:
        first = client.compare(imageA=OBAMA, imageB=OBAMA2)["data"]["session_id"]
        second = client.compare(imageA=OBAMA, imageB=OBAMA2)["data"]["session_id"]
        assert first != second


class TestLocalRejection:
    """Bad input is answered locally, with fail_flag, and never reaches (or bills) 2.0."""

    @pytest.mark.parametrize(
        "kwargs, code, fail_flag",
        [
            ({"imageA": b"", "imageB": OBAMA}, -1300, 1),
            ({"imageA": OBAMA, "imageB": b""}, -1300, 2),
            ({"imageA": encoded("GIF"), "imageB": OBAMA}, -1400, 1),
            ({"imageA": OBAMA, "imageB": OBAMA.read_bytes()[:20000]}, -1102, 2),
            ({"imageA": "/no/such/file.jpg", "imageB": OBAMA}, -1300, 1),
            ({"imageA": 12345, "imageB": OBAMA}, 21, 1),
            ({"imageB": OBAMA}, -1301, 1),
            ({"imageA": OBAMA}, -1301, 2),
            ({"urlA": "ftp://example.com/a.jpg", "imageB": OBAMA}, 21, 1),
            ({"imageA": OBAMA, "imageB": b"\xff\xd8\xff" + b"\0" * (4 * 1024 * 1024)}, 23, 2),
        ],
    )
    def test_bad_input(self, client: Client, iai_protocol_emulator: Emulator, kwargs, code, fail_flag) -> None:
        result = client.compare(**kwargs)
        assert_v1_failure(result, code, fail_flag)
        assert iai_protocol_emulator.calls == []
        assert result["data"]["session_id"] == ""

    @pytest.mark.parametrize(
        "options", [{"FaceModelVersion": "4.0"}, {"QualityControl": 9}, {"QualityControl": True}, {"colour": 1}]
    )
    def test_bad_options(self, client: Client, iai_protocol_emulator: Emulator, options) -> None:
        message = assert_v1_failure(client.compare(imageA=OBAMA, imageB=OBAMA2, **options), 21)
        assert list(options)[0] in message
        assert iai_protocol_emulator.calls == []


class TestConfiguration:
    @pytest.mark.parametrize(
        "name, value", [("FACE_COMPAT_TIMEOUT", "soon"), ("FACE_COMPAT_TIMEOUT", "-1"), ("FACE_COMPAT_RETRIES", "2.5"),
                        ("FACE_COMPAT_QUALITY_CONTROL", "9"), ("FACE_COMPAT_MODEL_VERSION", "4.0")],
    )
    def test_a_bad_environment_setting_is_code_21_not_a_traceback(self, iai_protocol_emulator, monkeypatch,
                                                                   name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        message = assert_v1_failure(compat.compare(imageA=OBAMA, imageB=OBAMA2), 21)
        assert value in message
        assert iai_protocol_emulator.calls == []

    def test_a_bad_argument_is_code_21(self, iai_protocol_emulator: Emulator) -> None:
        assert "timeout" in assert_v1_failure(Client(timeout="soon").compare(imageA=OBAMA, imageB=OBAMA2), 21)

    def test_environment_quality_control_is_sent(self, iai_protocol_emulator: Emulator, monkeypatch) -> None:
        monkeypatch.setenv("FACE_COMPAT_QUALITY_CONTROL", "3")
        assert_v1_success(compat.compare(imageA=OBAMA, imageB=OBAMA2))
        assert sent_params(iai_protocol_emulator)[0]["QualityControl"] == 3


class TestServiceErrors:
    @pytest.mark.parametrize(
        "tc_code, v1_code",
        [
            ("InvalidParameterValue.NoFaceInPhoto", -1101),
            ("FailedOperation.ImageDecodeFailed", -1102),
            ("FailedOperation.ImageDownloadError", -1308),
            ("FailedOperation.FaceQualityNotQualified", -1103),
            ("ResourceUnavailable.InArrears", 3),
            ("ResourceUnavailable.GetAuthInfoError", 107),
            ("FailedOperation.ServerError", 213),
            ("InternalError", 213),
            ("RequestLimitExceeded", 15),
            ("AuthFailure.SignatureExpire", 9),
            ("Some.CodeFromTheFuture", 213),
        ],
    )
    def test_2_0_error_becomes_v1_code(self, client: Client, iai_protocol_emulator, tc_code, v1_code) -> None:
        iai_protocol_emulator.queue_error(tc_code, "scripted failure")
        result = client.compare(imageA=OBAMA, imageB=OBAMA2)
        message = assert_v1_failure(result, v1_code)
        assert tc_code in message and "scripted failure" in message
        assert len(result["data"]["session_id"]) == REQUEST_ID_LENGTH

    @pytest.mark.parametrize("score", [150.0, -3.0, float("nan"), float("inf")])
    def test_a_score_off_the_scale_is_never_passed_on(self, client: Client, iai_protocol_emulator, score) -> None:
        iai_protocol_emulator.queue_score(score)
        assert "no usable Score" in assert_v1_failure(client.compare(imageA=OBAMA, imageB=OBAMA2), 213)

    def test_unreachable_url_is_minus_1308_quickly(self, client: Client, iai_protocol_emulator, image_server) -> None:
        started = time.monotonic()
        result = client.compare("http://127.0.0.1:9/nobody-listens.jpg", image_server + "/obama.jpg")
        assert "FailedOperation.ImageDownloadError" in assert_v1_failure(result, -1308)
        assert time.monotonic() - started < 5

    def test_arrears_message(self, client: Client, iai_protocol_emulator: Emulator) -> None:
        iai_protocol_emulator.queue_error("ResourceUnavailable.InArrears", "arrears")
        assert client.compare(imageA=OBAMA, imageB=OBAMA2)["message"].startswith("account abnormal,errorno is:2")

    def test_raise_errors_opt_in(self, iai_protocol_emulator: Emulator) -> None:
        iai_protocol_emulator.queue_error("FailedOperation.ImageDecodeFailed", "bad")
        with pytest.raises(CompareError) as info:
            Client(retries=0, raise_errors=True).compare(imageA=OBAMA, imageB=OBAMA2)
        error = info.value
        assert (error.code, error.tc_code, len(error.request_id)) == (-1102, "FailedOperation.ImageDecodeFailed", 36)
        assert error.result is not None and error.result["code"] == -1102

    def test_raise_errors_for_local_rejection(self, iai_protocol_emulator: Emulator) -> None:
        with pytest.raises(CompareError) as info:
            compat.compare(imageA=b"", imageB=OBAMA, raise_errors=True)
        assert (info.value.code, info.value.fail_flag, info.value.tc_code) == (-1300, 1, "")


class TestCredentials:
    def test_missing_credentials_make_no_call(self, iai_protocol_emulator: Emulator, monkeypatch, tmp_path) -> None:
        monkeypatch.delenv("TENCENTCLOUD_SECRET_ID")
        monkeypatch.delenv("TENCENTCLOUD_SECRET_KEY")
        monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.tencentcloud/credentials
        message = assert_v1_failure(compat.compare(imageA=OBAMA, imageB=OBAMA2), 4)
        assert "TENCENTCLOUD_SECRET_ID" in message and "--local" in message
        assert iai_protocol_emulator.calls == []

    def test_unknown_secret_id(self, iai_protocol_emulator: Emulator) -> None:
        result = Client("AKIDnobody", iai_protocol_emulator.secret_key, retries=0).compare(imageA=OBAMA, imageB=OBAMA2)
        assert "AuthFailure.SecretIdNotFound" in assert_v1_failure(result, 11)

    def test_wrong_secret_key(self, iai_protocol_emulator: Emulator) -> None:
        result = Client(iai_protocol_emulator.secret_id, "wrong-key", retries=0).compare(imageA=OBAMA, imageB=OBAMA2)
        assert "AuthFailure.SignatureFailure" in assert_v1_failure(result, 14)

    def test_secret_never_appears_in_answers(self, iai_protocol_emulator: Emulator) -> None:
        result = Client(iai_protocol_emulator.secret_id, "wrong-key", retries=0).compare(imageA=OBAMA, imageB=OBAMA2)
        assert "wrong-key" not in json.dumps(result)


class TestFaults:
    def test_timeout_is_213_within_the_configured_time(self, iai_protocol_emulator: Emulator) -> None:
        iai_protocol_emulator.queue_fault("delay", seconds=3.0)
        started = time.monotonic()
        result = Client(timeout=0.5, retries=2).compare(imageA=OBAMA, imageB=OBAMA2)
        elapsed = time.monotonic() - started
        assert "ClientNetworkError" in assert_v1_failure(result, 213)
        assert elapsed < 1.5  # a read timeout is not retried: the call may already be billed

    @pytest.mark.parametrize("status", [500, 502, 503])
    def test_5xx_is_213(self, client: Client, iai_protocol_emulator: Emulator, status: int) -> None:
        iai_protocol_emulator.queue_fault("status", status=status, times=5)
        assert "ServerNetworkError" in assert_v1_failure(client.compare(imageA=OBAMA, imageB=OBAMA2), 213)

    @pytest.mark.parametrize("fault", ["non_json", "truncated"])
    def test_malformed_reply_is_213(self, client: Client, iai_protocol_emulator: Emulator, fault: str) -> None:
        iai_protocol_emulator.queue_fault(fault, times=5)
        assert_v1_failure(client.compare(imageA=OBAMA, imageB=OBAMA2), 213)

    def test_connection_refused_is_213_fast(self, iai_protocol_emulator: Emulator) -> None:
        started = time.monotonic()
        result = Client(endpoint="http://127.0.0.1:9", retries=0).compare(imageA=OBAMA, imageB=OBAMA2)
        assert "ClientNetworkError" in assert_v1_failure(result, 213)
        assert time.monotonic() - started < 2

    def test_one_dropped_connection_is_recovered(self, client: Client, iai_protocol_emulator: Emulator) -> None:
        iai_protocol_emulator.queue_fault("drop")
        assert_v1_success(client.compare(imageA=OBAMA, imageB=OBAMA2))

    def test_repeated_drops_are_213(self, client: Client, iai_protocol_emulator: Emulator) -> None:
        iai_protocol_emulator.queue_fault("drop", times=5)
        assert_v1_failure(client.compare(imageA=OBAMA, imageB=OBAMA2), 213)

    def test_throttling_is_retried_visibly(self, iai_protocol_emulator: Emulator, caplog) -> None:
        iai_protocol_emulator.queue_fault("throttle")
        with caplog.at_level(logging.WARNING, logger="compat"):
            assert_v1_success(Client(retries=2).compare(imageA=OBAMA, imageB=OBAMA2))
        retries = [r for r in caplog.records if "retrying" in r.getMessage()]
        assert len(retries) == 1 and "RequestLimitExceeded" in retries[0].getMessage()
        assert "RequestId" in retries[0].getMessage()

    def test_throttling_without_retries_is_15(self, client: Client, iai_protocol_emulator: Emulator) -> None:
        iai_protocol_emulator.queue_fault("throttle")
        assert_v1_failure(client.compare(imageA=OBAMA, imageB=OBAMA2), 15)


class TestConnections:
    def test_sequential_calls_reuse_one_connection(self, client: Client, iai_protocol_emulator: Emulator) -> None:
        for _ in range(10):
            assert_v1_success(client.compare(imageA=OBAMA, imageB=OBAMA2))
        assert iai_protocol_emulator.connections_opened == 1

    def test_stale_pooled_connection_is_replaced(self) -> None:
        with Emulator(engine="constant", keep_alive_timeout=0.3) as emulator:
            client = Client(emulator.secret_id, emulator.secret_key, endpoint=emulator.endpoint, retries=0)
            assert_v1_success(client.compare(imageA=OBAMA, imageB=OBAMA2))
            time.sleep(0.8)  # the server closes the idle connection
            assert_v1_success(client.compare(imageA=OBAMA, imageB=OBAMA2))
            assert emulator.connections_opened == 2

    def test_concurrent_calls_from_many_threads(self, client: Client, iai_protocol_emulator: Emulator) -> None:
        results: List[Dict[str, Any]] = []
        lock = threading.Lock()

        def work() -> None:
            for _ in range(5):
                result = client.compare(imageA=OBAMA, imageB=OBAMA2)
                with lock:
                    results.append(result)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert len(results) == 40
        for result in results:
            assert_v1_success(result)
        assert len({r["data"]["session_id"] for r in results}) == 40
        assert iai_protocol_emulator.connections_opened == 8  # one kept-alive connection per thread


class TestNeverATraceback:
    def test_an_sdk_bug_becomes_213(self, client: Client, iai_protocol_emulator: Emulator, monkeypatch) -> None:
        from tencentcloud.common.abstract_client import AbstractClient

        def broken(*args: Any, **kwargs: Any) -> None:
            raise AttributeError("'NoneType' object has no attribute 'status_code'")

        monkeypatch.setattr(AbstractClient, "call", broken)
        message = assert_v1_failure(client.compare(imageA=OBAMA, imageB=OBAMA2), 213)
        assert "FaceCompat.UnexpectedError" not in message and "AttributeError" in message

    def test_warnings_as_errors_do_not_break_calls(self, iai_protocol_emulator: Emulator) -> None:
        code = "import compat, json; print(json.dumps(compat.compare(imageA=%r, imageB=%r)))" % (
            str(OBAMA), str(OBAMA2))
        import os
        import subprocess
        import sys

        proc = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True,
                              env=dict(os.environ), timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["code"] == 0
