"""Find every use of Face Recognition v1 in a source tree.

Python files are read with the stdlib ``ast`` (so a string in a comment is not a call site); files that
are not Python, or Python that does not parse (legacy trees often still hold Python 2 files), get a
line-based text pass that looks for the same markers with regular expressions.

What counts as a v1 use, by ``kind``:

========================  =====================================================================
``import``                ``import qcloud_image`` / ``from qcloud_image import ...``
``face_compare``          a ``.face_compare(...)`` call
``http-call``             a call (``requests.post``, ``urlopen``, ...) whose URL is the v1 endpoint
``endpoint``              any other string naming the v1 host or ``/face/compare``
``similarity-read``       ``x["similarity"]`` / ``x.get("similarity")``
``fail_flag-read``        ``x["fail_flag"]`` / ``x.get("fail_flag")``
``v1-code``               a comparison with (or a dict keyed by) a numeric v1 error code
``threshold``             a comparison of a similarity with a number
``dependency``            ``qcloud-image`` in requirements / setup / pyproject files
========================  =====================================================================

``code == 0`` is not reported: the success check means the same through the shim, and the call it
guards is reported anyway.
"""
from __future__ import annotations

import ast
import importlib.util
import os
import re
import sys
from dataclasses import asdict, dataclass
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from compat import scores

KIND_IMPORT = "import"
KIND_FACE_COMPARE = "face_compare"
KIND_HTTP_CALL = "http-call"
KIND_ENDPOINT = "endpoint"
KIND_SIMILARITY = "similarity-read"
KIND_FAIL_FLAG = "fail_flag-read"
KIND_V1_CODE = "v1-code"
KIND_THRESHOLD = "threshold"
KIND_DEPENDENCY = "dependency"

#: Directory names never descended into: virtualenvs, vendored code, VCS and build output.
SKIP_DIRS = frozenset(
    {
        ".venv", "venv", "env", "site-packages", "vendor", "third_party", "node_modules", ".git", ".hg",
        ".svn", "build", "dist", ".tox", ".nox", "__pycache__", ".mypy_cache", ".pytest_cache",
        ".ruff_cache", ".eggs",
    }
)  # fmt: skip
#: Suffixes of files the text pass does not read (images, archives, compiled code).
BINARY_SUFFIXES = frozenset(
    {
        ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".ico", ".pdf", ".zip", ".gz", ".bz2", ".xz",
        ".tar", ".whl", ".egg", ".pyc", ".pyo", ".so", ".dll", ".dylib", ".exe", ".bin", ".o", ".a",
        ".class", ".jar", ".mp4", ".mov", ".woff", ".woff2", ".ttf", ".sqlite", ".db", ".npy", ".onnx",
    }
)  # fmt: skip
#: Bigger files are data, not code; reading them would only slow the scan down.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: A progress bar only pays off on trees at least this big.
PROGRESS_MIN_FILES = 200

V1_HOSTS = ("recognition.image.myqcloud.com", "service.image.myqcloud.com")
V1_PATH = "/face/compare"
_ENDPOINT_RE = re.compile("|".join(re.escape(marker) for marker in V1_HOSTS + (V1_PATH,)))
_IMPORT_LINE_RE = re.compile(r"^\s*(?:from\s+qcloud_image(?:\.[\w.]+)?\s+import\b|import\s+.*\bqcloud_image\b)")
_FACE_COMPARE_RE = re.compile(r"\bface_compare\s*\(")
_DEPENDENCY_RE = re.compile(r"(?<![\w.-])qcloud[-_]image(?![\w-])", re.IGNORECASE)
_DEPENDENCY_STRING_RE = re.compile(r"^\s*qcloud(?:-image|_image\s*(?:[=<>!~;\[]|$))", re.IGNORECASE)
_DEPENDENCY_FILE_RE = re.compile(
    r"^(requirements.*\.(txt|in)|constraints.*\.txt|pyproject\.toml|setup\.cfg|setup\.py|Pipfile(\.lock)?"
    r"|poetry\.lock|environment\.ya?ml|tox\.ini)$"
)


@dataclass(frozen=True)
class Finding:
    """One v1 use: where it is, what it is, the line as written and the concrete change to make."""

    path: str
    line: int
    kind: str
    snippet: str
    suggestion: str
    #: True when ``face-compat scan --fix`` rewrites this finding by itself.
    fixable: bool = False

    def format(self) -> str:
        """The ``path:line: kind: suggestion`` line printed by ``face-compat scan``."""
        return "{}:{}: {}: {}".format(self.path, self.line, self.kind, self.suggestion)

    def as_dict(self) -> Dict[str, Any]:
        """The JSON object printed by ``face-compat scan --json``."""
        return asdict(self)


