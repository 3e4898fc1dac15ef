"""Turn one side's input (URL, bytes, path or file object) into a 2.0 field, rejecting bad input locally.

Every check here runs before any billed call and answers with the v1 code 2.0 would have led to, so
the caller learns which image (``fail_flag``) is at fault. The checks read headers and structure only
(magic bytes, JPEG segments and end-of-image marker, PNG chunk layout, BMP sizes): decoding every
image on every call would cost more than the network round trip the shim is measured against.
"""
from __future__ import annotations

import base64
import binascii
import os
import struct
from typing import Any, NamedTuple, NoReturn, Optional, Tuple
from urllib.parse import urlsplit

#: 2.0 limit on each image after base64 (the service counts MiB).
MAX_BASE64_BYTES = 5 * 1024 * 1024
#: Raw-size ceiling implied by the limit; larger input is refused before it is encoded or even read.
MAX_RAW_BYTES = MAX_BASE64_BYTES // 4 * 3
MAX_LONG_SIDE = {"JPEG": 4000, "PNG": 2000, "BMP": 2000}
MIN_SHORT_SIDE = 64
MAX_URL_LENGTH = 2048

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}
#: Where a JPEG's end-of-image marker is looked for first: near the end, where it usually sits. Files with a
#: large trailer after it (phones' motion photos append a video) fall back to a scan from the first scan
#: segment; entropy-coded data stuffs every 0xFF, so the first FF D9 there is the real marker.
_JPEG_EOI_WINDOW = 64 * 1024


class ImageRejected(Exception):
    """Local validation refused one side's input; ``v1_code`` says how v1 would have answered."""

    def __init__(self, v1_code: int, reason: str) -> None:
        super().__init__(v1_code, reason)
        self.v1_code = v1_code
        self.reason = reason


class ImageInfo(NamedTuple):
    """What the header says: format name, width and height in pixels."""

    format: str
    width: int
    height: int


def check_url(url: Any) -> str:
    """Accept an http(s) URL unchanged (2.0 fetches it), or raise :class:`ImageRejected` (v1 21)."""
    if not isinstance(url, str):
        raise ImageRejected(21, "url must be a str, not %s" % type(url).__name__)
    if not url.strip():
        raise ImageRejected(-1301, "url is empty")
    if len(url) > MAX_URL_LENGTH:
        raise ImageRejected(21, "url is longer than %d characters" % MAX_URL_LENGTH)
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise ImageRejected(21, "url contains white space or control characters")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ImageRejected(21, "url must be an absolute http(s) URL")
    return url


def read_image(image: Any) -> bytes:
    """Read bytes, a path (``str``/``PathLike``) or a binary file object, refusing oversized input early."""
    if isinstance(image, bytes):
        return image
    if isinstance(image, (bytearray, memoryview)):
        return bytes(image)
    if isinstance(image, (str, os.PathLike)):
        return _read_path(image)
    read = getattr(image, "read", None)
    if callable(read):
        try:
            data = read(MAX_RAW_BYTES + 1)
        except (OSError, ValueError) as exc:
            raise ImageRejected(-1102, "image file object could not be read: %s" % exc) from exc
        if isinstance(data, str):
            raise ImageRejected(21, "image file object is open in text mode; open it with 'rb'")
        if not isinstance(data, (bytes, bytearray)):
            raise ImageRejected(21, "image file object returned %s, not bytes" % type(data).__name__)
        return bytes(data)
    raise ImageRejected(21, "image must be bytes, a path or a binary file object, not %s" % type(image).__name__)


def _read_path(path: Any) -> bytes:
    try:
        size = os.stat(path).st_size
        if size > MAX_RAW_BYTES:
            _oversized(size)
        with open(path, "rb") as handle:
            return handle.read(MAX_RAW_BYTES + 1)
    except ImageRejected:
        raise
    except FileNotFoundError as exc:
        raise ImageRejected(-1300, "image file not found: %s" % os.fspath(path)) from exc
    except IsADirectoryError as exc:
        raise ImageRejected(21, "image path is a directory: %s" % os.fspath(path)) from exc
    except (OSError, ValueError) as exc:
        raise ImageRejected(21, "image file could not be read: %s" % exc) from exc


