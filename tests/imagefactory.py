"""Images made on the spot for tests: real encoders (Pillow) for valid files, hand-built bytes for hostile ones."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image

EXAMPLES = Path(__file__).resolve().parent.parent / "compat" / "examples"
OBAMA = EXAMPLES / "obama.jpg"
OBAMA2 = EXAMPLES / "obama2.jpg"
BIDEN = EXAMPLES / "biden.jpg"


def encoded(fmt: str, width: int = 128, height: int = 128, mode: str = "RGB", **save_args: object) -> bytes:
    """A real image of the given format and size, encoded by Pillow."""
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color=128 if mode in ("L", "I;16", "CMYK") else (128, 128, 128)).save(
        buffer, format=fmt, **save_args
    )
    return buffer.getvalue()


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_bomb(width: int = 20000, height: int = 20000) -> bytes:
    """A structurally valid PNG that declares huge dimensions over a few bytes of data (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunks = _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def jpeg_with_size(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header is rewritten to declare ``width`` x ``height``."""
    data = bytearray(encoded("JPEG", 64, 64))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)
