"""``shim_vs_raw_sdk``: ``compat.compare`` against the same comparison hand-written with the official SDK.

The hand-written call is what a careful user would write: one ``IaiClient`` reused (keep-alive on), a
``models.CompareFaceRequest`` filled with the base64 of the same two images and the same model version.
"""
from __future__ import annotations

import base64
from typing import Callable

from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.iai.v20200303 import iai_client, models

import compat

from .common import REGION


def shim_call(image_a: bytes, image_b: bytes) -> Callable[[], object]:
    """One module-level ``compat.compare`` (the environment must point at the emulator)."""

    def call() -> object:
        result = compat.compare(imageA=image_a, imageB=image_b)
        if result["code"] != 0:
            raise RuntimeError("shim call failed: %r" % result)
        return result

    return call


def sdk_client(endpoint: str, secret_id: str, secret_key: str, certification: object = None) -> iai_client.IaiClient:
    """A plain ``IaiClient`` for ``endpoint`` (``http://host:port`` or ``https://...``)."""
    scheme, _, netloc = endpoint.partition("://")
    http = HttpProfile(protocol=scheme, endpoint=netloc, keepAlive=True)
    if certification is not None:
        http.certification = certification
    return iai_client.IaiClient(Credential(secret_id, secret_key), REGION, ClientProfile(httpProfile=http))


def compare_with(client: iai_client.IaiClient, image_a: bytes, image_b: bytes) -> float:
    """The hand-written comparison: base64 both images, fill the request model, call, read the score."""
    request = models.CompareFaceRequest()
    request.ImageA = base64.b64encode(image_a).decode("ascii")
    request.ImageB = base64.b64encode(image_b).decode("ascii")
    request.FaceModelVersion = "3.0"
    return float(client.CompareFace(request).Score)


def raw_sdk_call(
    endpoint: str, secret_id: str, secret_key: str, image_a: bytes, image_b: bytes
) -> Callable[[], object]:
    """The hand-written comparison on one reused client."""
    client = sdk_client(endpoint, secret_id, secret_key)
    return lambda: compare_with(client, image_a, image_b)
