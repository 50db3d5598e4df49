"""Build hook: compile the translations (``.ts`` → ``.qm``) into the wheel with Qt's lrelease.

Everything else is in pyproject.toml. lrelease comes with PySide6-Essentials; when the build
environment lacks it (an isolated build) the wheel carries the ``.ts`` only and the app compiles
it once at first use (cryptact_desktop/ui/translation.py). Editable installs always do that.
"""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTranslations(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        spec = importlib.util.find_spec("PySide6")
        if spec is None or spec.origin is None:
            print("PySide6 is not in the build environment: translations compile at first use")  # noqa: T201
            return
        folder = Path(spec.origin).parent
        tool = next((folder / n for n in ("lrelease", "lrelease.exe") if (folder / n).is_file()), None)
        if tool is None:
            return
        target = Path(self.build_lib) / "cryptact_desktop" / "ui" / "translations"
        for ts in sorted(Path("cryptact_desktop/ui/translations").glob("*.ts")):
            target.mkdir(parents=True, exist_ok=True)
            qm = target / ts.with_suffix(".qm").name
            subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)], check=True)  # noqa: S603


setup(cmdclass={"build_py": BuildWithTranslations})
