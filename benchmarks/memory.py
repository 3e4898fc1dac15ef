"""``peak_memory_ratio_5mb``: peak extra memory of one ``compare`` with a ~5 MB (after base64) image / image size.

Measured with ``tracemalloc`` in a child process that holds nothing else (the emulator runs in the parent, so
its own copy of the request never counts). The image is a real JPEG just under 2.0's 5 MB base64 limit,
passed by path (the shim reads it: the raw bytes count) and as bytes already in memory (they do not).
"""
from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict

from compat.emulator import Emulator
from compat.images import MAX_BASE64_BYTES

from .common import EXAMPLES, REPO

_CHILD = r"""
import json, sys, tracemalloc
from pathlib import Path
from compat import Client
endpoint, secret_id, secret_key, image_path, small_path = sys.argv[1:6]
client = Client(secret_id, secret_key, endpoint=endpoint, retries=0)
small = Path(small_path).read_bytes()
assert client.compare(imageA=small, imageB=small)["code"] == 0  # imports, connection, thread-local client
figures = {}
for kind in ("path", "bytes"):
    image = image_path if kind == "path" else Path(image_path).read_bytes()
    tracemalloc.start()
    result = client.compare(imageA=image, imageB=small)
    figures[kind] = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result["code"] == 0, result
    del image
print(json.dumps(figures))
"""


def big_jpeg(target_base64_bytes: int = MAX_BASE64_BYTES - 64 * 1024) -> bytes:
    """A real JPEG whose base64 is just under ``target_base64_bytes`` (noise barely compresses: size steers)."""
    from PIL import Image

    generator = random.Random(7)
    side = 1200
    while True:
        noise = Image.frombytes("RGB", (side, side), generator.randbytes(side * side * 3))
        buffer = io.BytesIO()
        noise.save(buffer, format="JPEG", quality=90)
        data = buffer.getvalue()
        encoded = (len(data) + 2) // 3 * 4
        if encoded > target_base64_bytes:
            side = int(side * (target_base64_bytes / encoded) ** 0.5) - 8
            continue
        if encoded > target_base64_bytes * 0.97:
            return data
        side = int(side * (target_base64_bytes / encoded) ** 0.5)


def measure(quick: bool) -> Dict[str, float]:
    """Peak traced bytes during one call / the image's size, by path and by bytes."""
    image = big_jpeg()
    with tempfile.TemporaryDirectory() as folder, Emulator(engine="constant") as emulator:
        image_path = Path(folder) / "big.jpg"
        image_path.write_bytes(image)
        output = subprocess.run(
            [sys.executable, "-c", _CHILD, emulator.endpoint, emulator.secret_id, emulator.secret_key,
             str(image_path), str(EXAMPLES / "obama2.jpg")],
            capture_output=True, text=True, cwd=str(REPO), timeout=120, check=True,
        ).stdout
    peaks = json.loads(output.strip().splitlines()[-1])
    base64_size = (len(image) + 2) // 3 * 4
    return {
        "peak_memory_ratio_5mb": peaks["path"] / base64_size,
        "peak_memory_ratio_5mb_bytes_input": peaks["bytes"] / base64_size,
        "peak_memory_ratio_5mb_vs_raw": peaks["path"] / len(image),
        "image_raw_bytes": float(len(image)),
        "image_base64_bytes": float(base64_size),
        "peak_path_bytes": float(peaks["path"]),
        "peak_bytes_input_bytes": float(peaks["bytes"]),
    }
