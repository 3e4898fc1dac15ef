"""``face-compat report [--usage-file F] [--json]``: legacy calls per call site, most used first."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict, List

from .usage import ENV_ENABLE, ENV_USAGE_FILE, load, site_key

HELP = "show how many legacy v1 calls each call site still makes (from the usage file)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``face-compat report``."""
    parser.add_argument(
        "--usage-file",
        default=None,
        help="usage file written by the deprecation path (default: $%s)" % ENV_USAGE_FILE,
    )
    parser.add_argument("--json", action="store_true", help="print JSON: {total, sites: [...]}")


def rows(sites: Dict[str, Dict[str, Any]]) -> List[Dict[str, Any]]:
    """One row per call site, most calls first, then by file and line."""
    result = []
    for site, row in sites.items():
        path, line = site_key(site)
        result.append(
            {"site": site, "path": path, "line": line, "count": int(row.get("count", 0)),
             "code": row.get("code", ""), "last_seen": row.get("last_seen", "")}
        )  # fmt: skip
    result.sort(key=lambda r: (-r["count"], r["path"], r["line"]))
    return result


def _display(path: str, line: int) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        relative = path
    shown = path if relative.startswith("..") else relative
    return "%s:%d" % (shown, line) if line else shown


def run(args: argparse.Namespace) -> int:
    """Print the per-site counts and the total; exit 1 when there is no usage file to read."""
    path = args.usage_file or os.environ.get(ENV_USAGE_FILE)
    if not path:
        print(
            "face-compat report: no usage file; record one with %s=1 %s=usage.json, or pass --usage-file"
            % (ENV_ENABLE, ENV_USAGE_FILE),
            file=sys.stderr,
        )
        return 2
    if not os.path.exists(path):
        print("face-compat report: %s does not exist (no legacy call recorded there yet)" % path, file=sys.stderr)
        return 1
    try:
        table = rows(load(path))
    except ValueError as exc:
        print("face-compat report: %s" % exc, file=sys.stderr)
        return 1
    total = sum(r["count"] for r in table)
    if args.json:
        json.dump({"total": total, "sites": table}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    width = max([len(str(total)), 5])
    print("%*s  %s" % (width, "calls", "call site"))
    for row in table:
        code = "  " + row["code"] if row["code"] else ""
        print("%*d  %s%s" % (width, row["count"], _display(row["path"], row["line"]), code))
    print("%*d  total, %d call site(s) left" % (width, total, len(table)))
    return 0
