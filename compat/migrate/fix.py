"""``face-compat scan --fix``: rewrite ``qcloud_image`` imports to the import swap, nothing else.

A concrete syntax tree (libcst) keeps every comment, blank line and quote style; only the module name in
the import changes, and a bare ``import qcloud_image`` gains ``as qcloud_image`` so the name the code uses
stays bound. Rewritten imports name ``compat.qcloud_image``, which this codemod never touches, so a
second run changes nothing.

==========================================  ====================================================
``from qcloud_image import X``              ``from compat.qcloud_image import X``
``import qcloud_image``                     ``import compat.qcloud_image as qcloud_image``
``import qcloud_image as q``                ``import compat.qcloud_image as q``
``from qcloud_image.sub import y``          ``from compat.qcloud_image.sub import y`` only when the shim
                                            has ``sub``; otherwise left alone and reported
``import qcloud_image.sub``                 left alone and reported (it binds ``qcloud_image``, which an
                                            alias cannot reproduce)
==========================================  ====================================================
"""
from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple, Union

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider

from .scan import PROGRESS_MIN_FILES, _progress, iter_files, shim_has_module

LEGACY_PACKAGE = "qcloud_image"
SHIM_PACKAGE = "compat.qcloud_image"


@dataclass
class FileFix:
    """What the codemod did to one file: the new text, how many imports changed, what it left alone and why."""

    path: str
    original: str
    fixed: str
    rewritten: int
    left_alone: List[Tuple[int, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the file's text differs after the rewrite."""
        return self.original != self.fixed

    def diff(self) -> str:
        """A unified diff of this file, ``a/`` and ``b/`` prefixed like git's."""
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.fixed.splitlines(keepends=True),
                fromfile="a/" + self.path,
                tofile="b/" + self.path,
            )
        )


@dataclass
class FixReport:
    """The outcome of a ``--fix`` run over a tree."""

    files: List[FileFix] = field(default_factory=list)
    #: Python files libcst could not parse (e.g. Python 2 leftovers), with the parser's message.
    unparsable: List[Tuple[str, str]] = field(default_factory=list)

    @property
    def diff(self) -> str:
        """The unified diff of every changed file."""
        return "".join(f.diff() for f in self.files if f.changed)

    def summary(self, dry_run: bool = False) -> str:
        """One short paragraph for stderr: what changed (or would), what needs a hand."""
        changed = [f for f in self.files if f.changed]
        verb = "would rewrite" if dry_run else "rewrote"
        lines = [
            "%s %d import(s) in %d file(s)" % (verb, sum(f.rewritten for f in changed), len(changed)),
        ]
        for fix in self.files:
            for line, reason in fix.left_alone:
                lines.append("%s:%d: left alone: %s" % (fix.path, line, reason))
        for path, message in self.unparsable:
            lines.append("%s: not fixed, does not parse: %s" % (path, message))
        return "\n".join(lines)


def _shim_module(name: str) -> Union[cst.Attribute, cst.Name]:
    swapped = cst.parse_expression("compat." + name)
    assert isinstance(swapped, (cst.Attribute, cst.Name))
    return swapped


class ImportSwap(cst.CSTTransformer):
    """The libcst transformer behind ``--fix``; ``rewritten`` and ``left_alone`` tell what it did."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.rewritten = 0
        self.left_alone: List[Tuple[int, str]] = []

    def _line(self, node: cst.CSTNode) -> int:
        return self.get_metadata(PositionProvider, node).start.line

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        aliases = []
        for alias in updated_node.names:
            name = get_full_name_for_node(alias.name) or ""
            if name == LEGACY_PACKAGE:
                asname = alias.asname or cst.AsName(name=cst.Name(LEGACY_PACKAGE))
                alias = alias.with_changes(name=_shim_module(name), asname=asname)
                self.rewritten += 1
            elif name.startswith(LEGACY_PACKAGE + "."):
                self.left_alone.append(
                    (
                        self._line(original_node),
                        "`import %s` binds `qcloud_image` itself; import the names from %s instead"
                        % (name, SHIM_PACKAGE),
                    )
                )
            aliases.append(alias)
        return updated_node.with_changes(names=aliases)

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        if updated_node.relative or updated_node.module is None:
            return updated_node
        name = get_full_name_for_node(updated_node.module) or ""
        if name != LEGACY_PACKAGE and not name.startswith(LEGACY_PACKAGE + "."):
            return updated_node
        submodule = name.partition(".")[2]
        if submodule and not shim_has_module(submodule):
            self.left_alone.append(
                (
                    self._line(original_node),
                    "the shim has no `%s.%s`; import the names from %s instead"
                    % (SHIM_PACKAGE, submodule, SHIM_PACKAGE),
                )
            )
            return updated_node
        self.rewritten += 1
        return updated_node.with_changes(module=_shim_module(name))


def fix_source(source: str) -> Tuple[str, int, List[Tuple[int, str]]]:
    """Rewrite the imports in one module's text: (new text, imports rewritten, [(line, why left alone)]).

    Raises ``libcst.ParserSyntaxError`` when the text is not Python 3.
    """
    wrapper = MetadataWrapper(cst.parse_module(source))
    swap = ImportSwap()
    fixed = wrapper.visit(swap)
    return fixed.code, swap.rewritten, swap.left_alone


def fix_file(path: str, write: bool = True, display_path: Optional[str] = None) -> Optional[FileFix]:
    """Rewrite one file in place (unless ``write`` is false); None when it has nothing to swap.

    Raises ``libcst.ParserSyntaxError`` when the file is not Python 3.
    """
    with open(path, "rb") as handle:
        raw = handle.read()
    if LEGACY_PACKAGE.encode() not in raw:
        return None
    # Decode/encode ourselves with newline="" semantics so CRLF files stay CRLF.
    original = raw.decode("utf-8")
    fixed, rewritten, left_alone = fix_source(original)
    if not rewritten and not left_alone:
        return None
    if write and fixed != original:
        temporary = path + ".face-compat-fix"
        with open(temporary, "wb") as handle:
            handle.write(fixed.encode("utf-8"))
        os.replace(temporary, path)
    return FileFix(display_path or path, original, fixed, rewritten, left_alone)


def fix_tree(root: str, write: bool = True, progress: Optional[bool] = None) -> FixReport:
    """Apply :func:`fix_file` to every Python file :func:`compat.migrate.scan.scan` would read."""
    report = FixReport()
    paths: Sequence[str] = [p for p in iter_files(root) if p.endswith(".py")]
    show = progress if progress is not None else len(paths) > PROGRESS_MIN_FILES and sys.stderr.isatty()
    for path in _progress(paths, show):
        try:
            fix = fix_file(path, write=write)
        except (cst.ParserSyntaxError, UnicodeDecodeError) as exc:
            report.unparsable.append((path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
            continue
        if fix is not None:
            report.files.append(fix)
    return report
