"""The 2.0 wire protocol, driven by the official SDK (and by hand where the SDK cannot misbehave)."""

import json
import re
import time

import pytest
import requests
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from compat.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, Emulator

from .helpers import compare_request, png_bytes, raw_call, sdk_client, tc3_headers

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
VALID_PNG = png_bytes(64, 64)


def sdk_error(client, request=None) -> TencentCloudSDKException:
    with pytest.raises(TencentCloudSDKException) as caught:
        client.CompareFace(request or compare_request(VALID_PNG, VALID_PNG))
    return caught.value


def test_documented_local_key_pair():
    assert (DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY) == ("face-compat-local-id", "face-compat-local-key")


def test_sdk_call_succeeds_with_reply_shaped_like_the_cloud(iai_protocol_emulator):
    reply = sdk_client(iai_protocol_emulator).CompareFace(compare_request(VALID_PNG, VALID_PNG))
    assert reply.Score == 88.0
    assert reply.FaceModelVersion == "3.0"
    assert UUID4.match(reply.RequestId)


def test_reply_json_is_exactly_response_with_fields_and_request_id(iai_protocol_emulator):
    response = raw_call(iai_protocol_emulator, {"ImageA": "", "ImageB": ""})
    assert set(response) == {"Error", "RequestId"}
    assert set(response["Error"]) == {"Code", "Message"}
    response = raw_call(iai_protocol_emulator, {"ImageA": _b64(VALID_PNG), "ImageB": _b64(VALID_PNG)})
    assert set(response) == {"Score", "FaceModelVersion", "RequestId"}


def test_wrong_secret_key_is_signature_failure(iai_protocol_emulator):
    error = sdk_error(sdk_client(iai_protocol_emulator, secret_key="not-the-key"))
    assert error.code == "AuthFailure.SignatureFailure"
    assert UUID4.match(error.requestId)


def test_unknown_secret_id(iai_protocol_emulator):
    error = sdk_error(sdk_client(iai_protocol_emulator, secret_id="AKIDsomebodyelse"))
    assert error.code == "AuthFailure.SecretIdNotFound"


@pytest.mark.parametrize("offset", [-301, 301, -3600])
def test_timestamp_outside_five_minutes_is_signature_expire(iai_protocol_emulator, offset):
    response = raw_call(iai_protocol_emulator, {}, timestamp=int(time.time()) + offset)
    assert response["Error"]["Code"] == "AuthFailure.SignatureExpire"


def test_timestamp_inside_window_is_accepted(iai_protocol_emulator):
    response = raw_call(
        iai_protocol_emulator, {"ImageA": _b64(VALID_PNG), "ImageB": _b64(VALID_PNG)}, timestamp=int(time.time()) - 250
    )
    assert response["Score"] == 88.0


def test_sdk_with_old_clock_gets_signature_expire(iai_protocol_emulator, monkeypatch):
    from tencentcloud.common import abstract_client

    real_time = time.time
    monkeypatch.setattr(abstract_client.time, "time", lambda: real_time() - 900)
    error = sdk_error(sdk_client(iai_protocol_emulator))
    assert error.code == "AuthFailure.SignatureExpire"


def test_hand_signed_request_verifies(iai_protocol_emulator):
    response = raw_call(iai_protocol_emulator, {"ImageA": _b64(VALID_PNG), "ImageB": _b64(VALID_PNG)})
    assert response["Score"] == 88.0