def _oversized(size: int) -> NoReturn:
    raise ImageRejected(
        23, "image is %d bytes; 2.0 accepts at most %d bytes after base64 (about %d raw)" % (
            size, MAX_BASE64_BYTES, MAX_RAW_BYTES)
    )


#: Raw bytes base64-encoded per step when writing into a request body (a multiple of 3, so steps join cleanly):
#: bounds the temporary copy to a few hundred KiB whatever the image size.
_BASE64_STEP = 3 * 64 * 1024


class Base64Image:
    """A validated image on its way to ``ImageA``/``ImageB``: kept raw, base64-encoded straight into the body.

    Base64 text never needs JSON escaping, so the request body can take it as is: no ``str`` copy of the
    base64, no JSON escaping scan, no re-encoding for the signature hash or the socket.
    """

    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    @property
    def base64_length(self) -> int:
        """Length of the base64 text in bytes (with padding)."""
        return (len(self.raw) + 2) // 3 * 4

    def write_base64(self, out: bytearray, position: int) -> int:
        """Write the base64 text into ``out`` at ``position``; return the position after it."""
        raw = memoryview(self.raw)
        for start in range(0, len(raw), _BASE64_STEP):
            step = raw[start : start + _BASE64_STEP]
            end = position + (len(step) + 2) // 3 * 4
            # no name holds the encoded step, so it is freed before the next one is made
            out[position:end] = binascii.b2a_base64(step, newline=False)
            position = end
        return position

    def text(self) -> str:
        """The base64 text as ``str`` (for callers that need the field value itself)."""
        return base64.b64encode(self.raw).decode("ascii")

    def __repr__(self) -> str:  # an image never ends up in a log line or a traceback by accident
        return "<Base64Image of %d bytes>" % len(self.raw)


def prepare_image(data: bytes) -> Base64Image:
    """Validate raw image bytes and wrap them for ``ImageA``/``ImageB`` (encoded when the body is built)."""
    if not data:
        raise ImageRejected(-1300, "0 bytes")
    if len(data) > MAX_RAW_BYTES:
        _oversized(len(data))
    inspect_image(data)
    return Base64Image(data)


def inspect_image(data: bytes) -> ImageInfo:
    """Read format and dimensions from the header, check them against 2.0's limits, check the container is whole.

    Dimensions are checked as soon as the header gives them, so a decompression bomb is refused
    for its size before anything else is read.
    """
    if data.startswith(b"\xff\xd8\xff"):
        return _inspect_jpeg(data)
    if data.startswith(_PNG_SIGNATURE):
        return _inspect_png(data)
    if data.startswith(b"BM"):
        return _inspect_bmp(data)
    raise ImageRejected(-1400, "%s; 2.0 accepts JPEG, PNG and BMP" % _guess_format(data))


def _check_dimensions(fmt: str, width: int, height: int) -> None:
    if not width or not height:
        raise ImageRejected(-1102, "%s declares a zero dimension" % fmt)
    long_side, short_side = max(width, height), min(width, height)
    if long_side > MAX_LONG_SIDE[fmt]:
        raise ImageRejected(-1400, "%s is %dx%d; 2.0 allows a long side of at most %d px for %s" % (
            fmt, width, height, MAX_LONG_SIDE[fmt], fmt))
    if short_side < MIN_SHORT_SIDE:
        raise ImageRejected(-1400, "%s is %dx%d; 2.0 needs a short side of at least %d px" % (
            fmt, width, height, MIN_SHORT_SIDE))


def _guess_format(data: bytes) -> str:
    head = data[:64]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP"
    if head.startswith((b"II*\0", b"MM\0*")):
        return "TIFF"
    if head[4:8] == b"ftyp":
        return "HEIF/AVIF"
    text = head.lstrip().lower()
    if text.startswith((b"<svg", b"<?xml")):
        return "SVG/XML text"
    if text.startswith((b"<!doctype html", b"<html")):
        return "HTML text"
    if _looks_like_base64(data):
        return "base64 text: pass the decoded image bytes, not their base64"
    return "unrecognised bytes"


