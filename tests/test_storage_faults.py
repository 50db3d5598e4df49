"""Storage faults end in a human message with the fix — never a traceback, never a changed or
silently replaced database: each fault × the commands that reach the database (sync, import,
export, and start-up), through the real command line in a child process."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_process import run_cli
from storage_faults import (
    DB,
    damage,
    empty,
    make_folder_unwritable,
    make_read_only,
    modes_apply,
    mount_namespaces,
    restore_modes,
    run_on_full_disk,
    sha256,
    unprivileged_prefix,
)
from test_import_files import write_spot

from cryptact_desktop.store import Store, list_backups
from cryptact_desktop.store.database import MIN_FREE_BYTES
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account

API_KEY = "FAULTKEY00001"
SECRET = "FAULT-SECRET-000000000000001"
UID = 8100  # the UID write_spot puts in its files
# An account whose first sync needs megabytes: the disk that fills during a sync.
BIG_API_KEY, BIG_SECRET, BIG_UID = "FAULTKEY00002", "FAULT-SECRET-000000000000002", 8200


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    sim = BybitSimulator(
        accounts=[
            generate_account(seed=41, size="tiny", uid=UID),
            generate_account(seed=42, size="small", uid=BIG_UID),
        ],
        keys=[SimulatedKey(API_KEY, SECRET, UID), SimulatedKey(BIG_API_KEY, BIG_SECRET, BIG_UID)],
        rate_limit_scale=50,
        ip_limit=(30_000, 5.0),
    )
    url = sim.start()
    try:
        yield url
    finally:
        sim.stop()


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory, base_url: str) -> tuple[Path, Path]:
    """(home, data folder): a key synced once (so a backup exists), as a user would have it."""
    home = tmp_path_factory.mktemp("faults")
    data = home / "golden"
    args = (
        "keys",
        "add",
        "--exchange",
        "bybit",
        "--label",
        "Main",
        "--host",
        "custom",
        "--base-url",
        base_url,
    )
    added = run_cli(home, data, *args, "--endpoints", "spot,deposits", stdin=f"{API_KEY}\n{SECRET}\n")
    assert added.returncode == 0, added.stderr
    synced = run_cli(home, data, "sync", "--quiet")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert list_backups(data / DB), "a synced database has a backup"
    return home, data


COMMANDS: dict[str, Callable[[Path], tuple[str, ...]]] = {
    "start-up": lambda home: ("status",),
    "sync": lambda home: ("sync", "--quiet"),
    "import": lambda home: ("import", str(write_spot(home / "Bybit-Spot-TradeHistory.csv", 5)), "--key", "1"),
    "export": lambda home: ("export", "--format", "cryptact", "-o", str(home / "out" / "cryptact.csv")),
}

FAULTS: dict[str, tuple[Callable[[Path], None], str, str]] = {
    # fault -> (make it, what the message says, what the fix mentions)
    "read-only database": (make_read_only, "is read-only", "permission"),
    "unwritable data folder": (make_folder_unwritable, "cannot be written", "--data-dir"),
    "damaged database": (damage, "is damaged", "restore-backup"),
    "empty database": (empty, "is empty (0 bytes)", "restore-backup"),
}


def _assert_human(result_code: int, stderr: str, message: str, fix: str) -> None:
    assert result_code == 3, stderr
    assert "Traceback" not in stderr and "sqlite3." not in stderr and "sqlalchemy" not in stderr, stderr
    first = stderr.strip().splitlines()[0]
    assert first.startswith("Error: ") and message in first and fix in first, stderr


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("fault", FAULTS)
def test_a_storage_fault_is_a_message_with_its_fix_and_the_database_is_unchanged(
    golden: tuple[Path, Path], tmp_path: Path, fault: str, command: str
) -> None:
    if fault in ("read-only database", "unwritable data folder") and not modes_apply():
        pytest.skip("file modes cannot be made to apply to root here (no setpriv)")
    home, source = golden
    data = tmp_path / "data"
    shutil.copytree(source, data)
    (home / "out").mkdir(exist_ok=True)
    make, message, fix = FAULTS[fault]
    make(data)
    before = sha256(data / DB)
    try:
        result = run_cli(home, data, *COMMANDS[command](home), prefix=unprivileged_prefix())
    finally:
        restore_modes(data)
    _assert_human(result.returncode, result.stderr, message, fix)
    assert sha256(data / DB) == before, "the database file was changed"
    if fault == "empty database":
        assert (data / DB).stat().st_size == 0  # never silently a new, empty database


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_is_a_message_with_its_fix_and_the_database_is_unchanged(
    golden: tuple[Path, Path], tmp_path: Path, command: str
) -> None:
    if mount_namespaces() is None:
        pytest.skip("this machine allows no private mount namespace for a small tmpfs")
    home, source = golden
    (home / "out").mkdir(exist_ok=True)
    after = tmp_path / "after"
    result = run_on_full_disk(home, source, COMMANDS[command](home), free_bytes=0, after=after)
    _assert_human(result.returncode, result.stderr, "is full", "Free some disk space")
    assert sha256(after / DB) == sha256(source / DB)


def test_a_disk_that_fills_during_a_sync_is_a_storage_failure_not_the_exchange(
    golden: tuple[Path, Path], tmp_path: Path, base_url: str
) -> None:
    if mount_namespaces() is None:
        pytest.skip("this machine allows no private mount namespace for a small tmpfs")
    home, source = golden
    data = tmp_path / "data"
    shutil.copytree(source, data)
    # A second key with all its history still to fetch: more than the disk has room for.
    args = (
        "keys",
        "add",
        "--exchange",
        "bybit",
        "--label",
        "Second",
        "--host",
        "custom",
        "--base-url",
        base_url,
    )
    added = run_cli(
        home,
        data,
        *args,
        "--subaccount",
        "other",
        "--endpoints",
        "all",
        "--no-verify",
        stdin=f"{BIG_API_KEY}\n{BIG_SECRET}\n",
    )
    assert added.returncode == 0, added.stderr
    after = tmp_path / "after"
    # 150 KB more than the least free space the app starts with; the second key's history needs
    # megabytes. (A history of 120 records once needed more than that; since commits write
    # less, it no longer does.)
    free = MIN_FREE_BYTES + 150 * 1024
    result = run_on_full_disk(home, data, ("sync", "--quiet", "Second"), free_bytes=free, after=after)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "is full" in result.stdout and "Free some disk space" in result.stdout, result.stdout
    assert "does not understand" not in result.stdout
    store = Store(after / DB)  # what was stored is whole, and opens without a problem
    try:
        assert store.get_key(1).label == "Main"
    finally:
        store.close()


def test_a_damaged_database_is_offered_its_backup_and_the_damaged_file_is_kept(
    golden: tuple[Path, Path], tmp_path: Path
) -> None:
    home, source = golden
    data = tmp_path / "data"
    shutil.copytree(source, data)
    damage(data)
    damaged = (data / DB).read_bytes()
    refused = run_cli(home, data, "status")
    assert refused.returncode == 3 and "restore-backup" in refused.stderr
    restored = run_cli(home, data, "restore-backup")
    assert restored.returncode == 0, restored.stderr
    kept = [p for p in data.iterdir() if p.name.startswith(f"{DB}.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    status = run_cli(home, data, "status")
    assert status.returncode in (0, 3), status.stdout + status.stderr  # the backup may predate a sync
    assert "Key 1 (Main)" in status.stdout
    synced = run_cli(home, data, "sync", "--quiet")  # fetches whatever came after the backup
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert run_cli(home, data, "status").returncode == 0
    again = run_cli(home, data, "restore-backup")  # not damaged any more: refused without --force
    assert again.returncode == 2 and "not damaged" in again.stderr


def test_a_migration_is_preceded_by_a_backup(tmp_path: Path) -> None:
    from alembic import command

    from cryptact_desktop.state import NewKey
    from cryptact_desktop.store.database import alembic_config, open_engine

    store = Store(tmp_path / DB)
    store.add_key(NewKey("bybit", "Main", "mainnet", ("spot",)))
    store.close()
    for backup in list_backups(tmp_path / DB):
        backup.path.unlink()
    engine = open_engine(tmp_path / DB)
    with engine.begin() as connection:  # the database of the previous version of the app
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    engine.dispose()
    time.sleep(1.1)  # backups are named by the second
    Store(tmp_path / DB).close()
    reasons = [backup.reason for backup in list_backups(tmp_path / DB)]
    assert "before-0005_trust" in reasons, reasons
    # A database already at the newest revision runs no migration, and gets no such backup.
    time.sleep(1.1)
    Store(tmp_path / DB).close()
    assert [backup.reason for backup in list_backups(tmp_path / DB)] == reasons