def test_signature_covers_body(iai_protocol_emulator):
    body = json.dumps({"ImageA": _b64(VALID_PNG), "ImageB": _b64(VALID_PNG)}).encode()
    host = iai_protocol_emulator.endpoint.split("://")[1]
    headers = tc3_headers(secret_id=DEFAULT_SECRET_ID, secret_key=DEFAULT_SECRET_KEY, host=host, body=body)
    tampered = body.replace(b'"ImageB"', b'"ImageB" ')
    reply = requests.post(iai_protocol_emulator.endpoint, data=tampered, headers=headers, timeout=10)
    assert reply.json()["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"


def test_signature_verified_against_host_received(iai_protocol_emulator):
    body = b"{}"
    headers = tc3_headers(
        secret_id=DEFAULT_SECRET_ID, secret_key=DEFAULT_SECRET_KEY, host="iai.tencentcloudapi.com", body=body
    )
    del headers["Host"]  # requests sends the real host:port, which the signature does not cover
    reply = requests.post(iai_protocol_emulator.endpoint, data=body, headers=headers, timeout=10)
    assert reply.json()["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"


def test_missing_authorization(iai_protocol_emulator):
    host = iai_protocol_emulator.endpoint.split("://")[1]
    headers = tc3_headers(secret_id=DEFAULT_SECRET_ID, secret_key=DEFAULT_SECRET_KEY, host=host, body=b"{}")
    del headers["Authorization"]
    reply = requests.post(iai_protocol_emulator.endpoint, data=b"{}", headers=headers, timeout=10)
    assert reply.json()["Response"]["Error"]["Code"] == "AuthFailure.InvalidAuthorization"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer abc", "TC3-HMAC-SHA256 Credential=x", "TC3-HMAC-SHA256 Credential=a/b/c, Signature=zz"],
)
def test_malformed_authorization(iai_protocol_emulator, authorization):
    host = iai_protocol_emulator.endpoint.split("://")[1]
    headers = tc3_headers(secret_id=DEFAULT_SECRET_ID, secret_key=DEFAULT_SECRET_KEY, host=host, body=b"{}")
    headers["Authorization"] = authorization
    reply = requests.post(iai_protocol_emulator.endpoint, data=b"{}", headers=headers, timeout=10)
    assert reply.json()["Response"]["Error"]["Code"] == "AuthFailure.InvalidAuthorization"


@pytest.mark.parametrize("header", ["X-TC-Action", "X-TC-Version", "X-TC-Timestamp"])
def test_missing_tc_header_is_missing_parameter(iai_protocol_emulator, header):
    host = iai_protocol_emulator.endpoint.split("://")[1]
    headers = tc3_headers(secret_id=DEFAULT_SECRET_ID, secret_key=DEFAULT_SECRET_KEY, host=host, body=b"{}")
    del headers[header]
    reply = requests.post(iai_protocol_emulator.endpoint, data=b"{}", headers=headers, timeout=10)
    error = reply.json()["Response"]["Error"]
    assert error["Code"] == "MissingParameter"
    assert header in error["Message"]


def test_unknown_action_is_invalid_action(iai_protocol_emulator):
    client = sdk_client(iai_protocol_emulator)
    with pytest.raises(TencentCloudSDKException) as caught:
        client.call_json("DetectFace", {"Image": "abc"})
    assert caught.value.code == "InvalidAction"


def test_internal_method_names_are_not_reachable(iai_protocol_emulator):
    for action in ("compare_face", "Dispatch", "_VerifyAndRoute"):
        assert raw_call(iai_protocol_emulator, {}, action=action)["Error"]["Code"] == "InvalidAction"


def test_wrong_version_is_no_such_version(iai_protocol_emulator):
    response = raw_call(iai_protocol_emulator, {}, version="2018-03-01")
    assert response["Error"]["Code"] == "NoSuchVersion"


def test_missing_region(iai_protocol_emulator):
    assert sdk_error(sdk_client(iai_protocol_emulator, region="")).code == "MissingParameter"


def test_unknown_region(iai_protocol_emulator):
    assert sdk_error(sdk_client(iai_protocol_emulator, region="mars-north-1")).code == "UnsupportedRegion"


@pytest.mark.parametrize("region", ["ap-shanghai", "na-siliconvalley", "ap-shenzhen-fsi", "eu-frankfurt"])
def test_real_regions_accepted(iai_protocol_emulator, region):
    assert sdk_client(iai_protocol_emulator, region=region).CompareFace(compare_request(VALID_PNG, VALID_PNG)).Score


def test_body_not_json_is_invalid_parameter(iai_protocol_emulator):
    body = b"ImageA=abc"
    host = iai_protocol_emulator.endpoint.split("://")[1]
    headers = tc3_headers(secret_id=DEFAULT_SECRET_ID, secret_key=DEFAULT_SECRET_KEY, host=host, body=body)
    reply = requests.post(iai_protocol_emulator.endpoint, data=body, headers=headers, timeout=10)
    assert reply.json()["Response"]["Error"]["Code"] == "InvalidParameter"


def test_oversized_body_rejected_without_reading_it(iai_protocol_emulator):
    import socket

    host, port = iai_protocol_emulator.endpoint.split("://")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST / HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{"
            % (host.encode(), port.encode(), 50 * 1024 * 1024)
        )
        reply = b""
        while b"}}" not in reply:
            chunk = connection.recv(4096)
            if not chunk:
                break
            reply += chunk
    assert b"RequestSizeLimitExceeded" in reply
    assert b"Connection: close" in reply


def test_handler_crash_is_internal_error_not_traceback():
    class ExplodingEngine:
        name = "exploding"

        def compare(self, request):
            raise ZeroDivisionError("boom")

    with Emulator(engine=ExplodingEngine()) as emulator:
        error = sdk_error(sdk_client(emulator))
    assert error.code == "InternalError"
    assert "boom" not in error.message and "Traceback" not in error.message


def test_get_with_query_string_is_signed_and_answered(iai_protocol_emulator):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.iai.v20200303 import iai_client

    endpoint = iai_protocol_emulator.endpoint.split("://")[1]
    http_profile = HttpProfile(protocol="http", endpoint=endpoint, reqMethod="GET")
    cred = credential.Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
    client = iai_client.IaiClient(cred, "ap-guangzhou", ClientProfile(httpProfile=http_profile))
    assert client.CompareFace(compare_request(VALID_PNG, VALID_PNG, QualityControl=2)).Score == 88.0


def test_https_with_ssl_context():
    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    import ssl

    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(server_context)
    with Emulator(engine="constant", ssl_context=server_context) as emulator, authority.cert_pem.tempfile() as ca:
        assert emulator.endpoint.startswith("https://127.0.0.1:")
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.iai.v20200303 import iai_client

        http_profile = HttpProfile(endpoint=emulator.endpoint.split("://")[1], certification=ca)
        client = iai_client.IaiClient(
            credential.Credential(emulator.secret_id, emulator.secret_key), "ap-guangzhou",
            ClientProfile(httpProfile=http_profile),
        )
        assert client.CompareFace(compare_request(VALID_PNG, VALID_PNG)).Score == 88.0


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()
