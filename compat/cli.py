"""``face-compat``: one console script, one module per subcommand.

Each subcommand module exposes ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; this file
only routes. Subcommands whose optional extra is not installed still parse, and say which extra to install.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Callable, List, Optional

#: subcommand -> module implementing it
SUBCOMMANDS = {
    "compare": "compat.compare_cli",
    "emulate": "compat.emulator.cli",
    "serve": "compat.server.cli",
    "scan": "compat.migrate.scan_cli",
    "report": "compat.migrate.report_cli",
    "calibrate": "compat.migrate.calibrate_cli",
}


def build_parser() -> argparse.ArgumentParser:
    """The ``face-compat`` argument parser with every subcommand whose module is present."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="face-compat", description="Legacy Face Recognition v1 compare, answered by IAI 2.0 CompareFace."
    )
    parser.add_argument("--version", action="version", version="face-compat " + __version__)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in SUBCOMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if module_name.startswith(exc.name or "\0"):
                continue  # not part of this build
            missing = exc.name or str(exc)
            sub = subparsers.add_parser(name, help="(unavailable: %s is not installed)" % missing, add_help=False)
            sub.add_argument("ignored", nargs=argparse.REMAINDER)
            sub.set_defaults(run=_needs_extra(name, missing))
            continue
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _needs_extra(command: str, missing: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        extra = {"emulate": "emulator", "serve": "server"}.get(command, "migrate")
        print("face-compat %s needs %s: pip install 'face-compat[%s]'" % (command, missing, extra), file=sys.stderr)
        return 2

    return run


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the ``face-compat`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is None:
        parser.print_help()
        return 2
    return int(args.run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
