"""Helpers of the bitFlyer tests: a simulated account behind a local server, a key, a service."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import exchange_support
from exchange_support import Running

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.service import AppService
from cryptact_desktop.venues.bitflyer.catalogue import BITFLYER
from cryptact_desktop.venues.bitflyer.simulator import BitflyerSimulator, SimAccount, SimulatedKey

KEY = "TESTBITFLYERKEY01"
SECRET = "TEST-BITFLYER-SECRET-0123456789abcdef="
SCALE = 50.0
ENDPOINTS = tuple(e.id for e in BITFLYER.endpoints)


def running(
    account: SimAccount, key: SimulatedKey | None = None, **options: Any
) -> AbstractContextManager[Running[BitflyerSimulator, SimAccount]]:
    key = key or SimulatedKey(KEY, SECRET, exchange_support.ACCOUNT)
    return exchange_support.serving(BitflyerSimulator, account, key, SCALE, **options)


def add_key(
    service: AppService, base_url: str, *, secret: str = SECRET, endpoints: tuple[str, ...] = ENDPOINTS
) -> int:
    return exchange_support.add_key(service, "bitflyer", base_url, Credentials(KEY, secret), endpoints)