# --- suggestions -------------------------------------------------------------------------------------


def shim_has_module(dotted: str) -> bool:
    """True when ``compat.qcloud_image.<dotted>`` exists, i.e. a ``qcloud_image.<dotted>`` import can be swapped."""
    try:
        return importlib.util.find_spec("compat.qcloud_image." + dotted) is not None
    except (ImportError, ValueError):
        return False


def _v1_tables() -> Tuple[Dict[int, Dict[str, str]], Dict[str, Any]]:
    from compat.errors import ERROR_MAP, V1_CODES  # the tables are the lead's data; loaded once there

    return V1_CODES, ERROR_MAP


def v1_code_sources(code: int) -> List[str]:
    """The 2.0 codes (exact rows, then ``Prefix*`` rows) that the shim translates to v1 ``code``."""
    _, error_map = _v1_tables()
    exact = [tc for tc, row in error_map["exact"].items() if row["v1"] == code]
    prefixes = [row["prefix"] + "*" for row in error_map["prefix"] if row["v1"] == code]
    return exact + prefixes


def native_threshold(legacy_threshold: float, model_version: str = "3.0") -> float:
    """The native ``model_version`` score that :func:`compat.scores.to_legacy_scale` maps onto ``legacy_threshold``.

    Found by bisection over the shim's own remap, so this can never disagree with it.
    """
    low, high = 0.0, 100.0
    target = min(max(legacy_threshold, 0.0), 100.0)
    for _ in range(60):
        middle = (low + high) / 2
        if scores.to_legacy_scale(middle, model_version) < target:
            low = middle
        else:
            high = middle
    return round(high, 1)


def _far_label(legacy_threshold: float) -> str:
    for label, value in scores.THRESHOLDS[scores.LEGACY_MODEL_VERSION].items():
        if label.startswith("FAR") and value == legacy_threshold:
            return label
    return "its false-accept rate"


def _fmt_number(value: float) -> str:
    return ("%.2f" % value).rstrip("0").rstrip(".")


def threshold_suggestion(operator: str, legacy_threshold: float) -> str:
    """What a legacy ``similarity <operator> <legacy_threshold>`` means now, and its native 2.0 form."""
    native = _fmt_number(native_threshold(legacy_threshold))
    legacy = _fmt_number(legacy_threshold)
    return (
        "score semantics: with the shim's default (model 3.0 remapped onto the legacy scale) `{op} {t}` keeps "
        "{far}; native 2.0 code: use `Score {op} {n}` with FaceModelVersion \"3.0\" (or `Score {op} {t}` with "
        "FaceModelVersion \"2.0\"); measure on your own pairs with `face-compat calibrate`".format(
            op=operator, t=legacy, far=_far_label(legacy_threshold), n=native
        )
    )


def v1_code_suggestion(codes: Sequence[int]) -> str:
    """Where each v1 code now comes from, and how native 2.0 code tests for it."""
    v1_codes, _ = _v1_tables()
    parts = []
    for code in codes:
        sources = v1_code_sources(code)
        meaning = v1_codes[code]["message"] if code in v1_codes else "not a v1 compare code"
        origin = "from 2.0 " + ", ".join(sources) if sources else "decided locally by the shim"
        parts.append("{} ({}) {}".format(code, meaning, origin))
    return (
        "v1 code {}: the shim keeps these codes; native 2.0: catch TencentCloudSDKException and test `e.code` "
        "(see the error table in MIGRATION.md)".format("; ".join(parts))
    )


SUGGESTIONS = {
    KIND_FACE_COMPARE: (
        "runs unchanged through the shim once the import is swapped; native 2.0: "
        "`IaiClient(cred, region).CompareFace(CompareFaceRequest(UrlA=..., UrlB=...))` "
        "(images as base64 ImageA/ImageB), see MIGRATION.md"
    ),
    KIND_HTTP_CALL: (
        "direct v1 HTTP call: point it at the sidecar (`face-compat serve`, same wire protocol) or replace it "
        "with `compat.compare(urlA, urlB)`; native 2.0: CompareFace through tencentcloud-sdk-python-iai"
    ),
    KIND_ENDPOINT: (
        "v1 endpoint address: run the sidecar (`face-compat serve`) and point this address at it, or call "
        "`compat.compare` instead of the HTTP API"
    ),
    KIND_SIMILARITY: (
        "`similarity` is the 2.0 `Score` (by default from model 3.0, remapped onto the legacy scale); "
        "native 2.0: `resp.Score`, on the 3.0 scale unless FaceModelVersion=\"2.0\""
    ),
    KIND_FAIL_FLAG: (
        "`fail_flag` is derived by the shim (2.0 errors do not say which image failed; see MIGRATION.md, "
        "'Which image failed'); native 2.0 has no equivalent: validate each image before the call"
    ),
    KIND_DEPENDENCY: (
        "replace qcloud-image with face-compat (the import swap `compat.qcloud_image` needs no qcloud-image)"
    ),
}


