"""``shim_vs_http_floor``: the least any client can spend, one keep-alive ``http.client`` POST of the same body.

The body is the JSON the shim sends for the same pair; it is signed once (TC3, valid for the emulator's
five-minute window), so the floor pays for no encoding and no signing: only the wire and the emulator.
"""
from __future__ import annotations

import base64
import http.client
import json
import time
from typing import Callable, Dict
from urllib.parse import urlsplit

from compat.emulator.signature import build_authorization, compute_signature, utc_date


def presigned_request(endpoint: str, secret_id: str, secret_key: str, body: bytes) -> Dict[str, str]:
    """TC3 headers for one CompareFace POST of ``body`` to ``endpoint``, signed now."""
    host = urlsplit(endpoint).netloc
    timestamp = int(time.time())
    date = utc_date(timestamp)
    headers = {
        "Content-Type": "application/json",
        "Host": host,
        "X-TC-Action": "CompareFace",
        "X-TC-Version": "2020-03-03",
        "X-TC-Region": "ap-guangzhou",
        "X-TC-Timestamp": str(timestamp),
    }
    signature = compute_signature(
        secret_key=secret_key, method="POST", uri="/", query="", headers={k.lower(): v for k, v in headers.items()},
        signed_headers="content-type;host", payload=body, timestamp=str(timestamp), date=date, service="iai",
    )
    headers["Authorization"] = build_authorization(secret_id, date, "iai", "content-type;host", signature)
    return headers


def http_floor_call(endpoint: str, secret_id: str, secret_key: str, image_a: bytes, image_b: bytes
                    ) -> Callable[[], object]:
    """One pre-signed keep-alive POST per call on a single ``http.client`` connection."""
    body = json.dumps({
        "ImageA": base64.b64encode(image_a).decode("ascii"),
        "ImageB": base64.b64encode(image_b).decode("ascii"),
        "FaceModelVersion": "3.0",
    }).encode("ascii")
    headers = presigned_request(endpoint, secret_id, secret_key, body)
    parts = urlsplit(endpoint)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def call() -> object:
        connection.request("POST", "/", body=body, headers=headers)
        reply = connection.getresponse().read()
        if b'"Score"' not in reply:
            raise RuntimeError("floor call failed: %r" % reply[:200])
        return reply

    return call
