"""A hostile-image corpus, generated here: every input gets a v1-shaped answer with a decided code and fail_flag,
and memory stays bounded (the decompression bomb is refused from its header, never decoded)."""
from __future__ import annotations

import base64
import io
import tracemalloc
from typing import Any, Dict, Optional

import pytest
from PIL import Image

from compat import Client
from compat.emulator import Emulator
from compat.errors import V1_CODES
from tests.imagefactory import OBAMA, OBAMA2, encoded, png_bomb

OBAMA_BYTES = OBAMA.read_bytes()


def sixteen_bit_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("I;16", (128, 128), 40000).save(buffer, format="PNG")
    data = buffer.getvalue()
    assert data[24] == 16  # IHDR bit depth
    return data


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><rect/></svg>'
HTML = b"<!DOCTYPE html><html><body>Not Found</body></html>"

#: name -> (bytes, v1 code, fail_flag) when the image is side B; decided, not discovered at run time.
CORPUS: Dict[str, Any] = {
    "truncated_jpeg": (OBAMA_BYTES[: len(OBAMA_BYTES) // 2], -1102, 2),
    "zero_byte": (b"", -1300, 2),
    "one_by_one_png": (encoded("PNG", 1, 1), -1400, 2),
    "one_by_one_jpeg": (encoded("JPEG", 1, 1), -1400, 2),
    "png_bomb_20000": (png_bomb(20000, 20000), -1400, 2),
    "webp": (encoded("WEBP", 128, 128), -1400, 2),
    "svg": (SVG, -1400, 2),
    "html_named_jpg": (HTML, -1400, 2),
    "base64_text_as_bytes": (base64.b64encode(OBAMA_BYTES), -1400, 2),
    "gif": (encoded("GIF", 128, 128), -1400, 2),
}


@pytest.fixture
def client(iai_protocol_emulator: Emulator) -> Client:
    return Client(retries=0, timeout=5)


def assert_v1(result: Dict[str, Any], code: int, fail_flag: Optional[int]) -> None:
    assert set(result) == {"data", "code", "message"}
    assert result["code"] == code and result["code"] in V1_CODES, result
    assert result["data"].get("fail_flag") == fail_flag, result
    assert set(result["data"]) <= {"similarity", "session_id", "fail_flag"}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_image_is_refused_locally_with_its_side(client: Client, iai_protocol_emulator: Emulator,
                                                        name: str) -> None:
    data, code, fail_flag = CORPUS[name]
    assert_v1(client.compare(imageA=OBAMA, imageB=data), code, fail_flag)
    assert_v1(client.compare(imageA=data, imageB=OBAMA2), code, 1)
    assert iai_protocol_emulator.calls == []  # never billed


def test_base64_text_is_named_in_the_message(client: Client) -> None:
    message = client.compare(imageA=base64.b64encode(OBAMA_BYTES), imageB=OBAMA2)["message"]
    assert "base64" in message


@pytest.mark.parametrize("name, data", [("cmyk_jpeg", encoded("JPEG", 128, 128, mode="CMYK")),
                                        ("sixteen_bit_png", sixteen_bit_png())])
def test_valid_but_unusual_formats_are_sent_and_answered_v1(client: Client, iai_protocol_emulator: Emulator,
                                                            name: str, data: bytes) -> None:
    # Valid containers within 2.0's limits: the shim forwards them; what the engine makes of them is 2.0's call.
    # The protocol emulator scores anything (constant engine); a decode or no-face error would map per image.
    result = client.compare(imageA=data, imageB=OBAMA2)
    assert len(iai_protocol_emulator.calls) == 1
    assert_v1(result, 0, None)


def test_bomb_is_refused_from_its_header_in_bounded_memory(client: Client) -> None:
    bomb = png_bomb(20000, 20000)
    decoded_size = 20000 * 20000  # 8-bit grey: 400 MB if anything decoded it
    tracemalloc.start()
    try:
        result = client.compare(imageA=bomb, imageB=OBAMA2)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_v1(result, -1400, 1)
    assert peak < 2 * 1024 * 1024 < decoded_size // 100
