"""The input types of ``qcloud-image`` 1.0.0, under the same names and with the same bases.

``face_compare`` tells a URL from a path from raw bytes only by these classes, so they must stay plain
subclasses of ``str``/``bytes``/``list``, exactly as the original declares them.
"""
from __future__ import annotations

__all__ = ["CIBuffer", "CIBuffers", "CIFile", "CIFiles", "CIUrl", "CIUrls"]


class CIFile(str):
    """A local image file path."""


class CIBuffer(bytes):
    """Image content (the raw bytes of an image file)."""


class CIUrl(str):
    """An image URL."""


class CIFiles(list):
    """Several local image file paths (only the original's multi-image APIs took these)."""


class CIBuffers(list):
    """Several image contents (only the original's multi-image APIs took these)."""


class CIUrls(list):
    """Several image URLs (only the original's multi-image APIs took these)."""
