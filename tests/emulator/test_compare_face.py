"""CompareFace request validation (constant engine: no face model needed, runs on every Python)."""

import base64
import time

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from compat.emulator import Emulator

from .helpers import (
    GIF_BYTES,
    bmp_bytes,
    compare_request,
    jpeg_header_bytes,
    png_bytes,
    raw_call,
    read_photo,
    sdk_client,
)

VALID_PNG = png_bytes(64, 64)


def error_code(emulator, request) -> str:
    with pytest.raises(TencentCloudSDKException) as caught:
        sdk_client(emulator).CompareFace(request)
    return caught.value.code


@pytest.mark.parametrize(
    "image, code",
    [
        (GIF_BYTES, "FailedOperation.ImageDecodeFailed"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64, "FailedOperation.ImageDecodeFailed"),
        (b"not an image at all", "FailedOperation.ImageDecodeFailed"),
        (png_bytes(20000, 20000, pixels=False), "FailedOperation.ImageResolutionExceed"),
        (png_bytes(2001, 64, pixels=False), "FailedOperation.ImageResolutionExceed"),
        (bmp_bytes(2001, 64), "FailedOperation.ImageResolutionExceed"),
        (jpeg_header_bytes(4001, 100), "FailedOperation.ImageResolutionExceed"),
        (png_bytes(63, 200), "FailedOperation.ImageResolutionTooSmall"),
        (jpeg_header_bytes(4000, 63), "FailedOperation.ImageResolutionTooSmall"),
    ],
    ids=["gif", "webp", "garbage", "png-20000", "png-2001", "bmp-2001", "jpg-4001", "png-63", "jpg-short-63"],
)
def test_bad_images_get_the_services_codes(iai_protocol_emulator, image, code):
    assert error_code(iai_protocol_emulator, compare_request(image, VALID_PNG)) == code
    assert error_code(iai_protocol_emulator, compare_request(VALID_PNG, image)) == code


def test_decompression_bomb_rejected_from_header_quickly(iai_protocol_emulator):
    bomb = png_bytes(20000, 20000, pixels=False)
    assert len(bomb) < 100
    started = time.monotonic()
    code = error_code(iai_protocol_emulator, compare_request(bomb, VALID_PNG))
    assert code == "FailedOperation.ImageResolutionExceed"
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("image", [jpeg_header_bytes(4000, 3000), bmp_bytes(2000, 64), png_bytes(64, 2000)])
def test_limits_are_inclusive_and_jpg_allows_4000(iai_protocol_emulator, image):
    assert sdk_client(iai_protocol_emulator).CompareFace(compare_request(image, VALID_PNG)).Score == 88.0


def test_invalid_base64_is_decode_failed(iai_protocol_emulator):
    request = compare_request(image_b=VALID_PNG)
    request.ImageA = "!!!not base64!!!"
    assert error_code(iai_protocol_emulator, request) == "FailedOperation.ImageDecodeFailed"


def test_base64_over_5_mb_is_size_exceed(iai_protocol_emulator):
    request = compare_request(image_b=VALID_PNG)
    request.ImageA = "A" * (5 * 1024 * 1024 + 4)
    assert error_code(iai_protocol_emulator, request) == "FailedOperation.ImageSizeExceed"


@pytest.mark.parametrize("side", ["A", "B"])
def test_missing_image_is_image_empty(iai_protocol_emulator, side):
    request = compare_request(VALID_PNG, None) if side == "B" else compare_request(None, VALID_PNG)
    assert error_code(iai_protocol_emulator, request) == "InvalidParameterValue.ImageEmpty"


def test_empty_body_is_image_empty(iai_protocol_emulator):
    assert raw_call(iai_protocol_emulator, {})["Error"]["Code"] == "InvalidParameterValue.ImageEmpty"


@pytest.mark.parametrize("version", ["1.0", "4.0", "3", "v3.0"])
def test_illegal_face_model_version(iai_protocol_emulator, version):
    request = compare_request(VALID_PNG, VALID_PNG, FaceModelVersion=version)
    assert error_code(iai_protocol_emulator, request) == "InvalidParameterValue.FaceModelVersionIllegal"


