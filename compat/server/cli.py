"""``face-compat serve``: the v1 wire-compatible sidecar on uvicorn.

The appid's API keys come from ``TENCENTCLOUD_SECRET_ID``/``TENCENTCLOUD_SECRET_KEY``; they verify the
v1 signatures of that appid and sign the 2.0 calls. ``--keys FILE`` serves more appids: a JSON list of
``{"appid": ..., "secret_id": ..., "secret_key": ...}``. ``FACE_COMPAT_ENDPOINT`` points the 2.0 calls
at a local emulator. SIGTERM/SIGINT stop accepting connections and let requests in flight finish.
"""
from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import sys
from typing import Any, Dict, List

from .app import DEFAULT_MAX_BODY_BYTES, DEFAULT_SINGLE_USE_WINDOW, SidecarConfig, create_app
from .signature import AppKey

HELP = "serve the v1 /face/compare wire protocol (for unchanged legacy clients), answered through 2.0"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``face-compat serve``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    parser.add_argument("--appid", help="the v1 appid served with the TENCENTCLOUD_SECRET_ID/_KEY keys")
    parser.add_argument("--bucket", help="the only bucket accepted (default: any); others answer v1 16")
    parser.add_argument(
        "--keys", metavar="FILE", help='more appids: JSON list of {"appid", "secret_id", "secret_key"} objects'
    )
    parser.add_argument(
        "--redis", metavar="URL", help="keep used single-use signatures in Redis (shared by replicas); default memory"
    )
    parser.add_argument(
        "--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES,
        help="larger request bodies answer v1 23 (default %d)" % DEFAULT_MAX_BODY_BYTES,
    )
    parser.add_argument(
        "--single-use-window", type=int, default=DEFAULT_SINGLE_USE_WINDOW, metavar="SECONDS",
        help="how long a single-use (e=0) signature stays valid (default %d)" % DEFAULT_SINGLE_USE_WINDOW,
    )
    parser.add_argument(
        "--graceful-timeout", type=float, default=30.0, metavar="SECONDS",
        help="on shutdown, wait this long for requests in flight (default 30)",
    )
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])


def load_keys(args: argparse.Namespace) -> List[AppKey]:
    """The appids to serve: ``--appid`` with the environment's keys, plus every entry of ``--keys``."""
    keys: List[AppKey] = []
    if args.appid:
        secret_id = os.environ.get("TENCENTCLOUD_SECRET_ID", "")
        secret_key = os.environ.get("TENCENTCLOUD_SECRET_KEY", "")
        if not (secret_id and secret_key):
            raise ValueError("--appid needs TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY in the environment")
        keys.append(AppKey(str(args.appid), secret_id, secret_key))
    if args.keys:
        with open(args.keys, encoding="utf-8") as handle:
            entries = json.load(handle)
        if not isinstance(entries, list):
            raise ValueError("%s: expected a JSON list of key objects" % args.keys)
        for entry in entries:
            try:
                keys.append(AppKey(str(entry["appid"]), str(entry["secret_id"]), str(entry["secret_key"])))
            except (KeyError, TypeError) as exc:
                raise ValueError("%s: each entry needs appid, secret_id and secret_key" % args.keys) from exc
    if not keys:
        raise ValueError("nothing to serve: give --appid (keys from the environment) or --keys FILE")
    return keys


def run(args: argparse.Namespace) -> int:
    """Start the sidecar and serve until SIGINT/SIGTERM; 2 on a configuration error."""
    import uvicorn

    try:
        keys = load_keys(args)
    except (OSError, ValueError) as exc:
        print("face-compat serve: %s" % exc, file=sys.stderr)
        return 2
    level = getattr(logging, args.log_level.upper())
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("compat").setLevel(level)
    # The SDK's DEBUG records print whole 2.0 requests (base64 images, URLs): never let them through.
    logging.getLogger("tencentcloud_sdk_common").setLevel(max(level, logging.INFO))
    config = SidecarConfig(
        keys=keys, bucket=args.bucket, max_body_bytes=args.max_body_bytes, redis_url=args.redis,
        single_use_window=args.single_use_window,
    )
    options: Dict[str, Any] = {"host": args.host, "port": args.port, "log_level": args.log_level,
                               "access_log": False}  # the app logs each request itself, without its body
    if "timeout_graceful_shutdown" in inspect.signature(uvicorn.Config.__init__).parameters:
        options["timeout_graceful_shutdown"] = args.graceful_timeout
    uvicorn.run(create_app(config), **options)
    return 0
