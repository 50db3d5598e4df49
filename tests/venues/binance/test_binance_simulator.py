"""The Binance simulator keeps Binance's documented rules and holds the traps it promises."""

from __future__ import annotations

import json
import time
from collections import Counter

import requests
from binance_support import KEY, SECRET, running

from cryptact_desktop.venues.binance.simulator import SimAccount, generate_account, sign
from cryptact_desktop.venues.binance.simulator.account import CONVERT_ID_START, DUST_START_MS, TRADE_ID_START

DAY_MS = 86_400_000


def get(
    base_url: str, path: str, query: str = "", *, secret: str = SECRET, key: str = KEY, ts: int | None = None
) -> requests.Response:
    stamp = int(time.time() * 1000) if ts is None else ts
    total = (query + "&" if query else "") + f"timestamp={stamp}&recvWindow=5000"
    url = f"{base_url}{path}?{total}&signature={sign(secret, total)}"
    return requests.get(url, headers={"X-MBX-APIKEY": key}, timeout=10)


def code(response: requests.Response) -> int:
    return int(response.json()["code"])


def test_authentication_errors(tiny_account: SimAccount) -> None:
    with running(tiny_account) as sim:
        url = sim.base_url
        assert get(url, "/api/v3/account").status_code == 200
        assert code(get(url, "/api/v3/account", secret="WrongSecret000000000000000000000001")) == -1022
        stale = get(url, "/api/v3/account", ts=int(time.time() * 1000) - 30_000)
        assert (stale.status_code, code(stale)) == (400, -1021)
        ahead = get(url, "/api/v3/account", ts=int(time.time() * 1000) + 5_000)
        assert code(ahead) == -1021  # "1000ms ahead of the server's time"
        unknown = get(url, "/api/v3/account", key="UnknownKey000000000000000000000001")
        assert (unknown.status_code, code(unknown)) == (401, -2015)
        assert code(get(url, "/api/v3/account", key="bad key!")) == -2014
        unread = requests.get(f"{url}/api/v3/account?timestamp=1", headers={"X-MBX-APIKEY": KEY}, timeout=10)
        assert code(unread) == -1102  # no signature


def test_every_answer_carries_the_weight_used(tiny_account: SimAccount) -> None:
    with running(tiny_account) as sim:
        first = requests.get(f"{sim.base_url}/api/v3/exchangeInfo", timeout=10)
        second = get(sim.base_url, "/api/v3/account")
        assert (first.headers["X-MBX-USED-WEIGHT-1M"], second.headers["X-MBX-USED-WEIGHT-1M"]) == ("20", "40")
        deposits = get(sim.base_url, "/sapi/v1/capital/deposit/hisrec")
        assert deposits.headers["X-SAPI-USED-IP-WEIGHT-1M"] == "1"  # its own budget
        converts = get(
            sim.base_url,
            "/sapi/v1/convert/tradeFlow",
            f"startTime={int(time.time() * 1000) - DAY_MS}&endTime={int(time.time() * 1000)}",
        )
        assert converts.headers["X-SAPI-USED-UID-WEIGHT-1M"] == "3000"
        withdrawals = get(sim.base_url, "/sapi/v1/capital/withdraw/history")
        assert withdrawals.headers["X-SAPI-USED-IP-WEIGHT-1S"] == "18000"


def test_my_trades_rules(small_account: SimAccount) -> None:
    now = int(time.time() * 1000)
    with running(small_account) as sim:
        url = sim.base_url
        assert code(get(url, "/api/v3/myTrades", "symbol=LUNABUSD&fromId=0")) == -1121  # delisted
        assert code(get(url, "/api/v3/myTrades", "symbol=BTCUSDT&fromId=0&startTime=1")) == -1128
        assert (
            code(get(url, "/api/v3/myTrades", f"symbol=BTCUSDT&startTime={now - 2 * DAY_MS}&endTime={now}"))
            == -1127
        )
        assert code(get(url, "/api/v3/myTrades", "symbol=BTCUSDT&fromId=0&limit=1001")) == -1130
        page = get(url, "/api/v3/myTrades", "symbol=BTCUSDT&fromId=0&limit=1000").json()
        assert len(page) == 1000 and [t["id"] for t in page] == sorted(t["id"] for t in page)
        after = get(url, "/api/v3/myTrades", f"symbol=BTCUSDT&fromId={page[-1]['id'] + 1}&limit=1000").json()
        assert after and after[0]["id"] > page[-1]["id"]  # "trades >= that fromId"


