"""Helpers of the Binance tests: a simulated account behind a local server, a key, a service."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import exchange_support
from exchange_support import Running

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.service import AppService
from cryptact_desktop.venues.binance.catalogue import BINANCE
from cryptact_desktop.venues.binance.simulator import BinanceSimulator, SimAccount, SimulatedKey

KEY = "TestBinanceKey0000000000000000000000000000000000000000000000001"
SECRET = "TestBinanceSecret00000000000000000000000000000000000000000001"
SCALE = 50.0
ENDPOINTS = tuple(e.id for e in BINANCE.endpoints)


def running(
    account: SimAccount, key: SimulatedKey | None = None, **options: Any
) -> AbstractContextManager[Running[BinanceSimulator, SimAccount]]:
    key = key or SimulatedKey(KEY, SECRET, exchange_support.ACCOUNT)
    return exchange_support.serving(BinanceSimulator, account, key, SCALE, **options)


def add_key(
    service: AppService,
    base_url: str,
    *,
    secret: str = SECRET,
    endpoints: tuple[str, ...] = ENDPOINTS,
    sync_from_ms: int | None = None,
    api_key: str = KEY,
) -> int:
    credentials = Credentials(api_key, secret)
    return exchange_support.add_key(service, "binance", base_url, credentials, endpoints, sync_from_ms)
