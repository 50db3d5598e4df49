"""A Bybit connector told a small per-IP limit, as a module-level factory a sync's child process
can import (``AppService(connector_factory=partial(ip_limited, speed, limit))``)."""

from __future__ import annotations

from dataclasses import replace

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.venues.base import RateLimit
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.connector import BybitConnector


def ip_limited(
    speed: float, ip_limit: int, exchange: str, host_id: str, base_url: str, credentials: Credentials
) -> BybitConnector:
    class Connector(BybitConnector):
        info = replace(BYBIT, ip_rate_limit=RateLimit(ip_limit, 1))

    return Connector(credentials, base_url, rate_limit_scale=speed)
