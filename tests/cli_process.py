"""Run the real command line in a child process (as cron or a second window would), with a
plain-file keyring chosen explicitly so that the child processes share the secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from plain_file_keyring import install_as_entry_point

ROOT = Path(__file__).resolve().parents[1]


def cli_env(
    home: Path, extra: dict[str, str] | None = None, *, keyring_chosen: bool = True
) -> dict[str, str]:
    """An environment for the child: the worktree's code, a keyring file under ``home``
    (:func:`keyring_file`), chosen in ``PYTHON_KEYRING_BACKEND`` unless ``keyring_chosen`` is
    False (then the backend is only installed, as a pip package installs one)."""
    site = install_as_entry_point(home / "site")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON_KEYRING", "DBUS_", "CRYPTACT_", "XDG_", "LANGUAGE"))
    }
    env.update(
        LC_ALL="C.UTF-8",  # the command line speaks the system's language: these tests read English
        PYTHONPATH=os.pathsep.join([str(ROOT), str(site)]),
        HOME=str(home / "home"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "share"),
        PLAIN_FILE_KEYRING=str(keyring_file(home)),
        PYTHONUNBUFFERED="1",
    )
    if keyring_chosen:
        env["PYTHON_KEYRING_BACKEND"] = "plain_file_keyring.PlainFileKeyring"
    env.update(extra or {})
    return env


def keyring_file(home: Path) -> Path:
    return home / "keyring.json"


def cli_command(data_dir: Path, args: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "cryptact_desktop", "--data-dir", str(data_dir), *args]


def run_cli(
    home: Path,
    data_dir: Path,
    *args: str,
    stdin: str = "",
    extra_env: dict[str, str] | None = None,
    prefix: Sequence[str] = (),
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, *cli_command(data_dir, args)],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(home, extra_env),
        cwd=home,
        timeout=timeout,
        check=False,
    )


def start_cli(
    home: Path, data_dir: Path, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cli_command(data_dir, args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(home, extra_env),
        cwd=home,
    )