def import_suggestion(original: str, replacement: Optional[str]) -> str:
    """The import swap for one import statement, or why it cannot be swapped."""
    if replacement is None:
        return (
            "`{}` has no counterpart in the shim: import the names from `compat.qcloud_image` instead, "
            "or call 2.0 natively".format(original)
        )
    return "import swap: `{}` (applied by `face-compat scan --fix`)".format(replacement)


# --- the Python pass ---------------------------------------------------------------------------------


def _number(node: ast.AST) -> Optional[float]:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _number(node.operand)
        if inner is not None:
            return -inner if isinstance(node.op, ast.USub) else inner
    return None


def _key_read(node: ast.AST) -> Optional[str]:
    """The string key of ``x["key"]`` or ``x.get("key", ...)``, else None."""
    if isinstance(node, ast.Subscript):
        index = node.slice
        if isinstance(index, ast.Index):  # pragma: no cover - Python 3.8 wraps subscripts
            index = index.value  # type: ignore[attr-defined]
        if isinstance(index, ast.Constant) and isinstance(index.value, str):
            return index.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


def _name_of(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


_OPERATOR_TEXT = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<=", ast.Eq: "==", ast.NotEq: "!="}
_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}
#: Only ordering comparisons are thresholds; ``similarity == 100.0`` is not.
_ORDERING = frozenset({">", ">=", "<", "<="})
#: v1 codes this distinctive are reported wherever they are compared, whatever the other side is called.
_DISTINCTIVE_CODE_LIMIT = -1100


