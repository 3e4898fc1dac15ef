"""Local validation: each bad input gets the v1 code 2.0 would have led to, from headers alone."""
from __future__ import annotations

import base64
import io
import struct

import pytest

from compat import images
from compat.images import ImageRejected
from tests.imagefactory import OBAMA, encoded, jpeg_with_size, png_bomb


def rejected(data: bytes) -> ImageRejected:
    with pytest.raises(ImageRejected) as info:
        images.prepare_image(data)
    return info.value


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "BMP"])
def test_supported_formats_pass_and_round_trip_through_base64(fmt: str) -> None:
    data = encoded(fmt, 200, 100)
    assert images.inspect_image(data) == images.ImageInfo(fmt, 200, 100)
    assert base64.b64decode(images.prepare_image(data).text()) == data


def test_real_photo_dimensions() -> None:
    assert images.inspect_image(OBAMA.read_bytes()) == images.ImageInfo("JPEG", 910, 1137)


@pytest.mark.parametrize(
    "data, code, words",
    [
        (b"", -1300, "0 bytes"),
        (encoded("GIF"), -1400, "GIF"),
        (encoded("WEBP"), -1400, "WebP"),
        (encoded("TIFF"), -1400, "TIFF"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", -1400, "SVG"),
        (b"<!DOCTYPE html><html><body>not an image</body></html>", -1400, "HTML"),
        (base64.b64encode(encoded("JPEG")), -1400, "base64 text"),
        (b"\x00\x01garbage bytes that are no image", -1400, "unrecognised"),
    ],
)
def test_unsupported_inputs(data: bytes, code: int, words: str) -> None:
    error = rejected(data)
    assert (error.v1_code, words in error.reason) == (code, True), error.reason


def test_truncated_jpeg_has_no_end_of_image_marker() -> None:
    data = OBAMA.read_bytes()
    error = rejected(data[: len(data) // 2])
    assert error.v1_code == -1102 and "end-of-image" in error.reason


def test_jpeg_with_a_large_trailer_after_its_end_marker_is_whole() -> None:
    """Motion photos append a video after the JPEG: the end-of-image marker is then far from the end."""
    data = OBAMA.read_bytes() + b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 1024
    assert images.inspect_image(data).format == "JPEG"
    assert rejected(OBAMA.read_bytes()[:-2] + bytes(range(256)) * 1024).v1_code == -1102


def test_jpeg_cut_inside_headers_is_corrupt() -> None:
    assert rejected(OBAMA.read_bytes()[:300]).v1_code == -1102


def test_truncated_png_chunk_layout() -> None:
    data = encoded("PNG", 300, 300)
    assert rejected(data[:-20]).v1_code == -1102


def test_truncated_bmp_pixel_array() -> None:
    data = encoded("BMP", 300, 300)
    assert rejected(data[:-100]).v1_code == -1102


def test_png_bomb_refused_from_its_header_without_decoding() -> None:
    error = rejected(png_bomb(20000, 20000))
    assert error.v1_code == -1400 and "20000x20000" in error.reason


@pytest.mark.parametrize(
    "width, height, ok", [(4000, 3000, True), (4001, 3000, False), (64, 64, True), (63, 200, False)]
)
def test_jpeg_side_limits(width: int, height: int, ok: bool) -> None:
    data = jpeg_with_size(width, height)
    if ok:
        assert images.inspect_image(data).width == width
    else:
        assert rejected(data).v1_code == -1400


@pytest.mark.parametrize("fmt", ["PNG", "BMP"])
def test_non_jpeg_long_side_limit_is_2000(fmt: str) -> None:
    images.prepare_image(encoded(fmt, 2000, 64))
    assert rejected(encoded(fmt, 2001, 64)).v1_code == -1400


def test_zero_dimension_jpeg() -> None:
    assert rejected(jpeg_with_size(0, 100)).v1_code == -1102


def test_oversized_input_refused_before_encoding() -> None:
    big = b"\xff\xd8\xff" + b"\0" * images.MAX_RAW_BYTES
    error = rejected(big)
    assert error.v1_code == 23 and "after base64" in error.reason


def test_largest_acceptable_image_fits_the_base64_limit() -> None:
    assert len(base64.b64encode(b"\0" * images.MAX_RAW_BYTES)) <= images.MAX_BASE64_BYTES
    assert len(base64.b64encode(b"\0" * (images.MAX_RAW_BYTES + 3))) > images.MAX_BASE64_BYTES


def test_cmyk_jpeg_and_16_bit_png_are_accepted_formats() -> None:
    assert images.inspect_image(encoded("JPEG", 100, 100, mode="CMYK")).format == "JPEG"
    assert images.inspect_image(encoded("PNG", 100, 100, mode="I;16")).format == "PNG"


def test_bmp_top_down_negative_height() -> None:
    data = bytearray(encoded("BMP", 100, 80))
    struct.pack_into("<i", data, 22, -80)
    assert images.inspect_image(bytes(data)) == images.ImageInfo("BMP", 100, 80)


class TestReadImage:
    def test_bytes_path_pathlike_and_file_object(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        data = encoded("PNG")
        path = tmp_path / "a.png"
        path.write_bytes(data)
        assert images.read_image(data) == data
        assert images.read_image(bytearray(data)) == data
        assert images.read_image(str(path)) == data
        assert images.read_image(path) == data
        with open(path, "rb") as handle:
            assert images.read_image(handle) == data
        assert images.read_image(io.BytesIO(data)) == data

    def test_missing_file(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ImageRejected) as info:
            images.read_image(str(tmp_path / "nope.jpg"))
        assert info.value.v1_code == -1300 and "not found" in info.value.reason

    def test_directory(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ImageRejected) as info:
            images.read_image(tmp_path)
        assert info.value.v1_code == 21

    def test_text_mode_file(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / "a.txt"
        path.write_text("hello")
        with open(path) as handle, pytest.raises(ImageRejected) as info:
            images.read_image(handle)
        assert info.value.v1_code == 21 and "text mode" in info.value.reason

    @pytest.mark.parametrize("value", [123, 4.5, ["a"], {"a": 1}, object()])
    def test_wrong_types(self, value: object) -> None:
        with pytest.raises(ImageRejected) as info:
            images.read_image(value)
        assert info.value.v1_code == 21

    def test_huge_file_refused_from_its_size(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / "big.jpg"
        with open(path, "wb") as handle:
            handle.truncate(images.MAX_RAW_BYTES + 1)
        with pytest.raises(ImageRejected) as info:
            images.read_image(path)
        assert info.value.v1_code == 23


@pytest.mark.parametrize(
    "url, code",
    [
        ("http://example.com/a.jpg", 0),
        ("https://example.com/a.jpg?x=1", 0),
        ("ftp://example.com/a.jpg", 21),
        ("file:///etc/passwd", 21),
        ("/local/path.jpg", 21),
        ("http://", 21),
        ("http://exa mple.com/a.jpg", 21),
        ("http://example.com/\n", 21),
        ("", -1301),
        ("http://example.com/" + "a" * 3000, 21),
        (b"http://example.com/a.jpg", 21),
        (42, 21),
    ],
)
def test_check_url(url: object, code: int) -> None:
    if code == 0:
        assert images.check_url(url) == url
    else:
        with pytest.raises(ImageRejected) as info:
            images.check_url(url)
        assert info.value.v1_code == code
