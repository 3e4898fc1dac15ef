"""The emulator shares no code with the shim, so a shim mistake cannot be mirrored by it."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Set

import compat.emulator

EMULATOR = Path(compat.emulator.__file__).resolve().parent


def _imported_modules(path: Path) -> Set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved against its package)."""
    package = ["compat", "emulator", *path.relative_to(EMULATOR).parent.parts]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            names.add(".".join(base + ([node.module] if node.module else [])))
    return names


def test_no_emulator_module_imports_the_shim() -> None:
    offenders = {
        str(path.relative_to(EMULATOR)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] == "compat" and
            not (name + ".").startswith("compat.emulator.")
        )
        for path in EMULATOR.rglob("*.py")
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_the_check_sees_relative_imports() -> None:
    names = _imported_modules(EMULATOR / "engines" / "sface.py")
    assert any(name.startswith("compat.emulator.") for name in names), names
