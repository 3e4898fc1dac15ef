"""``face-compat compare A B``: one legacy comparison from the shell, printed as the v1 JSON."""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from typing import Any, Dict

HELP = "compare two images (URL or file path) and print the v1 JSON; exit 0 only when code == 0"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``face-compat compare``."""
    parser.add_argument("a", metavar="A", help="image A: http(s) URL or file path")
    parser.add_argument("b", metavar="B", help="image B: http(s) URL or file path")
    parser.add_argument(
        "--local",
        action="store_true",
        help="answer with an in-process 2.0 emulator (real face model, no credentials; needs face-compat[emulator])",
    )
    parser.add_argument("--model-version", dest="FaceModelVersion", choices=["2.0", "3.0"], default=None)
    parser.add_argument("--quality-control", dest="QualityControl", type=int, choices=range(5), default=None)
    parser.add_argument(
        "--score-scale", choices=["legacy", "native"], default=None,
        help="legacy (default): 3.0 scores remapped onto the v1/2.0 scale; native: the raw 2.0 Score",
    )
    parser.add_argument("--region", default=None, help="2.0 region (default TENCENTCLOUD_REGION or ap-guangzhou)")
    parser.add_argument("--endpoint", default=None, help="2.0 base URL (default FACE_COMPAT_ENDPOINT or the cloud)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per 2.0 request")


def _side(value: str) -> Dict[str, Any]:
    return {"url": value} if value.lower().startswith(("http://", "https://")) else {"image": value}


def run(args: argparse.Namespace) -> int:
    """Run one comparison and print the v1 dict as JSON."""
    from .client import Client

    options = {k: getattr(args, k) for k in ("FaceModelVersion", "QualityControl", "score_scale")}
    options = {k: v for k, v in options.items() if v is not None}
    client_args: Dict[str, Any] = {"region": args.region, "endpoint": args.endpoint, "timeout": args.timeout}
    with ExitStack() as stack:
        if args.local:
            try:
                from .emulator import Emulator
                emulator = stack.enter_context(Emulator(engine="sface"))
            except ImportError as exc:
                print("face-compat compare --local needs the emulator extra: pip install 'face-compat[emulator]' (%s)"
                      % exc, file=sys.stderr)
                return 2
            client_args.update(
                secret_id=emulator.secret_id, secret_key=emulator.secret_key, endpoint=emulator.endpoint
            )
        client = Client(**client_args)
        a, b = _side(args.a), _side(args.b)
        result = client.compare(a.get("url"), b.get("url"), imageA=a.get("image"), imageB=b.get("image"), **options)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["code"] == 0 else 1
