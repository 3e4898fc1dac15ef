"""The secret key and the TC3 signature never reach a log record (SDK logger at DEBUG included), a returned
message or a cassette."""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any, List

import pytest

from compat import Client
from compat.emulator import Emulator
from tests.imagefactory import OBAMA, OBAMA2
from tests.reliability.fault_proxy import FaultProxy

SECRET_KEY = "face-compat-local-key"  # the emulator's key: the one the successful calls sign with
WRONG_KEY = "s3cr3t-wrong-key-do-not-log"
SIGNATURE = re.compile(r"Signature=[0-9a-f]{64}")
CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"


@pytest.fixture
def everything_logged(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="tencentcloud_sdk_common")
    caplog.set_level(logging.DEBUG, logger="compat")
    return caplog


def _texts(caplog: pytest.LogCaptureFixture) -> List[str]:
    texts = []
    for record in caplog.records:
        texts.append(record.getMessage())
        if record.exc_info:
            texts.append(logging.Formatter().formatException(record.exc_info))
    return texts


def test_secrets_stay_out_of_logs_and_answers(
    iai_protocol_emulator: Emulator, fault_proxy: FaultProxy, everything_logged: pytest.LogCaptureFixture
) -> None:
    assert iai_protocol_emulator.secret_key == SECRET_KEY
    results: List[Any] = []
    good = Client(retries=1, timeout=1.0)
    results.append(good.compare(imageA=OBAMA, imageB=OBAMA2))  # success
    iai_protocol_emulator.queue_error("FailedOperation.ImageDecodeFailed", "scripted")
    results.append(good.compare(imageA=OBAMA, imageB=OBAMA2))  # 2.0 error
    results.append(Client(secret_key=WRONG_KEY, secret_id=iai_protocol_emulator.secret_id, retries=0)
                   .compare(imageA=OBAMA, imageB=OBAMA2))  # signature failure
    through_proxy = Client(endpoint=fault_proxy.endpoint, retries=1, timeout=1.0)
    fault_proxy.script("throttle", "status_503", "non_json")
    results.append(through_proxy.compare(imageA=OBAMA, imageB=OBAMA2))  # retried, then malformed
    fault_proxy.script("reset_mid_body", "reset_mid_body", "reset_mid_body")
    results.append(through_proxy.compare(imageA=OBAMA, imageB=OBAMA2))  # network fault
    assert [r["code"] for r in results] == [0, -1102, 14, 213, 213]

    records = _texts(everything_logged)
    assert any("SendRequest" in text for text in records), "the SDK's debug records were not captured"
    answers = json.dumps(results)
    for text in records + [answers]:
        assert SECRET_KEY not in text and WRONG_KEY not in text
        assert not SIGNATURE.search(text), text[:300]
    assert not any("ImageA" in text and len(text) > 100_000 for text in records)  # no image dumped into a log


def test_committed_cassettes_hold_no_secret() -> None:
    cassettes = list(CASSETTES.rglob("*.yaml")) + list(CASSETTES.rglob("*.json"))
    for path in cassettes:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert SECRET_KEY not in text, path
        assert not SIGNATURE.search(text), path
        assert "TC3-HMAC-SHA256" not in text, path
