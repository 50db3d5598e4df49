"""Tests of the bitFlyer simulator itself, with plain ``requests`` + ``hmac`` (not our client)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from cryptact_desktop.simulator.activity import Fill
from cryptact_desktop.venues.bitflyer.simulator import (
    DESK_ORDER_PREFIX,
    READ_PATHS,
    TRADE_PATHS,
    BitflyerSimulator,
    Fault,
    FaultPlan,
    SimAccount,
    SimulatedKey,
    demo_setup,
    generate_account,
)
from cryptact_desktop.venues.bitflyer.simulator.__main__ import main

KEY = "SIMKEYBITFLYER01"
SECRET = "SIMSECRETBITFLYER0123456789abcdef="


class Client:
    """A minimal hand-written client: sign exactly the path and query that are sent."""

    def __init__(self, base_url: str, key: str = KEY, secret: str = SECRET) -> None:
        self.base_url = base_url
        self.key = key
        self.secret = secret
        self.session = requests.Session()

    def get(
        self,
        path_and_query: str,
        *,
        ts: str | None = None,
        signed_path: str | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        stamp = ts if ts is not None else str(int(time.time()))
        text = f"{stamp}GET{signed_path if signed_path is not None else path_and_query}"
        signature = hmac.new((secret or self.secret).encode(), text.encode(), hashlib.sha256).hexdigest()
        sent = {"ACCESS-KEY": self.key, "ACCESS-TIMESTAMP": stamp, "ACCESS-SIGN": signature}
        sent.update(headers or {})
        return self.session.get(self.base_url + path_and_query, headers=sent, timeout=10)

    def json(self, path_and_query: str) -> Any:
        response = self.get(path_and_query)
        assert response.status_code == 200, response.text
        return json.loads(response.text, parse_float=Decimal)


@pytest.fixture(scope="module")
def account() -> SimAccount:
    return generate_account(seed=5, size="small")


@pytest.fixture
def sim(account: SimAccount) -> Iterator[BitflyerSimulator]:
    simulator = BitflyerSimulator({"a": account}, [SimulatedKey(KEY, SECRET, "a")], rate_limit_scale=20)
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def client(sim: BitflyerSimulator) -> Client:
    return Client(sim.base_url)


def error(response: requests.Response) -> tuple[int, int, str]:
    body = response.json()
    assert set(body) == {"status", "error_message", "data"} and body["data"] is None
    return response.status_code, body["status"], body["error_message"]


# ---------------------------------------------------------------------------------- auth


def test_auth_refusals(client: Client) -> None:
    assert client.get("/v1/me/getbalance").status_code == 200
    assert error(client.get("/v1/me/getbalance", secret="WRONG")) == (401, -500, "Invalid signature")
    assert error(Client(client.base_url, key="NOSUCHKEY0").get("/v1/me/getbalance"))[:2] == (401, -500)
    assert error(client.get("/v1/me/getbalance", headers={"ACCESS-KEY": ""})) == (
        401,
        -500,
        "ACCESS-KEY header is required",
    )
    stale = str(int(time.time()) - 120)
    assert "TIMESTAMP" in error(client.get("/v1/me/getbalance", ts=stale))[2]
    # milliseconds are refused, a decimal fraction of a second is fine
    assert error(client.get("/v1/me/getbalance", ts=str(int(time.time() * 1000))))[0] == 401
    assert client.get("/v1/me/getbalance", ts=f"{time.time():.3f}").status_code == 200


def test_the_signature_covers_the_exact_query(client: Client) -> None:
    sent = "/v1/me/getexecutions?product_code=ETH_JPY&count=5"
    assert client.get(sent).status_code == 200
    assert error(client.get(sent, signed_path="/v1/me/getexecutions"))[2] == "Invalid signature"
    assert error(client.get(sent, signed_path="/v1/me/getexecutions?count=5&product_code=ETH_JPY"))[0] == 401


def test_permissions(account: SimAccount) -> None:
    key = SimulatedKey(KEY, SECRET, "a", tuple(p for p in READ_PATHS if p != "/v1/me/getcoinins"))
    trader = SimulatedKey("TRADERKEY0001", SECRET, "a", READ_PATHS + TRADE_PATHS)
    with BitflyerSimulator({"a": account}, [key, trader]) as sim:
        client = Client(sim.base_url)
        assert error(client.get("/v1/me/getcoinins")) == (403, -500, "Permission denied")
        assert client.get("/v1/me/getcoinouts").status_code == 200
        listed = client.json("/v1/me/getpermissions")
        assert "/v1/me/getcoinins" not in listed and "/v1/me/getcoinouts" in listed
        assert set(TRADE_PATHS) <= set(
            Client(sim.base_url, key="TRADERKEY0001").json("/v1/me/getpermissions")
        )


# ---------------------------------------------------------------------------------- lists


def test_paging_newest_first_with_before_after_and_count(client: Client, account: SimAccount) -> None:
    ids = [int(r["id"]) for r in account.balance_history["JPY"].records][::-1]  # newest first
    assert len(ids) > 120
    assert [r["id"] for r in client.json("/v1/me/getbalancehistory")] == ids[:100]  # JPY, count 100
    assert [r["id"] for r in client.json("/v1/me/getbalancehistory?currency_code=JPY&count=7")] == ids[:7]
    page = client.json(f"/v1/me/getbalancehistory?currency_code=JPY&count=5&before={ids[9]}")
    assert [r["id"] for r in page] == ids[10:15]
    page = client.json(f"/v1/me/getbalancehistory?currency_code=JPY&count=5&after={ids[3]}")
    assert [r["id"] for r in page] == ids[:3]  # the newest, not the ones right after ``after``
    page = client.json(f"/v1/me/getbalancehistory?currency_code=JPY&count=3&before={ids[2]}&after={ids[9]}")
    assert [r["id"] for r in page] == ids[3:6]
    assert client.json(f"/v1/me/getbalancehistory?currency_code=JPY&before={ids[-1]}") == []


def test_count_is_capped_at_500() -> None:
    account = generate_account(seed=6, size="small")
    records = account.balance_history["JPY"]
    for _ in range(3):  # enough rows for more than one page of 500
        for record, ms in list(zip(records.records, records.times_ms, strict=True)):
            records.add({**record, "id": int(records.records[-1]["id"]) + 1}, ms)
    with BitflyerSimulator({"a": account}, [SimulatedKey(KEY, SECRET, "a")]) as sim:
        client = Client(sim.base_url)
        assert len(client.json("/v1/me/getbalancehistory?currency_code=JPY&count=10000")) == 500


def test_parameter_errors(client: Client) -> None:
    assert error(client.get("/v1/me/getexecutions?count=abc"))[:2] == (400, -1)
    assert error(client.get("/v1/me/getexecutions?count=0"))[:2] == (400, -1)
    assert error(client.get("/v1/me/getexecutions?before=-5"))[:2] == (400, -1)
    assert error(client.get("/v1/me/getexecutions?count=5&count=6"))[:2] == (400, -1)
    assert error(client.get("/v1/me/getcoinins?currency_code=BTC"))[:2] == (400, -1)
    assert error(client.get("/v1/me/getexecutions?product_code=btc_jpy"))[:2] == (400, -1)
    assert client.get("/v1/me/nosuchthing").status_code == 404


def test_record_shapes(client: Client, account: SimAccount) -> None:
    execution = client.json("/v1/me/getexecutions?count=1")[0]  # product_code defaults to BTC_JPY
    assert set(execution) == {
        "id",
        "child_order_id",
        "side",
        "price",
        "size",
        "commission",
        "exec_date",
        "child_order_acceptance_id",
    }
    assert execution["child_order_id"].startswith("JOR") and "Z" not in execution["exec_date"]
    row = client.json("/v1/me/getbalancehistory?currency_code=BTC&count=1")[0]
    assert set(row) == {
        "id",
        "trade_date",
        "event_date",
        "product_code",
        "currency_code",
        "trade_type",
        "price",
        "amount",
        "quantity",
        "commission",
        "balance",
        "order_id",
    }
    out = client.json("/v1/me/getcoinouts?count=1")[0]
    assert {"fee", "additional_fee", "tx_hash", "order_id", "status"} <= set(out)
    assert len(out["tx_hash"]) == 64 and out["order_id"].startswith("CWD")
    # numbers are plain JSON numbers with their exact digits, never strings or exponents
    raw = client.get("/v1/me/getcoinouts?count=1").text
    assert '"amount":' in raw and "E-" not in raw and "e-" not in raw


def test_markets_balances_and_the_delisted_pair(client: Client, account: SimAccount) -> None:
    codes = {m["product_code"] for m in client.json("/v1/getmarkets")}
    assert {"BTC_JPY", "FX_BTC_JPY", "ETH_BTC"} <= codes
    assert "LTC_BTC" not in codes and "LSK_JPY" not in codes  # delisted / retail desk only
    assert account.executions["LTC_BTC"].records  # ...but its old fills are still there
    assert {m["product_code"] for m in client.json("/v1/getmarkets/usa")} >= {"BTC_USD"}
    assert {m["product_code"] for m in client.json("/v1/getmarkets/eu")} >= {"BTC_EUR"}
    currencies = {b["currency_code"] for b in client.json("/v1/me/getbalance")}
    assert {"JPY", "BTC", "LSK"} <= currencies and "LTC" not in currencies
    assert client.json("/v1/gethealth") == {"status": "NORMAL"}


def test_retail_desk_trades_are_only_in_the_balance_history(account: SimAccount) -> None:
    desk = [e for e in account.activity.events if isinstance(e, Fill) and e.channel == "desk"]
    assert desk
    order_ids = {account.order_ids[f.seq] for f in desk}
    assert all(o.startswith(DESK_ORDER_PREFIX) for o in order_ids)
    ledger_orders = {r["order_id"] for rs in account.balance_history.values() for r in rs.records}
    execution_orders = {r["child_order_id"] for rs in account.executions.values() for r in rs.records}
    assert order_ids <= ledger_orders and not order_ids & execution_orders
    for fill in desk:  # one row in each currency of the pair
        rows = [
            r
            for rs in account.balance_history.values()
            for r in rs.records
            if r["order_id"] == account.order_ids[fill.seq]
        ]
        assert sorted(r["currency_code"] for r in rows) == sorted((fill.market.base, fill.market.quote))


def test_determinism() -> None:
    now = 1_780_000_000_000
    a = generate_account(seed=9, size="small", now_ms=now)
    b = generate_account(seed=9, size="small", now_ms=now)
    assert {k: v.records for k, v in a.lists().items()} == {k: v.records for k, v in b.lists().items()}
    c = generate_account(seed=10, size="small", now_ms=now)
    assert {k: v.records for k, v in a.lists().items()} != {k: v.records for k, v in c.lists().items()}


def test_sizes() -> None:
    assert generate_account(seed=1, size="tiny").record_count() < generate_account(seed=1).record_count()
    with pytest.raises(ValueError):
        generate_account(seed=1, size="huge")


# ---------------------------------------------------------------------------------- limits


def test_private_limit_headers_lockout_and_lowered_limit(account: SimAccount) -> None:
    scale = 10 / 500  # 10 private requests per 5 minutes
    with BitflyerSimulator(
        {"a": account},
        [SimulatedKey(KEY, SECRET, "a")],
        rate_limit_scale=scale,
        lockout_seconds=60 * scale,  # 1.2 s
        penalty_seconds=600 * scale,
        ip_rate_limit_scale=1.0,
    ) as sim:
        client = Client(sim.base_url)
        remaining = []
        for _ in range(10):
            response = client.get("/v1/me/getbalance")
            assert response.status_code == 200
            assert response.headers["X-RateLimit-Period"] == "300"
            remaining.append(int(response.headers["X-RateLimit-Remaining"]))
        assert remaining == list(range(9, -1, -1))
        reset = int(response.headers["X-RateLimit-Reset"])
        assert reset >= time.time() + 200  # the budget frees up when the first request leaves the window
        refused = client.get("/v1/me/getbalance")
        assert error(refused)[:2] == (429, -1) and sim.lockouts == 1
        assert refused.headers["X-RateLimit-Remaining"] == "0"
        assert client.get("/v1/me/getbalance").status_code == 429  # blocked, not counted again
        assert sim.lockouts == 1
        assert sim.private_limit(KEY, time.monotonic()) == 5  # "temporarily decreased"


def test_ip_limit(account: SimAccount) -> None:
    with BitflyerSimulator({"a": account}, [SimulatedKey(KEY, SECRET, "a")], rate_limit_scale=4 / 500) as sim:
        client = Client(sim.base_url)
        statuses = [client.get("/v1/getmarkets").status_code for _ in range(6)]
        assert statuses[:4] == [200] * 4 and statuses[4:] == [429, 429]


# ---------------------------------------------------------------------------------- faults


def test_faults(account: SimAccount) -> None:
    plan = FaultPlan(
        [
            Fault(path="/v1/me/getcoinins", kind="malformed_json", at=(1,)),
            Fault(path="/v1/me/getcoinouts", kind="ret_code", ret_code=-2, at=(1,)),
            Fault(path="/v1/me/getdeposits", kind="rate_limit_storm", at=(1,)),
            Fault(path="/v1/me/getwithdrawals", kind="http_502", at=(1,)),
            Fault(path="/v1/me/getcollateralhistory", kind="drop", at=(1,)),
        ]
    )
    with BitflyerSimulator({"a": account}, [SimulatedKey(KEY, SECRET, "a")], faults=plan) as sim:
        client = Client(sim.base_url)
        broken = client.get("/v1/me/getcoinins")
        assert broken.status_code == 200
        with pytest.raises(ValueError):
            json.loads(broken.text)
        assert error(client.get("/v1/me/getcoinouts"))[:2] == (400, -2)
        storm = client.get("/v1/me/getdeposits")
        assert storm.status_code == 429 and storm.headers["X-RateLimit-Remaining"] == "0"
        assert client.get("/v1/me/getwithdrawals").status_code == 502
        with pytest.raises(requests.ConnectionError):
            client.get("/v1/me/getcollateralhistory")
        for path in (
            "/v1/me/getcoinins",
            "/v1/me/getcoinouts",
            "/v1/me/getdeposits",
            "/v1/me/getwithdrawals",
        ):
            assert client.get(path).status_code == 200  # each fault hit once
        assert plan.hits() == [1, 1, 1, 1, 1]
        logged = [(e.path, e.http_status) for e in sim.request_log]
        assert ("/v1/me/getcollateralhistory", 0) in logged


def test_binds_loopback_only(sim: BitflyerSimulator) -> None:
    assert sim.address[0] == "127.0.0.1"


# ---------------------------------------------------------------------------------- demo, serve


def test_demo_setup() -> None:
    sim, entries = demo_setup(speed=10)
    with sim:
        (_, good_key, good_secret), (_, bad_key, bad_secret) = entries
        assert Client(sim.base_url, good_key, good_secret).get("/v1/me/getbalance").status_code == 200
        assert (
            error(Client(sim.base_url, bad_key, bad_secret).get("/v1/me/getbalance"))[2]
            == "Invalid signature"
        )


def test_main_prints_url_key_and_secret_and_stops(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    done: list[int] = []
    thread = threading.Thread(target=lambda: done.append(main(["--size", "tiny"], stop)))
    thread.start()
    deadline = time.monotonic() + 30
    out = ""
    while "Ctrl-C" not in out and time.monotonic() < deadline:
        time.sleep(0.05)
        out += capsys.readouterr().out
    stop.set()
    thread.join(timeout=10)
    assert done == [0]
    assert "http://127.0.0.1:" in out
    assert "api key: SIMBITFLYERKEY01" in out and "secret:  SIMULATOR_BITFLYER_SECRET" in out
