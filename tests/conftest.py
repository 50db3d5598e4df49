"""Shared fixtures. Tests never touch the internet: simulators bind 127.0.0.1 only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cryptact_desktop.memory_keyring import MemoryKeyring  # noqa: E402
from cryptact_desktop.secrets import SecretStore  # noqa: E402
from cryptact_desktop.store import Store  # noqa: E402


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "test.db")
    yield db
    db.close()


@pytest.fixture
def secret_store() -> SecretStore:
    return SecretStore(MemoryKeyring())
