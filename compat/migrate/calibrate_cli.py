"""``face-compat calibrate PAIRS.csv [--plot out.png] [--model-version 3.0] [--local]``."""
from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from typing import Any, Dict

HELP = "false-accept / false-reject rates of the legacy thresholds on your own labelled pairs, plus a plot"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``face-compat calibrate``."""
    parser.add_argument("pairs", metavar="PAIRS.csv", help="columns: image or URL A, image or URL B, same-person label")
    parser.add_argument("--plot", metavar="OUT.png", default=None, help="write the score distributions as a PNG")
    parser.add_argument(
        "--model-version", choices=["2.0", "3.0"], default="3.0",
        help="FaceModelVersion to request (default 3.0, scores remapped onto the legacy scale)",
    )  # fmt: skip
    parser.add_argument(
        "--local", action="store_true",
        help="answer with an in-process 2.0 emulator (real face model, no credentials; needs face-compat[emulator])",
    )  # fmt: skip
    parser.add_argument("--workers", type=int, default=4, help="pairs compared at once (default 4)")


def run(args: argparse.Namespace) -> int:
    """Score the pairs, print the rates; exit 0, or 1 when a row failed or nothing could be scored."""
    from compat import Client

    from .calibrate import format_report, plot, read_pairs, score_pairs

    try:
        pairs = read_pairs(args.pairs)
    except OSError as exc:
        print("face-compat calibrate: cannot read %s: %s" % (args.pairs, exc), file=sys.stderr)
        return 2
    client_args: Dict[str, Any] = {"FaceModelVersion": args.model_version}
    with ExitStack() as stack:
        if args.local:
            try:
                from compat.emulator import Emulator

                emulator = stack.enter_context(Emulator(engine="sface"))
            except ImportError as exc:
                print(
                    "face-compat calibrate --local needs the emulator extra: pip install 'face-compat[emulator]' (%s)"
                    % exc,
                    file=sys.stderr,
                )
                return 2
            client_args.update(
                secret_id=emulator.secret_id, secret_key=emulator.secret_key, endpoint=emulator.endpoint
            )
        client = Client(**client_args)
        outcomes = score_pairs(pairs, client.compare, workers=args.workers)
    print(format_report(outcomes, args.model_version))
    if args.plot:
        try:
            plot(outcomes, args.plot)
        except ImportError as exc:
            print("face-compat calibrate --plot needs matplotlib: pip install 'face-compat[migrate]' (%s)" % exc,
                  file=sys.stderr)
            return 2
        print("plot written to %s" % args.plot, file=sys.stderr)
    scored = [o for o in outcomes if o.ok]
    return 0 if scored and len(scored) == len(outcomes) else 1
