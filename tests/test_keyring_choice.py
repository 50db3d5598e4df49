"""End to end: which keyring the CLI keeps secrets in, with a plain-file keyring backend installed
the way a pip package installs one (a ``keyring.backends`` entry point) and no system keyring."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_process import cli_env, keyring_file

API_KEY = "CHOICEKEY0001"
SECRET = "CHOICE-SECRET-000000000001"


def run_cli(
    tmp_path: Path, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = cli_env(tmp_path, extra_env, keyring_chosen=False)
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
    assert not keyring_file(tmp_path).exists()
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
    assert SECRET in keyring_file(tmp_path).read_text()


@pytest.mark.parametrize("backend", ["keyring.backends.null.Keyring"])
def test_a_backend_that_stores_nothing_is_refused_even_when_chosen(tmp_path: Path, backend: str) -> None:
    result = run_cli(tmp_path, *ADD, extra_env={"PYTHON_KEYRING_BACKEND": backend})
    assert result.returncode == 3
    assert "No secure keyring is available" in result.stderr
    assert "Traceback" not in result.stderr
    # The message is the first thing on stderr: no log line above it (they go to the log file).
    assert result.stderr.splitlines()[0].startswith("Error: No secure keyring"), result.stderr
    assert "WARNING [" not in result.stderr
