"""Every UI text reaches the translators under a real context.

``pyside6-lupdate`` reads ``self.tr("…")`` and ``translate("Context", "…")`` calls. A helper alias
such as ``tr = QCoreApplication.translate`` followed by ``tr("Context", "…")`` is read as
``tr(source, disambiguation)`` — the context becomes the text and the real text is lost. This
extracts the UI's strings and checks each lands in a named context.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parent.parent / "cryptact_desktop" / "ui"
# The core's contexts the UI shares on purpose (the same rules as the core's own messages; the
# window's command-line options beside the command line's).
CORE_CONTEXTS = {"keys", "catalogue", "cli"}


def _lupdate() -> str | None:
    beside_python = Path(sys.executable).parent / "pyside6-lupdate"
    return shutil.which("pyside6-lupdate") or (str(beside_python) if beside_python.exists() else None)


def test_every_ui_text_has_a_named_context(tmp_path: Path) -> None:
    lupdate = _lupdate()
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed")
    sources = sorted(str(p) for p in UI.rglob("*.py"))
    ts = tmp_path / "ui.ts"
    subprocess.run([lupdate, *sources, "-ts", str(ts)], check=True, capture_output=True, timeout=120)
    text = ts.read_text(encoding="utf-8")
    contexts = {
        re.search(r"<name>(.*?)</name>", block, re.S).group(1): len(re.findall(r"<message", block))  # type: ignore[union-attr]
        for block in re.findall(r"<context>(.*?)</context>", text, re.S)
    }
    assert sum(contexts.values()) > 300  # the extraction really ran over the UI
    odd = {name: n for name, n in contexts.items() if name not in CORE_CONTEXTS and not name[:1].isupper()}
    assert odd == {}, "texts under no context or a variable's name (see the module docstring)"
    assert "MainWindow" in contexts and "KeyTreeModel" in contexts
