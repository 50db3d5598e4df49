from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from cryptact_desktop.paths import ENV_DATA_DIR, DataPaths, resolve_data_dir


@pytest.fixture
def fake_platform_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Point platformdirs at tmp_path and record how it was asked."""
    calls: list[tuple[object, ...]] = []

    def user_data_dir(appname: str, appauthor: object = None, *, roaming: bool = False) -> str:
        calls.append((appname, appauthor, roaming))
        return str(tmp_path / "platform" / appname)

    monkeypatch.setattr("platformdirs.user_data_dir", user_data_dir)
    return calls


def test_cli_value_wins_over_env(tmp_path: Path, fake_platform_dir: list[tuple[object, ...]]) -> None:
    env = {ENV_DATA_DIR: str(tmp_path / "from-env")}
    result = resolve_data_dir(tmp_path / "from-cli", environ=env)
    assert result == tmp_path / "from-cli"
    assert result.is_dir()
    assert not (tmp_path / "from-env").exists()
    assert fake_platform_dir == []


def test_env_wins_over_platform_default(tmp_path: Path, fake_platform_dir: list[tuple[object, ...]]) -> None:
    result = resolve_data_dir(None, environ={ENV_DATA_DIR: str(tmp_path / "from-env")})
    assert result == tmp_path / "from-env"
    assert result.is_dir()
    assert fake_platform_dir == []


def test_process_environment_is_the_default_environ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "os-env"))
    assert resolve_data_dir() == tmp_path / "os-env"


def test_platform_default_when_nothing_given(
    tmp_path: Path, fake_platform_dir: list[tuple[object, ...]]
) -> None:
    result = resolve_data_dir(None, environ={ENV_DATA_DIR: ""})  # empty counts as unset
    assert result == tmp_path / "platform" / "Cryptact Desktop"
    assert result.is_dir()
    assert fake_platform_dir == [("Cryptact Desktop", False, False)]


def test_expands_user_and_makes_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    assert resolve_data_dir("~/cd-data", environ={}) == tmp_path / "home" / "cd-data"

    monkeypatch.chdir(tmp_path)
    relative = resolve_data_dir("relative/dir", environ={})
    assert relative.is_absolute()
    assert relative == tmp_path / "relative" / "dir"
    assert relative.is_dir()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_new_directory_is_private(tmp_path: Path) -> None:
    result = resolve_data_dir(tmp_path / "private", environ={})
    assert stat.S_IMODE(os.stat(result).st_mode) == 0o700


def test_data_paths_layout_does_not_touch_disk(tmp_path: Path) -> None:
    dp = DataPaths(tmp_path / "root")
    assert dp.database == tmp_path / "root" / "cryptact.db"
    assert dp.log_dir == tmp_path / "root" / "logs"
    assert dp.log_file == tmp_path / "root" / "logs" / "cryptact-desktop.log"
    assert dp.exports_dir == tmp_path / "root" / "exports"
    assert not (tmp_path / "root").exists()


def test_ensure_creates_root_and_log_dir(tmp_path: Path) -> None:
    dp = DataPaths(tmp_path / "root")
    assert dp.ensure() is dp
    assert dp.root.is_dir()
    assert dp.log_dir.is_dir()
    assert not dp.exports_dir.exists()
    dp.ensure()  # idempotent
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(dp.log_dir).st_mode) == 0o700


def test_data_paths_is_frozen(tmp_path: Path) -> None:
    dp = DataPaths(tmp_path)
    with pytest.raises(AttributeError):
        dp.root = tmp_path / "other"  # type: ignore[misc]