class _PythonScanner(ast.NodeVisitor):
    def __init__(self, path: str, lines: Sequence[str], v1_codes: Set[int]) -> None:
        self.path = path
        self.lines = lines
        self.v1_codes = v1_codes
        self.findings: List[Finding] = []
        #: Names bound to the endpoint or to a similarity, per scope: None for the module, else a function node id.
        self.endpoint_names: Dict[Optional[int], Set[str]] = {}
        self.similarity_names: Dict[Optional[int], Set[str]] = {}
        self.scopes: List[Optional[int]] = [None]
        #: Nodes already covered by a more specific finding (a URL inside a call, a read inside a threshold).
        self.consumed: Set[int] = set()

    # helpers

    def add(self, node: ast.AST, kind: str, suggestion: str, fixable: bool = False) -> None:
        line = getattr(node, "lineno", 1)
        snippet = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        self.findings.append(Finding(self.path, line, kind, snippet, suggestion, fixable))

    def mentions_endpoint(self, node: ast.AST) -> bool:
        for child in ast.walk(node):
            if isinstance(child, ast.Constant) and isinstance(child.value, str) and _ENDPOINT_RE.search(child.value):
                return True
            if self.bound(_name_of(child), self.endpoint_names):
                return True
        return False

    def bound(self, name: Optional[str], table: Dict[Optional[int], Set[str]]) -> bool:
        """True when ``name`` holds what ``table`` tracks, in the current function or at module level."""
        return name is not None and (name in table.get(self.scopes[-1], ()) or name in table.get(None, ()))

    def is_similarity(self, node: ast.AST) -> bool:
        return (
            _key_read(node) == "similarity"
            or _name_of(node) == "similarity"
            or self.bound(_name_of(node), self.similarity_names)
        )

    def is_code(self, node: ast.AST) -> bool:
        if _key_read(node) == "code":
            return True
        name = _name_of(node)
        return name is not None and (name.lower() == "code" or name.lower().endswith("code"))

    def v1_codes_in(self, node: ast.AST) -> List[int]:
        value = _number(node)
        candidates: List[float] = []
        if value is not None:
            candidates.append(value)
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            candidates.extend(v for v in (_number(e) for e in node.elts) if v is not None)
        return [int(v) for v in candidates if v == int(v) and int(v) in self.v1_codes and v != 0]

    # a first pass learns which names hold the endpoint or a similarity

    def learn_names(self, tree: ast.AST, scope: Optional[int] = None) -> None:
        for node in ast.iter_child_nodes(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                self.learn_names(node, id(node))
                continue
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {n for n in (_name_of(t) for t in targets) if n}
                if any(
                    isinstance(c, ast.Constant) and isinstance(c.value, str) and _ENDPOINT_RE.search(c.value)
                    for c in ast.walk(node.value)
                ):
                    self.endpoint_names.setdefault(scope, set()).update(names)
                if _key_read(node.value) == "similarity":
                    self.similarity_names.setdefault(scope, set()).update(names)
            self.learn_names(node, scope)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.scopes.append(id(node))
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]
    visit_Lambda = visit_FunctionDef  # type: ignore[assignment]

    # visitors

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name == "qcloud_image":
                replacement = "import compat.qcloud_image as {}".format(alias.asname or "qcloud_image")
                self.add(node, KIND_IMPORT, import_suggestion("import " + alias.name, replacement), True)
            elif alias.name.startswith("qcloud_image."):
                self.add(node, KIND_IMPORT, import_suggestion("import " + alias.name, None))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level or not (module == "qcloud_image" or module.startswith("qcloud_image.")):
            return
        names = ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in node.names)
        submodule = module.partition(".")[2]
        if submodule and not shim_has_module(submodule):
            self.add(node, KIND_IMPORT, import_suggestion("from {} import {}".format(module, names), None))
            return
        replacement = "from compat.{} import {}".format(module, names)
        self.add(node, KIND_IMPORT, import_suggestion("from {} import ...".format(module), replacement), True)

    def visit_Call(self, node: ast.Call) -> None:
        if _name_of(node.func) == "face_compare":
            self.add(node, KIND_FACE_COMPARE, SUGGESTIONS[KIND_FACE_COMPARE])
        arguments = list(node.args) + [k.value for k in node.keywords]
        if any(self.mentions_endpoint(arg) for arg in arguments):
            self.add(node, KIND_HTTP_CALL, SUGGESTIONS[KIND_HTTP_CALL])
            for arg in arguments:
                self.consumed.update(id(c) for c in ast.walk(arg))
        self.visit_read(node)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit_read(node)
        self.generic_visit(node)

    def visit_read(self, node: ast.AST) -> None:
        key = _key_read(node)
        if id(node) in self.consumed or key not in ("similarity", "fail_flag"):
            return
        kind = KIND_SIMILARITY if key == "similarity" else KIND_FAIL_FLAG
        self.add(node, kind, SUGGESTIONS[kind])

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left] + list(node.comparators)
        for left, operator, right in zip(operands, node.ops, operands[1:]):
            self.check_pair(node, left, operator, right)
        self.generic_visit(node)

    def check_pair(self, node: ast.Compare, left: ast.AST, operator: ast.cmpop, right: ast.AST) -> None:
        text = _OPERATOR_TEXT.get(type(operator))
        for subject, other, op_text in ((left, right, text), (right, left, _FLIPPED.get(text or ""))):
            threshold = _number(other)
            if op_text in _ORDERING and threshold is not None and self.is_similarity(subject):
                self.add(node, KIND_THRESHOLD, threshold_suggestion(op_text, threshold))
                self.consumed.update(id(c) for c in ast.walk(subject))
                return
        if isinstance(operator, (ast.In, ast.NotIn)):
            codes = self.v1_codes_in(right)
            if codes and (self.is_code(left) or min(codes) <= _DISTINCTIVE_CODE_LIMIT):
                self.add(node, KIND_V1_CODE, v1_code_suggestion(codes))
            return
        for subject, other in ((left, right), (right, left)):
            codes = self.v1_codes_in(other)
            if codes and (self.is_code(subject) or codes[0] <= _DISTINCTIVE_CODE_LIMIT):
                self.add(node, KIND_V1_CODE, v1_code_suggestion(codes))
                return

    def visit_Dict(self, node: ast.Dict) -> None:
        keys = [int(v) for v in (_number(k) for k in node.keys if k is not None) if v is not None and v == int(v)]
        codes = [k for k in keys if k in self.v1_codes and k <= _DISTINCTIVE_CODE_LIMIT]
        if codes:
            self.add(node, KIND_V1_CODE, v1_code_suggestion(codes))
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # a docstring or bare string: documentation, not a call site
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if not isinstance(node.value, str) or id(node) in self.consumed:
            return
        if _ENDPOINT_RE.search(node.value):
            self.add(node, KIND_ENDPOINT, SUGGESTIONS[KIND_ENDPOINT])
        elif _DEPENDENCY_STRING_RE.match(node.value):
            self.add(node, KIND_DEPENDENCY, SUGGESTIONS[KIND_DEPENDENCY])

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        if id(node) not in self.consumed and self.mentions_endpoint(node):
            self.add(node, KIND_ENDPOINT, SUGGESTIONS[KIND_ENDPOINT])
            self.consumed.update(id(c) for c in ast.walk(node))
        self.generic_visit(node)


