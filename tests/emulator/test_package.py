"""Package hygiene: explicit exports, lazy heavy imports, in-process dispatch."""

import subprocess
import sys

import compat.emulator
from compat.emulator.app import HttpRequest, IaiApp
from compat.emulator.engines.constant import ConstantEngine


def test_all_is_complete_and_public():
    public = {name for name in vars(compat.emulator) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(compat.emulator, name)).__name__ == "module"}
    assert set(compat.emulator.__all__) == public - modules


def test_plugin_and_package_import_without_cv2_or_numpy():
    code = (
        "import sys; import compat.emulator, compat.emulator.pytest_plugin, compat.emulator.cli; "
        "from compat.emulator import Emulator; Emulator(engine='constant'); "
        "print(sorted(m for m in ('cv2', 'numpy') if m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_dispatch_in_process_without_a_socket():
    app = IaiApp(credentials={"id": "key"}, engine=ConstantEngine())
    reply = app.dispatch(HttpRequest("POST", "/", "", {"content-type": "application/json"}, b"{}"))
    assert reply.status == 200
    assert b'"MissingParameter"' in reply.body


def test_unknown_engine_name_is_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="sface"):
        compat.emulator.Emulator(engine="dlib")
