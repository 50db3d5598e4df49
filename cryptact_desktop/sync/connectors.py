"""Build the right connector for a key: exchange id → connector class, host id → base URL."""

from __future__ import annotations

from cryptact_desktop.secrets import Credentials
from cryptact_desktop.sync.bybit import BybitConnector
from cryptact_desktop.sync.catalogue import ExchangeInfo, RateLimit, exchange
from cryptact_desktop.sync.connector import Connector

CUSTOM_HOST = "custom"


def base_url_for(info: ExchangeInfo, host_id: str, custom_url: str = "") -> str:
    """The API base URL of ``host_id``; ``custom`` (advanced use, e.g. a simulator) takes ``custom_url``."""
    if host_id == CUSTOM_HOST:
        url = custom_url.strip().rstrip("/")
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost", "http://[::1]")):
            raise ValueError("a custom API URL must use https:// (plain http only on this computer)")
        return url
    return info.host(host_id).base_url


def make_connector(
    exchange_id: str,
    host_id: str,
    custom_url: str,
    credentials: Credentials,
    *,
    ip_limit: RateLimit | None = None,
) -> Connector:
    """``ip_limit`` overrides the exchange's per-IP request limit (for simulators run with other
    limits than the real exchange; the real limit is the default)."""
    info = exchange(exchange_id)
    url = base_url_for(info, host_id, custom_url)
    if info.id == "bybit":
        return BybitConnector(credentials, url, ip_limit=ip_limit)
    raise KeyError(f"no connector for {exchange_id!r}")