def scan_python(path: str, source: bytes) -> Optional[List[Finding]]:
    """Findings in one Python file, or None when it does not parse (the caller falls back to the text pass)."""
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError):
        return None
    lines = source.decode("utf-8", "replace").splitlines()
    v1_codes, _ = _v1_tables()
    scanner = _PythonScanner(path, lines, set(v1_codes))
    scanner.learn_names(tree)
    scanner.visit(tree)
    return scanner.findings


# --- the text pass -----------------------------------------------------------------------------------


def scan_text(path: str, text: str) -> List[Finding]:
    """Findings in a file the ``ast`` cannot read, line by line."""
    findings = []
    is_dependency_file = bool(_DEPENDENCY_FILE_RE.match(os.path.basename(path)))
    is_python = path.endswith(".py")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if is_python and stripped.startswith("#"):
            continue
        if is_python and _IMPORT_LINE_RE.match(line) and "compat.qcloud_image" not in line:
            suggestion = (
                "import swap by hand (this file does not parse as Python 3, so --fix leaves it): "
                "import from `compat.qcloud_image` instead of `qcloud_image`"
            )
            findings.append(Finding(path, number, KIND_IMPORT, stripped, suggestion))
        if _FACE_COMPARE_RE.search(line):
            findings.append(Finding(path, number, KIND_FACE_COMPARE, stripped, SUGGESTIONS[KIND_FACE_COMPARE]))
        if _ENDPOINT_RE.search(line):
            findings.append(Finding(path, number, KIND_ENDPOINT, stripped, SUGGESTIONS[KIND_ENDPOINT]))
        if is_dependency_file and _DEPENDENCY_RE.search(line):
            findings.append(Finding(path, number, KIND_DEPENDENCY, stripped, SUGGESTIONS[KIND_DEPENDENCY]))
    return findings


# --- the tree walk -----------------------------------------------------------------------------------


def is_skipped_dir(path: str, name: str) -> bool:
    """True for virtualenvs and vendored or generated folders."""
    if name in SKIP_DIRS or name.endswith(".egg-info"):
        return True
    return os.path.isfile(os.path.join(path, name, "pyvenv.cfg"))


def iter_files(root: str) -> Iterator[str]:
    """Every file under ``root`` worth scanning, in a stable order (``root`` itself when it is a file)."""
    if os.path.isfile(root):
        yield root
        return
    if os.path.isfile(os.path.join(root, "pyvenv.cfg")):
        return
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not is_skipped_dir(directory, d))
        for name in sorted(filenames):
            if os.path.splitext(name)[1].lower() not in BINARY_SUFFIXES:
                yield os.path.join(directory, name)


def scan_file(path: str) -> List[Finding]:
    """Findings in one file; unreadable, huge or binary files have none."""
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            return []
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return []
    if b"\0" in raw[:4096]:
        return []
    if path.endswith(".py"):
        found = scan_python(path, raw)
        if found is not None:
            return found
    return scan_text(path, raw.decode("utf-8", "replace"))


def _progress(items: Sequence[str], enabled: bool) -> Iterable[str]:
    if not enabled:
        return items
    try:
        from tqdm import tqdm  # optional: nicer bar when the team already has it
    except ImportError:
        return _plain_progress(items)
    return tqdm(items, desc="scanning", unit="file", file=sys.stderr)


def _plain_progress(items: Sequence[str]) -> Iterator[str]:
    total = len(items)
    width = 30
    for done, item in enumerate(items, start=1):
        if done == 1 or done == total or done % 25 == 0:
            filled = width * done // total
            sys.stderr.write("\rscanning [{}{}] {}/{} files".format("#" * filled, "." * (width - filled), done, total))
            sys.stderr.flush()
        yield item
    sys.stderr.write("\n")


def scan(
    root: str,
    *,
    progress: Optional[bool] = None,
) -> List[Finding]:
    """Every v1 use under ``root``, sorted by path and line, one finding per (path, line, kind).

    ``progress=None`` shows a bar on stderr only when stderr is a terminal and the tree has more than
    :data:`PROGRESS_MIN_FILES` files.
    """
    files = list(iter_files(root))
    if progress is None:
        progress = len(files) > PROGRESS_MIN_FILES and sys.stderr.isatty()
    findings: List[Finding] = []
    seen: Set[Tuple[str, int, str]] = set()
    for path in _progress(files, progress):
        for finding in scan_file(path):
            key = (finding.path, finding.line, finding.kind)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    findings.sort(key=lambda f: (f.path, f.line, f.kind))
    return findings
