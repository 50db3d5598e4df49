"""The core never imports Qt: every module outside ``cryptact_desktop.ui`` imports with PySide6 blocked."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import cryptact_desktop

SCRIPT = r"""
import importlib, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("core must not import Qt: " + name)
sys.meta_path.insert(0, Block())
for name in sys.argv[1:]:
    importlib.import_module(name)
print("ok", len(sys.argv) - 1)
"""


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(cryptact_desktop.__path__, "cryptact_desktop."):
        if info.name.startswith(("cryptact_desktop.ui", "cryptact_desktop.migrations")):
            continue
        if info.name == "cryptact_desktop.__main__":
            continue
        names.append(info.name)
    return names


def test_core_imports_without_qt() -> None:
    modules = core_modules()
    assert "cryptact_desktop.sync.engine" in modules and "cryptact_desktop.store" in modules
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *modules], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"ok {len(modules)}"
