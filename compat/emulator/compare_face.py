"""CompareFace as the service validates it: parameters, then each image (URL wins), then the engine.

Order of checks (the service does not document it; this order reports the cheapest problem first):
FaceModelVersion, QualityControl, NeedRotateDetection, FaceMatchingStrategy, then image A, then image B
(presence, base64 size, base64, format from the header, resolution from the header), then faces.
"""

import base64
import binascii
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, Optional
from urllib.parse import urlsplit

from .engines import CompareInput
from .exceptions import EmulatorError
from .imageinfo import read_image_info

MAX_BASE64_BYTES = 5 * 1024 * 1024
MAX_LONG_SIDE = {"JPG": 4000, "PNG": 2000, "BMP": 2000}
MIN_SHORT_SIDE = 64
FACE_MODEL_VERSIONS = ("2.0", "3.0")
DEFAULT_FACE_MODEL_VERSION = "3.0"
QUALITY_CONTROL_LEVELS = range(0, 5)


@dataclass(frozen=True)
class DownloadPolicy:
    """How UrlA/UrlB are fetched: per-operation timeout (also the overall deadline) and a byte cap."""

    timeout: float = 5.0
    max_bytes: int = 10 * 1024 * 1024


def parse_compare_face(params: Dict[str, Any], downloads: DownloadPolicy) -> CompareInput:
    """Validate a CompareFace request and return the images and options for the engine."""
    face_model_version = params.get("FaceModelVersion")
    if face_model_version in (None, ""):
        face_model_version = DEFAULT_FACE_MODEL_VERSION
    if face_model_version not in FACE_MODEL_VERSIONS:
        raise EmulatorError("InvalidParameterValue.FaceModelVersionIllegal")
    quality_control = _small_int(params.get("QualityControl"), QUALITY_CONTROL_LEVELS)
    if quality_control is None:
        raise EmulatorError("InvalidParameterValue.QualityControlIllegal")
    need_rotate_detection = _small_int(params.get("NeedRotateDetection"), range(0, 2))
    if need_rotate_detection is None:
        raise EmulatorError("InvalidParameter", "NeedRotateDetection must be 0 or 1.")
    face_matching_strategy = _small_int(params.get("FaceMatchingStrategy"), range(0, 2))
    if face_matching_strategy is None:
        raise EmulatorError("InvalidParameter", "FaceMatchingStrategy must be 0 or 1.")
    return CompareInput(
        image_a=_load_image(params.get("ImageA"), params.get("UrlA"), downloads),
        image_b=_load_image(params.get("ImageB"), params.get("UrlB"), downloads),
        face_model_version=face_model_version,
        quality_control=quality_control,
        need_rotate_detection=need_rotate_detection,
        face_matching_strategy=face_matching_strategy,
    )


def _small_int(value: Any, allowed: range) -> Optional[int]:
    """``value`` as an int in ``allowed`` (absent means 0), else None; GET requests carry digits as strings."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and value in allowed else None


def _load_image(image: Any, url: Any, downloads: DownloadPolicy) -> bytes:
    if url not in (None, ""):
        data = download_image(url, downloads)
        if _base64_length(len(data)) > MAX_BASE64_BYTES:
            raise EmulatorError("FailedOperation.ImageSizeExceed")
    elif image in (None, ""):
        raise EmulatorError("InvalidParameterValue.ImageEmpty")
    else:
        data = decode_base64_image(image)
    check_image_header(data)
    return data


def _base64_length(raw_length: int) -> int:
    return (raw_length + 2) // 3 * 4


def decode_base64_image(image: Any) -> bytes:
    """The bytes of a base64 image field; too long -> ImageSizeExceed, not base64 -> ImageDecodeFailed."""
    if not isinstance(image, str):
        raise EmulatorError("InvalidParameter", "ImageA/ImageB must be a base64 string.")
    if len(image) > MAX_BASE64_BYTES:
        raise EmulatorError("FailedOperation.ImageSizeExceed")
    try:
        data = base64.b64decode(image.replace("\n", "").replace("\r", ""), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EmulatorError("FailedOperation.ImageDecodeFailed", "Image is not valid base64.") from exc
    if not data:
        raise EmulatorError("InvalidParameterValue.ImageEmpty")
    return data


def check_image_header(data: bytes) -> None:
    """Format and resolution from the header alone, before any pixel is decoded."""
    info = read_image_info(data)
    if info is None:
        raise EmulatorError("FailedOperation.ImageDecodeFailed", "Image format is not supported (PNG, JPG, BMP only).")
    if info.long_side > MAX_LONG_SIDE[info.format]:
        raise EmulatorError(
            "FailedOperation.ImageResolutionExceed",
            f"{info.format} long side {info.long_side} px exceeds {MAX_LONG_SIDE[info.format]} px.",
        )
    if info.short_side < MIN_SHORT_SIDE:
        raise EmulatorError("FailedOperation.ImageResolutionTooSmall")


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise EmulatorError("FailedOperation.ImageDownloadError", "Redirect to a non-http(s) URL.")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# Direct connections: the emulator fetches the URL it was given, not whatever an environment proxy would do.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _HttpOnlyRedirects())


def download_image(url: Any, downloads: DownloadPolicy) -> bytes:
    """Fetch UrlA/UrlB over http(s) within the timeout and byte cap; any failure -> ImageDownloadError."""
    if not isinstance(url, str) or urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc:
        raise EmulatorError("InvalidParameterValue.UrlIllegal")
    deadline = time.monotonic() + downloads.timeout
    try:
        with _OPENER.open(urllib.request.Request(url, headers={"User-Agent": "face-compat-emulator"}),
                          timeout=downloads.timeout) as reply:
            chunks = []
            received = 0
            while True:
                if time.monotonic() > deadline:
                    raise EmulatorError("FailedOperation.ImageDownloadError", "Image download timed out.")
                chunk = reply.read(64 * 1024)
                if not chunk:
                    break
                received += len(chunk)
                if received > downloads.max_bytes:
                    raise EmulatorError("FailedOperation.ImageDownloadError", "Image download exceeds the size cap.")
                chunks.append(chunk)
    except EmulatorError:
        raise
    except (OSError, ValueError, urllib.error.URLError) as exc:
        raise EmulatorError("FailedOperation.ImageDownloadError", f"Image download failed: {exc}") from exc
    data = b"".join(chunks)
    if not data:
        raise EmulatorError("FailedOperation.ImageDownloadError", "Downloaded image is empty.")
    return data
