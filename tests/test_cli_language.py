"""The command line speaks the window's language: the one chosen in Settings, else the system's.
So does the window's own ``--help``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_process import cli_env

NO_KEYS = {
    "en": "No keys yet. Add one with `keys add`.",
    "ja": "まだキーがありません。`keys add` で追加してください。",
}
KEYS_HELP = {"en": "add, list, edit and remove API keys", "ja": "APIキーの追加・一覧・編集・削除"}


def run(home: Path, args: list[str], *, locale: str, chosen: str | None = None) -> str:
    """``cryptact-desktop ARGS`` under the system locale ``locale``, with ``chosen`` as the
    language picked in the window's Settings (None: never picked)."""
    if chosen is not None:  # where Qt keeps the window's settings on Linux (see cli_env)
        settings = home / "config" / "Cryptact" / "Cryptact Desktop.conf"
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(f"[ui]\nlanguage={chosen}\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cryptact_desktop",
            *(arg.replace("DATA", str(home / "data")) for arg in args),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_env(home, {"LC_ALL": locale}),
        cwd=home,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(
    sys.platform != "linux", reason="the settings file's place and the locale variables are Linux's"
)
def test_the_command_line_follows_the_system_language_unless_the_window_chose_one(tmp_path: Path) -> None:
    japanese, english = "ja_JP.UTF-8", "C"
    assert NO_KEYS["ja"] in run(tmp_path / "1", ["--data-dir", "DATA", "keys", "list"], locale=japanese)
    assert KEYS_HELP["ja"] in run(tmp_path / "2", ["--help"], locale=japanese)
    assert NO_KEYS["en"] in run(tmp_path / "3", ["--data-dir", "DATA", "keys", "list"], locale=english)
    assert KEYS_HELP["en"] in run(tmp_path / "4", ["--help"], locale=english)
    # The window's own options too (printed before the window loads its translation).
    assert "シミュレートした取引所アカウントで動かす" in run(
        tmp_path / "5", ["--demo", "--help"], locale=japanese
    )
    assert "run on simulated exchange accounts" in run(tmp_path / "6", ["--demo", "--help"], locale=english)
    # The language chosen in the window's Settings wins over the system's, both ways.
    assert NO_KEYS["en"] in run(
        tmp_path / "7", ["--data-dir", "DATA", "keys", "list"], locale=japanese, chosen="en"
    )
    assert NO_KEYS["ja"] in run(
        tmp_path / "8", ["--data-dir", "DATA", "keys", "list"], locale=english, chosen="ja"
    )