def test_the_traps_are_in_the_account(small_account: SimAccount) -> None:
    account = small_account
    # Trade ids are unique only per symbol: every symbol counts from the same start.
    firsts = {symbol: trades.ids[0] for symbol, trades in account.trades.items()}
    assert len(set(firsts.values())) < len(firsts) and min(firsts.values()) > TRADE_ID_START
    # More than 1000 fills of one symbol within a day, four sharing each millisecond.
    btc = account.trades["BTCUSDT"]
    per_day = Counter(t // DAY_MS for t in btc.times)
    assert max(per_day.values()) > 1000
    assert max(Counter(btc.times).values()) == 4
    # Convert order ids above 2**53, written as bare JSON integers.
    assert all(r["orderId"] > 2**53 for r in account.converts.records)
    first = account.converts.records[0]["orderId"]
    assert first > CONVERT_ID_START and f'"orderId":{first},' in account.converts.json[0]
    assert int(float(first)) != first  # a client reading it as a float would lose its last digits
    # A fill's realised P&L and its commission share one tranId (different incomeType).
    by_tran = Counter((r["tranId"], r["incomeType"]) for r in account.income_usdm.records)
    trans = Counter(tran for tran, _ in by_tran)
    shared = [t for t, n in trans.items() if n > 1]
    assert shared and all(by_tran[(t, "REALIZED_PNL")] == by_tran[(t, "COMMISSION")] == 1 for t in shared)
    # DOT is named only by one early deposit; LUNA only by its deposit and the delisted pair.
    assert "DOTUSDT" in account.symbols and "LUNABUSD" not in account.symbols and "LUNABUSD" in account.trades
    assert [r["coin"] for r in account.deposits.records].count("DOT") == 1
    assert all(coin != "DOT" for coin, _ in account.held())


def test_lists_keep_their_windows_and_reach(small_account: SimAccount) -> None:
    now = int(time.time() * 1000)
    with running(small_account) as sim:
        url = sim.base_url
        assert (
            code(get(url, "/sapi/v1/capital/deposit/hisrec", f"startTime={now - 90 * DAY_MS}&endTime={now}"))
            == -1127
        )
        newest = get(
            url, "/sapi/v1/capital/deposit/hisrec", f"startTime={now - 89 * DAY_MS}&endTime={now}"
        ).json()
        assert [d["insertTime"] for d in newest] == sorted((d["insertTime"] for d in newest), reverse=True)
        assert (
            code(get(url, "/sapi/v1/convert/tradeFlow", f"startTime={now - 31 * DAY_MS}&endTime={now}"))
            == -1127
        )
        assert code(get(url, "/sapi/v1/convert/tradeFlow", f"startTime={now - DAY_MS}")) == -1102
        flow = get(url, "/sapi/v1/convert/tradeFlow", f"startTime={now - 30 * DAY_MS}&endTime={now}&limit=1")
        body = json.loads(flow.text)
        if (
            small_account.converts.span(now - 30 * DAY_MS, now)[1]
            - small_account.converts.span(now - 30 * DAY_MS, now)[0]
            > 1
        ):
            assert body["moreData"] is True
        old = small_account.transfers
        transfers = []
        for kind in old:
            transfers += get(
                url,
                "/sapi/v1/asset/transfer",
                f"type={kind}&startTime={now - 400 * DAY_MS}&endTime={now}&size=100",
            ).json()["rows"]
        assert (
            transfers and min(t["timestamp"] for t in transfers) >= now - 180 * DAY_MS
        )  # "last 6 months only"
        income = get(
            url, "/fapi/v1/income", f"startTime={now - 365 * DAY_MS}&endTime={now}&limit=1000"
        ).json()
        assert income and min(r["time"] for r in income) >= now - 90 * DAY_MS  # "last three months"
        assert code(get(url, "/dapi/v1/income", f"startTime={now - 400 * DAY_MS}&endTime={now}")) == -1127
        earn = get(
            url,
            "/sapi/v1/simple-earn/flexible/history/rewardsRecord",
            f"type=REALTIME&startTime={now - 120 * DAY_MS}&endTime={now}",
        )
        assert code(earn) == -1127  # "cannot be longer than 3 months"
        fiat = get(
            url, "/sapi/v1/fiat/orders", f"transactionType=0&beginTime={now - 400 * DAY_MS}&endTime={now}"
        ).json()
        assert fiat["code"] == "000000" and fiat["success"] is True and fiat["total"] == len(fiat["data"])


def test_the_dust_log_gives_the_last_hundred_after_december_2020() -> None:
    account = generate_account(seed=3, size="medium")
    with running(account) as sim:
        body = get(sim.base_url, "/sapi/v1/asset/dribblet").json()
        assert body["total"] == len(account.dust)
        got = body["userAssetDribblets"]
        assert len(got) == min(100, len(account.dust))
        assert all(d["operateTime"] >= DUST_START_MS for d in got)
        assert [d["operateTime"] for d in got] == sorted(d["operateTime"] for d in got)
