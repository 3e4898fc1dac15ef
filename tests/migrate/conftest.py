"""Fixtures for the migration tools: a throw-away copy of the legacy project."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

LEGACY_PROJECT = Path(__file__).parent / "legacy_project"

#: A Python 2 leftover: neither ``ast`` nor libcst reads it, so the text pass must. Written at test time
#: because a committed copy would break the linters that read the test tree.
PYTHON2_FILE = '''\
# Python 2 leftover: the ast cannot read it, the text pass still can
import qcloud_image

print "comparing"
result = client.face_compare(qcloud_image.CIUrl(a), qcloud_image.CIUrl(b))
'''


@pytest.fixture
def legacy_project(tmp_path: Path) -> Path:
    """A writable copy of ``tests/migrate/legacy_project`` plus a Python 2 file."""
    target = tmp_path / "legacy_project"
    shutil.copytree(str(LEGACY_PROJECT), str(target))
    (target / "app" / "old_py2.py").write_text(PYTHON2_FILE)
    # git ignores .venv, so the virtualenv the scan must skip is made here
    site = target / ".venv" / "lib" / "python3.11" / "site-packages" / "qcloud_image"
    site.mkdir(parents=True)
    (target / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (site / "__init__.py").write_text("from qcloud_image.api import Client\n")
    node = target / "node_modules" / "legacy-client"
    node.mkdir(parents=True)
    (node / "index.js").write_text("fetch('https://recognition.image.myqcloud.com/face/compare')\n")
    return target
