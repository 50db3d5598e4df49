"""``--self-check`` end to end, in a subprocess like a user (or a release pipeline) would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptact_desktop.self_check import Check, check_imports, check_keyring_backends

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = (
    "imports",
    "certificates",
    "data directory",
    "database",
    "keyring backends",
    "keyring",
    "qt",
    "window",
    "sync",
)
MEMORY_KEYRING = "cryptact_desktop.memory_keyring.MemoryKeyring"


def run_self_check(
    tmp_path: Path, *extra: str, keyring_backend: str = MEMORY_KEYRING, data_dir: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRYPTACT_DESKTOP_")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND=keyring_backend,
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=str(ROOT),
    )
    target = data_dir if data_dir is not None else tmp_path / "data"
    return subprocess.run(
        [sys.executable, "-m", "cryptact_desktop", "--self-check", "--data-dir", str(target), *extra],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
    )


def lines_by_check(stdout: str) -> dict[str, str]:
    """``{"database": "ok   database: migrated ...", ...}``."""
    result = {}
    for line in stdout.splitlines():
        label, _, rest = line.partition(" ")
        name, sep, _detail = rest.strip().partition(":")
        if sep and label in ("ok", "WARN", "FAIL"):
            result[name] = line
    return result


def test_self_check_passes(tmp_path: Path) -> None:
    done = run_self_check(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = lines_by_check(done.stdout)
    assert list(lines) == list(EXPECTED), done.stdout
    assert all(line.startswith("ok ") for line in lines.values()), done.stdout
    assert f"keyring: {MEMORY_KEYRING}" in lines["keyring"]
    assert "SecretService" in lines["keyring backends"] or sys.platform != "linux"
    assert "migrated to" in lines["database"]
    assert "platform 'offscreen'" in lines["qt"]
    assert "rendered" in lines["window"]
    assert "records from the simulators" in lines["sync"]
    assert done.stdout.rstrip().endswith("self-check passed")
    # Everything happened in temporary places: the data directory only holds its log folder.
    assert not (tmp_path / "data" / "cryptact.db").exists()


def test_missing_keyring_is_a_warning_unless_strict(tmp_path: Path) -> None:
    """No usable keyring is the machine's state, not a broken build: a clear warning, exit 0.
    ``--strict`` (for release machines that have a keyring) makes it a failure."""
    done = run_self_check(tmp_path, keyring_backend="keyring.backends.fail.Keyring")
    assert done.returncode == 0, done.stdout + done.stderr
    keyring_line = lines_by_check(done.stdout)["keyring"]
    assert keyring_line.startswith("WARN keyring: keyring.backends.fail.Keyring")
    assert "No secure keyring is available" in keyring_line
    assert "self-check passed with 1 warning(s)" in done.stdout

    strict = run_self_check(tmp_path, "--strict", keyring_backend="keyring.backends.fail.Keyring")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "self-check FAILED: keyring" in strict.stdout


def test_unusable_data_dir_fails(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "occupied"
    not_a_dir.write_text("a file where the data directory should be")
    done = run_self_check(tmp_path, data_dir=not_a_dir)
    assert done.returncode == 1, done.stdout + done.stderr
    line = lines_by_check(done.stdout)["data directory"]
    assert line.startswith("FAIL data directory:") and str(not_a_dir) in line
    assert "self-check FAILED: data directory" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_core_checks_without_qt() -> None:
    imports = check_imports()
    assert imports.ok, imports.detail
    backends = check_keyring_backends()
    assert isinstance(backends, Check) and backends.ok, backends.detail