@pytest.mark.parametrize("version", ["2.0", "3.0"])
def test_face_model_version_echoed(iai_protocol_emulator, version):
    request = compare_request(VALID_PNG, VALID_PNG, FaceModelVersion=version)
    reply = sdk_client(iai_protocol_emulator).CompareFace(request)
    assert reply.FaceModelVersion == version


@pytest.mark.parametrize("level", [-1, 5, 99])
def test_illegal_quality_control(iai_protocol_emulator, level):
    request = compare_request(VALID_PNG, VALID_PNG, QualityControl=level)
    assert error_code(iai_protocol_emulator, request) == "InvalidParameterValue.QualityControlIllegal"


def test_json_type_mismatch_is_an_error_not_a_crash(iai_protocol_emulator):
    response = raw_call(iai_protocol_emulator, {"ImageA": 12, "ImageB": ["x"], "QualityControl": "high"})
    assert response["Error"]["Code"] == "InvalidParameterValue.QualityControlIllegal"
    response = raw_call(iai_protocol_emulator, {"ImageA": 12, "ImageB": ["x"]})
    assert response["Error"]["Code"] == "InvalidParameter"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/obama.jpg", "file:///etc/passwd", "obama.jpg", "http://"])
def test_non_http_url_is_url_illegal(iai_protocol_emulator, url):
    request = compare_request(VALID_PNG, VALID_PNG, UrlA=url)
    assert error_code(iai_protocol_emulator, request) == "InvalidParameterValue.UrlIllegal"


def test_urls_are_downloaded(iai_protocol_emulator, image_server):
    request = compare_request(UrlA=image_server + "/obama.jpg", UrlB=image_server + "/biden.jpg")
    assert sdk_client(iai_protocol_emulator).CompareFace(request).Score == 88.0


def test_url_wins_over_image(iai_protocol_emulator, image_server):
    request = compare_request(GIF_BYTES, VALID_PNG, UrlA=image_server + "/obama.jpg")
    assert sdk_client(iai_protocol_emulator).CompareFace(request).Score == 88.0


def test_unreachable_url_is_download_error_quickly(iai_protocol_emulator, closed_port_url):
    started = time.monotonic()
    request = compare_request(VALID_PNG, VALID_PNG, UrlB=closed_port_url)
    assert error_code(iai_protocol_emulator, request) == "FailedOperation.ImageDownloadError"
    assert time.monotonic() - started < 2.0


def test_missing_url_is_download_error(iai_protocol_emulator, image_server):
    request = compare_request(VALID_PNG, VALID_PNG, UrlB=image_server + "/no-such-photo.jpg")
    assert error_code(iai_protocol_emulator, request) == "FailedOperation.ImageDownloadError"


def test_download_timeout_and_size_cap(image_server):
    with Emulator(engine="constant", download_timeout=0.5, max_download_bytes=100 * 1024) as emulator:
        started = time.monotonic()
        slow = compare_request(VALID_PNG, VALID_PNG, UrlA=image_server + "/slow/obama.jpg")
        assert error_code(emulator, slow) == "FailedOperation.ImageDownloadError"
        assert time.monotonic() - started < 2.5
        too_big = compare_request(VALID_PNG, VALID_PNG, UrlA=image_server + "/obama.jpg")  # 280 kB > 100 kB cap
        assert error_code(emulator, too_big) == "FailedOperation.ImageDownloadError"


def test_downloaded_image_gets_the_same_checks(iai_protocol_emulator, image_server, tmp_path):
    request = compare_request(VALID_PNG, VALID_PNG, UrlA=image_server + "/obama.jpg")
    assert sdk_client(iai_protocol_emulator).CompareFace(request).Score == 88.0
    assert iai_protocol_emulator.calls[-1]["params"]["UrlA"].endswith("/obama.jpg")


def test_call_log_holds_lengths_not_images(iai_protocol_emulator):
    photo = read_photo("obama.jpg")
    sdk_client(iai_protocol_emulator).CompareFace(compare_request(photo, VALID_PNG, QualityControl=1))
    (call,) = iai_protocol_emulator.calls
    assert call["action"] == "CompareFace"
    assert call["region"] == "ap-guangzhou"
    assert call["params"]["ImageA"] == len(base64.b64encode(photo))
    assert call["params"]["ImageB"] == len(base64.b64encode(VALID_PNG))
    assert call["params"]["QualityControl"] == 1
