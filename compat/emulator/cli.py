"""``face-compat emulate``: the local IAI 2.0 endpoint in the foreground until Ctrl-C or SIGTERM.

``compat/cli.py`` imports this module and calls ``add_arguments`` and ``run``; ``python -m compat.emulator.cli``
works too.
"""

import argparse
import signal
import ssl
import sys
import threading
from typing import Any, List, Optional

HELP = "Run a local Face Recognition 2.0 (IAI) CompareFace endpoint that the official SDK accepts."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``emulate`` options."""
    from .server import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=9000, help="port to bind, 0 for any free port (default: 9000)")
    parser.add_argument("--secret-id", default=DEFAULT_SECRET_ID, help="SecretId to accept (default: the local pair)")
    parser.add_argument("--secret-key", default=DEFAULT_SECRET_KEY, help="SecretKey to accept")
    parser.add_argument(
        "--engine",
        choices=("sface", "constant"),
        default="sface",
        help="sface: real comparison (needs face-compat[emulator]); constant: fixed score, protocol tests only",
    )
    parser.add_argument("--certfile", help="PEM certificate: serve https instead of http")
    parser.add_argument("--keyfile", help="PEM private key for --certfile (if not inside it)")


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; print the environment to point the shim and the SDK at this endpoint."""
    from .engines import INSTALL_HINT
    from .server import Emulator

    ssl_context: Optional[ssl.SSLContext] = None
    if args.certfile:
        ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ssl_context.load_cert_chain(args.certfile, args.keyfile)
    elif args.keyfile:
        print("face-compat emulate: --keyfile needs --certfile", file=sys.stderr)
        return 2
    try:
        emulator = Emulator(
            engine=args.engine,
            host=args.host,
            port=args.port,
            secret_id=args.secret_id,
            secret_key=args.secret_key,
            ssl_context=ssl_context,
        )
    except ImportError as exc:
        print(f"face-compat emulate: the {args.engine} engine is not available ({exc}).", file=sys.stderr)
        print(f"Install it with: {INSTALL_HINT}  (or use --engine constant for protocol tests)", file=sys.stderr)
        return 1
    try:
        emulator.start()
    except OSError as exc:
        print(f"face-compat emulate: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    stopping = threading.Event()

    def request_stop(signum: int, frame: Any) -> None:
        stopping.set()

    previous_handlers = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"IAI 2.0 emulator ({emulator.engine.name} engine) listening on {emulator.endpoint}", flush=True)
        print(f"export FACE_COMPAT_ENDPOINT={emulator.endpoint}")
        print(f"export TENCENTCLOUD_SECRET_ID={emulator.secret_id}")
        print(f"export TENCENTCLOUD_SECRET_KEY={emulator.secret_key}")
        print("Press Ctrl-C to stop.", flush=True)
        while not stopping.wait(0.2):
            pass
    finally:
        emulator.stop()
        for sig, handler in previous_handlers.items():
            signal.signal(sig, handler)
    print("emulator stopped", flush=True)
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """Stand-alone entry point: ``python -m compat.emulator.cli``."""
    parser = argparse.ArgumentParser(prog="face-compat emulate", description=HELP)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
