"""Binance request signing and key verification: the docs' vectors, the signed URL, apiRestrictions."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from binance_support import KEY, SECRET, running

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.sync.rest import Request
from cryptact_desktop.venues.binance.catalogue import BINANCE
from cryptact_desktop.venues.binance.connector import BinanceConnector, verification
from cryptact_desktop.venues.binance.harness import BinanceHarness
from cryptact_desktop.venues.binance.simulator import SimAccount, SimulatedKey

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_docs_vectors_hold_in_client_and_simulator() -> None:
    vectors = BinanceHarness().signature_vectors()
    assert len(vectors) == 2
    for vector in vectors:
        assert vector.client() == vector.expected == vector.simulator()


def test_the_connector_signs_the_exact_query_and_puts_the_signature_last() -> None:
    connector = BinanceConnector(Credentials(KEY, SECRET), "http://127.0.0.1:8123")
    request = Request("GET", "/api/v3/myTrades", (("symbol", "BNBBTC"), ("fromId", "0"), ("limit", "1000")))
    url = "http://127.0.0.1:8123/api/v3/myTrades?symbol=BNBBTC&fromId=0&limit=1000"
    prepared = connector.sign(request, url, 1_700_000_000_123)
    base, _, query = prepared.url.partition("?")
    assert base == "http://127.0.0.1:8123/api/v3/myTrades"
    total, _, signature = query.rpartition("&signature=")
    assert total == "symbol=BNBBTC&fromId=0&limit=1000&timestamp=1700000000123&recvWindow=10000"
    assert signature == hmac.new(SECRET.encode(), total.encode(), hashlib.sha256).hexdigest()
    assert dict(prepared.headers) == {"X-MBX-APIKEY": KEY}
    assert SECRET not in repr(connector) and SECRET not in prepared.url


def test_futures_requests_go_to_the_futures_hosts_only_on_binances_own_hosts() -> None:
    official = BinanceConnector(Credentials(KEY, SECRET), "https://api.binance.com")
    assert official.base_url_for(Request("GET", "/fapi/v1/income")) == "https://fapi.binance.com"
    assert official.base_url_for(Request("GET", "/dapi/v1/income")) == "https://dapi.binance.com"
    assert official.base_url_for(Request("GET", "/sapi/v1/asset/transfer")) == "https://api.binance.com"
    local = BinanceConnector(Credentials(KEY, SECRET), "http://127.0.0.1:8123")
    assert local.base_url_for(Request("GET", "/fapi/v1/income")) == "http://127.0.0.1:8123"


def test_binance_japan_keys_use_binances_own_api() -> None:
    # Binance Japan accounts make their keys on Binance's API-management page; no separate API.
    assert BINANCE.host("japan").base_url == BINANCE.default_host.base_url == "https://api.binance.com"
    assert "Japan" in BINANCE.host("japan").label


def test_the_docs_example_key_is_read_only() -> None:
    flags = json.loads((FIXTURES / "apiRestrictions.json").read_text())
    checked = verification(flags)
    assert checked.valid and checked.read_only is True and checked.warnings == ()
    assert checked.ip_restricted is False
    assert "enableReading" in checked.permissions


def test_a_key_that_can_trade_or_withdraw_is_warned_about() -> None:
    checked = verification(
        {"enableReading": True, "enableSpotAndMarginTrading": True, "enableWithdrawals": True}
    )
    assert checked.read_only is False
    (warning,) = checked.warnings
    assert "trade spot and margin" in warning and "withdraw funds" in warning and "Enable Reading" in warning
    blind = verification({"enableReading": False, "ipRestrict": True})
    assert any("cannot read" in w for w in blind.warnings)
    assert blind.ip_restricted is True and blind.notes


def test_verify_key_asks_api_restrictions(tiny_account: SimAccount) -> None:
    key = SimulatedKey(KEY, SECRET, "a", trading=True)
    with running(tiny_account, key) as sim:
        connector = BinanceConnector(Credentials(KEY, SECRET), sim.base_url, rate_limit_scale=50)
        checked = connector.verify_key()
        (entry,) = sim.simulator.request_log
    assert checked.read_only is False and checked.warnings
    assert entry.path == "/sapi/v1/account/apiRestrictions"
    assert {"timestamp", "recvWindow", "signature"} <= set(entry.query)
    assert entry.http_status == 200
