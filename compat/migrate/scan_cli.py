"""``face-compat scan PATH [--json] [--fix [--dry-run]] [--fail-on-findings]``."""
from __future__ import annotations

import argparse
import json
import sys

HELP = "find every Face Recognition v1 use in a source tree (and swap the imports with --fix)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``face-compat scan``."""
    parser.add_argument("path", nargs="?", default=".", help="file or directory to scan (default: .)")
    parser.add_argument("--json", action="store_true", help="print a JSON list of findings instead of lines")
    parser.add_argument(
        "--fix",
        action="store_true",
        help="rewrite qcloud_image imports to the import swap (compat.qcloud_image) and print the diff",
    )
    parser.add_argument("--dry-run", action="store_true", help="with --fix: print the diff, write nothing")
    parser.add_argument(
        "--fail-on-findings", action="store_true", help="exit 1 when anything is found (for CI); default exit 0"
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="never show the progress bar (it only shows on a terminal)"
    )


def run(args: argparse.Namespace) -> int:
    """Scan (and optionally fix), print the findings; exit 0, or 1 with ``--fail-on-findings`` and findings."""
    from .scan import scan

    progress = False if args.no_progress else None
    if args.fix or args.dry_run:
        try:
            from .fix import fix_tree
        except ImportError as exc:
            print(
                "face-compat scan --fix needs libcst: pip install 'face-compat[migrate]' (%s)" % exc, file=sys.stderr
            )
            return 2
        # With --json, stdout carries the JSON only, so the diff goes to stderr.
        diff_stream = sys.stderr if args.json else sys.stdout
        report = fix_tree(args.path, write=not args.dry_run, progress=progress)
        diff_stream.write(report.diff)
        print(report.summary(dry_run=args.dry_run), file=sys.stderr)
    findings = scan(args.path, progress=progress)
    if args.json:
        json.dump([f.as_dict() for f in findings], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for finding in findings:
            print(finding.format())
        files = len({f.path for f in findings})
        print("%d finding(s) in %d file(s)" % (len(findings), files), file=sys.stderr)
    return 1 if findings and args.fail_on_findings else 0
