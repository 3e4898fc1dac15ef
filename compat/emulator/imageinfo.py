"""Format and dimensions read from an image's header, without decoding pixels.

The service checks format and resolution before it decodes, and so must the emulator: a 20000x20000 PNG can be
a few hundred bytes on the wire and gigabytes once decoded. Only the formats CompareFace accepts are parsed;
anything else (GIF, WebP, TIFF, garbage) is reported as unknown.
"""

import struct
from dataclasses import dataclass
from typing import Optional

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# SOF markers carry the frame size; C4 (DHT), C8 (JPG extension) and CC (DAC) share the range but do not.
_JPEG_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE_MARKERS = frozenset(range(0xD0, 0xDA)) | {0x01}


@dataclass(frozen=True)
class ImageInfo:
    """What the header says: ``format`` is "JPG", "PNG" or "BMP"."""

    format: str
    width: int
    height: int

    @property
    def long_side(self) -> int:
        """The larger dimension."""
        return max(self.width, self.height)

    @property
    def short_side(self) -> int:
        """The smaller dimension."""
        return min(self.width, self.height)


def read_image_info(data: bytes) -> Optional[ImageInfo]:
    """The header facts of a JPG, PNG or BMP image; ``None`` for any other or a malformed header."""
    if data.startswith(b"\xff\xd8"):
        return _jpeg_info(data)
    if data.startswith(PNG_SIGNATURE):
        return _png_info(data)
    if data.startswith(b"BM"):
        return _bmp_info(data)
    return None


def _png_info(data: bytes) -> Optional[ImageInfo]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return ImageInfo("PNG", width, height) if width and height else None


def _bmp_info(data: bytes) -> Optional[ImageInfo]:
    if len(data) < 26:
        return None
    (dib_header_size,) = struct.unpack("<I", data[14:18])
    if dib_header_size == 12:
        width, height = struct.unpack("<HH", data[18:22])
    elif dib_header_size >= 40:
        width, height = struct.unpack("<ii", data[18:26])
    else:
        return None
    height = abs(height)  # negative height means a top-down bitmap
    return ImageInfo("BMP", width, height) if width > 0 and height else None


def _jpeg_info(data: bytes) -> Optional[ImageInfo]:
    position = 2
    length = len(data)
    while position + 4 <= length:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _JPEG_STANDALONE_MARKERS:
            position += 2
            continue
        (segment_length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if segment_length < 2:
            return None
        if marker in _JPEG_SOF_MARKERS:
            if position + 9 > length:
                return None
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return ImageInfo("JPG", width, height) if width and height else None
        if marker == 0xDA:  # start of scan before any frame header
            return None
        position += 2 + segment_length
    return None
