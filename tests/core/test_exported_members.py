"""``compat`` exports exactly its public API (httpx's habit): every public name in ``__all__``, each documented."""
from __future__ import annotations

import subprocess
import sys
import types

import compat


def test_all_lists_every_public_name() -> None:
    public = {
        name for name, value in vars(compat).items()
        if name.isidentifier() and not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(compat.__all__) - {"__version__"} == public


def test_public_names_are_documented() -> None:
    for name in compat.__all__:
        if name != "__version__":
            assert getattr(compat, name).__doc__, name


def test_import_compat_stays_light() -> None:
    """``import compat`` must not pull in the emulator's model stack, the server stack or the codemod."""
    heavy = ("cv2", "numpy", "starlette", "uvicorn", "libcst", "PIL", "matplotlib")
    code = "import sys, compat; print(sorted(m for m in %r if m in sys.modules))" % (heavy,)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