def _looks_like_base64(data: bytes) -> bool:
    sample = data[:4096].strip()
    if len(sample) < 16:
        return False
    try:
        decoded = base64.b64decode(sample[: len(sample) // 4 * 4], validate=True)
    except (binascii.Error, ValueError):
        return False
    return decoded.startswith((b"\xff\xd8\xff", _PNG_SIGNATURE, b"BM", b"GIF8"))


def _inspect_jpeg(data: bytes) -> ImageInfo:
    size: Optional[Tuple[int, int]] = None
    pos, end = 2, len(data)
    while pos < end:
        if data[pos] != 0xFF:
            raise ImageRejected(-1102, "JPEG segment structure is corrupt at byte %d" % pos)
        while pos < end and data[pos] == 0xFF:  # fill bytes may pad a marker
            pos += 1
        if pos >= end:
            break
        marker = data[pos]
        pos += 1
        if marker in _JPEG_STANDALONE:
            continue
        if marker == 0xD9:
            raise ImageRejected(-1102, "JPEG ends before any image data")
        if pos + 2 > end:
            break
        (length,) = struct.unpack_from(">H", data, pos)
        if length < 2 or pos + length > end:
            raise ImageRejected(-1102, "JPEG is truncated inside a header segment")
        if marker in _JPEG_SOF:
            if length < 7:
                raise ImageRejected(-1102, "JPEG frame header is too short")
            height, width = struct.unpack_from(">HH", data, pos + 3)
            _check_dimensions("JPEG", width, height)
            size = (width, height)
        if marker == 0xDA:  # start of scan: entropy-coded data follows, headers are over
            if size is None:
                raise ImageRejected(-1102, "JPEG has no frame header before its scan")
            if data.rfind(b"\xff\xd9", max(pos, end - _JPEG_EOI_WINDOW)) < 0 and data.find(b"\xff\xd9", pos) < 0:
                raise ImageRejected(-1102, "JPEG is truncated: no end-of-image marker")
            return ImageInfo("JPEG", size[0], size[1])
        pos += length
    raise ImageRejected(-1102, "JPEG is truncated before its image data")


def _inspect_png(data: bytes) -> ImageInfo:
    end = len(data)
    if end < 33 or data[12:16] != b"IHDR":
        raise ImageRejected(-1102, "PNG has no IHDR header")
    width, height = struct.unpack_from(">II", data, 16)
    _check_dimensions("PNG", width, height)
    pos, seen_data = 8, False
    while pos + 8 <= end:
        length, kind = struct.unpack_from(">I4s", data, pos)
        pos += 12 + length
        if pos > end:
            break
        if kind == b"IDAT":
            seen_data = True
        elif kind == b"IEND":
            if not seen_data:
                raise ImageRejected(-1102, "PNG has no image data (IDAT)")
            return ImageInfo("PNG", width, height)
    raise ImageRejected(-1102, "PNG is truncated: chunk layout ends before IEND")


def _inspect_bmp(data: bytes) -> ImageInfo:
    end = len(data)
    if end < 26:
        raise ImageRejected(-1102, "BMP header is truncated")
    pixel_offset, header_size = struct.unpack_from("<II", data, 10)
    if header_size == 12:
        width, height = struct.unpack_from("<HH", data, 18)
        bits, compression = struct.unpack_from("<H", data, 24)[0], 0
    elif header_size >= 40 and end >= 34:
        width, height = struct.unpack_from("<ii", data, 18)
        bits, compression = struct.unpack_from("<HI", data, 28)
    else:
        raise ImageRejected(-1102, "BMP has an unknown header (size %d)" % header_size)
    width, height = abs(width), abs(height)  # negative height marks a top-down bitmap
    _check_dimensions("BMP", width, height)
    if bits not in (1, 4, 8, 16, 24, 32):
        raise ImageRejected(-1102, "BMP declares %d bits per pixel" % bits)
    if compression == 0:  # uncompressed: the pixel array's size is known exactly
        stride = (width * bits + 31) // 32 * 4
        if pixel_offset + stride * height > end:
            raise ImageRejected(-1102, "BMP is truncated: pixel data shorter than its header declares")
    return ImageInfo("BMP", width, height)
