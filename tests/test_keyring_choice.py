"""End to end: which keyring the CLI keeps secrets in, with a plain-file keyring backend installed
the way a pip package installs one (a ``keyring.backends`` entry point) and no system keyring."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from plain_file_keyring import install_as_entry_point

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "CHOICEKEY0001"
SECRET = "CHOICE-SECRET-000000000001"


def run_cli(
    tmp_path: Path, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    site = install_as_entry_point(tmp_path / "site")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON_KEYRING", "DBUS_", "CRYPTACT_", "XDG_", "LANGUAGE"))
    }
    env.update(
        LC_ALL="C.UTF-8",  # the command line speaks the system's language: this test reads English
        PYTHONPATH=os.pathsep.join([str(ROOT), str(site)]),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "share"),
        PLAIN_FILE_KEYRING=str(tmp_path / "plain.json"),
    )
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "cryptact_desktop", "--data-dir", str(tmp_path / "data"), *args],
        input=f"{API_KEY}\n{SECRET}\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


ADD = ("keys", "add", "--exchange", "bybit", "--label", "Main", "--no-verify")


def test_a_file_keyring_keyring_picked_by_itself_is_refused(tmp_path: Path) -> None:
    result = run_cli(tmp_path, *ADD)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert "not stored there" in result.stderr
    assert "PYTHON_KEYRING_BACKEND" in result.stderr
    assert not (tmp_path / "plain.json").exists()
    leftovers = (
        [p for p in (tmp_path / "share").rglob("*") if p.is_file()] if (tmp_path / "share").exists() else []
    )
    assert leftovers == []  # nothing in keyrings.alt's file either, if it is installed
    listed = run_cli(tmp_path, "keys", "list")
    assert "No keys yet" in listed.stdout


def test_a_file_keyring_chosen_explicitly_is_used_with_a_warning(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path, *ADD, extra_env={"PYTHON_KEYRING_BACKEND": "plain_file_keyring.PlainFileKeyring"}
    )
    assert result.returncode == 0, result.stderr
    assert "Saved key 1: Main" in result.stdout
    assert "WARNING: API secrets are kept in plain_file_keyring.PlainFileKeyring" in result.stderr
    assert "as chosen in PYTHON_KEYRING_BACKEND" in result.stderr
    assert SECRET in (tmp_path / "plain.json").read_text()


@pytest.mark.parametrize("backend", ["keyring.backends.null.Keyring"])
def test_a_backend_that_stores_nothing_is_refused_even_when_chosen(tmp_path: Path, backend: str) -> None:
    result = run_cli(tmp_path, *ADD, extra_env={"PYTHON_KEYRING_BACKEND": backend})
    assert result.returncode == 3
    assert "No secure keyring is available" in result.stderr
    assert "Traceback" not in result.stderr
    # The message is the first thing on stderr: no log line above it (they go to the log file).
    assert result.stderr.splitlines()[0].startswith("Error: No secure keyring"), result.stderr
    assert "WARNING [" not in result.stderr
