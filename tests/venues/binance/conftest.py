"""Fixtures of the Binance tests (helpers in ``binance_support``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from binance_support import SCALE
from exchange_support import services

from cryptact_desktop.service import AppService
from cryptact_desktop.venues.binance.simulator import SimAccount, generate_account


@pytest.fixture(scope="session")
def small_account() -> SimAccount:
    return generate_account(seed=11, size="small")


@pytest.fixture(scope="session")
def tiny_account() -> SimAccount:
    return generate_account(seed=12, size="tiny")


@pytest.fixture
def service_factory(tmp_path: Path) -> Iterator[Callable[..., AppService]]:
    with services(tmp_path, SCALE) as make:
        yield make
