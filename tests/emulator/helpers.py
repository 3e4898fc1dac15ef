"""Test helpers: an official-SDK client for an emulator, hand-built images, and an independent TC3 signer."""

import base64
import hashlib
import hmac
import json
import struct
import time
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Optional

import requests
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.iai.v20200303 import iai_client, models

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "compat" / "examples"
FACES = ROOT / "tests" / "faces"


def sdk_client(
    emulator: Any,
    *,
    secret_id: Optional[str] = None,
    secret_key: Optional[str] = None,
    region: str = "ap-guangzhou",
    keep_alive: bool = False,
    timeout: int = 10,
) -> iai_client.IaiClient:
    """An official IaiClient pointed at the emulator over plain http."""
    http_profile = HttpProfile(
        protocol="http", endpoint=emulator.endpoint.split("://", 1)[1], reqTimeout=timeout, keepAlive=keep_alive
    )
    cred = credential.Credential(secret_id or emulator.secret_id, secret_key or emulator.secret_key)
    return iai_client.IaiClient(cred, region, ClientProfile(httpProfile=http_profile))


def compare_request(image_a: Optional[bytes] = None, image_b: Optional[bytes] = None, **fields: Any) -> Any:
    """A CompareFaceRequest with base64-encoded images and any extra fields."""
    request = models.CompareFaceRequest()
    if image_a is not None:
        request.ImageA = base64.b64encode(image_a).decode()
    if image_b is not None:
        request.ImageB = base64.b64encode(image_b).decode()
    for name, value in fields.items():
        setattr(request, name, value)
    return request


def read_photo(name: str) -> bytes:
    """A test photo from compat/examples or tests/faces."""
    for folder in (EXAMPLES, FACES):
        if (folder / name).exists():
            return (folder / name).read_bytes()
    raise FileNotFoundError(name)


def png_bytes(width: int, height: int, *, pixels: bool = True) -> bytes:
    """A gray PNG; with ``pixels=False`` only a tiny IDAT follows the header (a decompression-bomb shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = (b"\x00" + b"\x80" * width) * height if pixels else b"\x00"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def bmp_bytes(width: int, height: int) -> bytes:
    """A gray 24-bit BMP."""
    row = b"\x80" * (3 * width)
    row += b"\x00" * ((4 - len(row) % 4) % 4)
    pixels = row * height
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


def jpeg_header_bytes(width: int, height: int) -> bytes:
    """SOI + a baseline frame header with the given size and nothing decodable after it."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + sof + b"\xff\xd9"


GIF_BYTES = b"GIF89a\x80\x00\x80\x00\x00\x00\x00;" + b"\x00" * 64


def tc3_headers(
    *,
    secret_id: str,
    secret_key: str,
    host: str,
    body: bytes,
    action: str = "CompareFace",
    version: str = "2020-03-03",
    region: Optional[str] = "ap-guangzhou",
    timestamp: Optional[int] = None,
) -> Dict[str, str]:
    """Headers for a hand-made JSON POST, signed with TC3-HMAC-SHA256 as Tencent documents it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    date = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")
    content_type = "application/json"
    canonical = "POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s" % (
        content_type, host, hashlib.sha256(body).hexdigest())
    scope = "%s/iai/tc3_request" % date
    to_sign = "TC3-HMAC-SHA256\n%d\n%s\n%s" % (timestamp, scope, hashlib.sha256(canonical.encode()).hexdigest())
    key = ("TC3" + secret_key).encode()
    for part in (date, "iai", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": content_type,
        "Host": host,
        "X-TC-Action": action,
        "X-TC-Version": version,
        "X-TC-Timestamp": str(timestamp),
        "Authorization": "TC3-HMAC-SHA256 Credential=%s/%s, SignedHeaders=content-type;host, Signature=%s"
        % (secret_id, scope, signature),
    }
    if region is not None:
        headers["X-TC-Region"] = region
    return headers


def raw_call(emulator: Any, params: Dict[str, Any], **header_options: Any) -> Dict[str, Any]:
    """POST a hand-signed request and return the parsed ``Response`` object."""
    body = json.dumps(params).encode()
    host = emulator.endpoint.split("://", 1)[1]
    options = {"secret_id": emulator.secret_id, "secret_key": emulator.secret_key}
    options.update(header_options)
    headers = tc3_headers(host=host, body=body, **options)
    reply = requests.post(emulator.endpoint + "/", data=body, headers=headers, timeout=10)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/json"
    return reply.json()["Response"]
