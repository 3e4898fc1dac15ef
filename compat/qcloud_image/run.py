"""Run a program with ``import qcloud_image`` resolving to :mod:`compat.qcloud_image`.

Usage::

    python -m compat.qcloud_image.run path/to/script.py [args...]
    python -m compat.qcloud_image.run -m package.module [args...]

The program sees the same ``sys.argv`` (its own name first) and runs as ``__main__``, as if started
directly; nothing outside this process changes.
"""
from __future__ import annotations

import os
import runpy
import sys
from typing import List, Optional

from . import install

USAGE = "usage: python -m compat.qcloud_image.run (SCRIPT | -m MODULE) [ARGS...]"


def main(argv: Optional[List[str]] = None) -> int:
    """Install the swap, then run the script or module named by ``argv`` as ``__main__``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or (args[0] == "-m" and len(args) < 2):
        print(USAGE, file=sys.stderr)
        return 2
    install()
    if args[0] == "-m":
        sys.argv = args[1:]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = args
        # as 'python script.py' would: the script's folder, not the current one, leads the search path
        sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
        runpy.run_path(args[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
