"""Tests of the Bybit V5 simulator itself, with plain ``requests`` + ``hmac`` (not our client)."""

from __future__ import annotations

import base64
import collections
import hashlib
import hmac
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from cryptact_desktop.venues.bybit.simulator import (
    STREAM_IDS,
    BybitSimulator,
    Fault,
    FaultPlan,
    RequestLogEntry,
    SimAccount,
    SimulatedKey,
    demo_setup,
    generate_account,
)
from cryptact_desktop.venues.bybit.simulator.__main__ import main

DAY = 86_400_000
HOUR = 3_600_000
# Local test vectors of the Bybit notes §1.3.
KEY = "SIMKEY0001"
SECRET = "SIMULATOR_TEST_SECRET_0123456789abcdef"
UID = 100001
DECIMAL = re.compile(r"^-?(0|[1-9]\d*)(\.\d*[1-9])?$")


def hmac_sign(secret: str, ts: str, key: str, recv: str, payload: str) -> str:
    return hmac.new(secret.encode(), f"{ts}{key}{recv}{payload}".encode(), hashlib.sha256).hexdigest()


def now_ms() -> int:
    return int(time.time() * 1000)


class Client:
    """A minimal hand-written V5 client: sign exactly the query string that is sent."""

    def __init__(self, base_url: str, key: str = KEY, secret: str = SECRET) -> None:
        self.base_url = base_url
        self.key = key
        self.secret = secret
        self.session = requests.Session()

    @staticmethod
    def qs(params: list[tuple[str, Any]]) -> str:
        return "&".join(f"{k}={v}" for k, v in params)

    def get(
        self,
        path: str,
        params: list[tuple[str, Any]] | None = None,
        *,
        raw_qs: str | None = None,
        ts: int | None = None,
        recv: str | None = "5000",
        sign_recv: str | None = None,
        secret: str | None = None,
        drop: tuple[str, ...] = (),
    ) -> requests.Response:
        qs = raw_qs if raw_qs is not None else self.qs(params or [])
        stamp = str(now_ms() if ts is None else ts)
        signed_recv = recv if sign_recv is None else sign_recv
        headers = {
            "X-BAPI-API-KEY": self.key,
            "X-BAPI-TIMESTAMP": stamp,
            "X-BAPI-SIGN": hmac_sign(secret or self.secret, stamp, self.key, signed_recv or "", qs),
            "X-BAPI-SIGN-TYPE": "2",
        }
        if recv is not None:
            headers["X-BAPI-RECV-WINDOW"] = recv
        for name in drop:
            headers.pop(name)
        return self.session.get(self.base_url + path + (f"?{qs}" if qs else ""), headers=headers, timeout=10)

    def ok(self, path: str, params: list[tuple[str, Any]] | None = None, **kw: Any) -> dict[str, Any]:
        r = self.get(path, params, **kw)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        assert body["retCode"] == 0, body
        return body

    def code(self, path: str, params: list[tuple[str, Any]] | None = None, **kw: Any) -> tuple[int, str]:
        r = self.get(path, params, **kw)
        body = r.json()
        return body["retCode"], body["retMsg"]


# stream -> (path, fixed params, window ms, second granular, max limit, list key)
WALK: dict[str, tuple[str, list[tuple[str, Any]], int, bool, int, str]] = {
    "execution_spot": ("/v5/execution/list", [("category", "spot")], 7 * DAY, False, 100, "list"),
    "execution_linear": ("/v5/execution/list", [("category", "linear")], 7 * DAY, False, 100, "list"),
    "execution_inverse": ("/v5/execution/list", [("category", "inverse")], 7 * DAY, False, 100, "list"),
    "execution_option": ("/v5/execution/list", [("category", "option")], 7 * DAY, False, 100, "list"),
    "transaction_log": (
        "/v5/account/transaction-log",
        [("accountType", "UNIFIED")],
        7 * DAY,
        False,
        50,
        "list",
    ),
    "deposit_onchain": ("/v5/asset/deposit/query-record", [], 30 * DAY, True, 50, "rows"),
    "deposit_internal": ("/v5/asset/deposit/query-internal-record", [], 30 * DAY, True, 50, "rows"),
    "withdrawal": ("/v5/asset/withdraw/query-record", [("withdrawType", 2)], 30 * DAY, True, 50, "rows"),
    "transfer_internal": ("/v5/asset/transfer/query-inter-transfer-list", [], 7 * DAY, True, 50, "list"),
    "transfer_universal": ("/v5/asset/transfer/query-universal-transfer-list", [], 7 * DAY, True, 50, "list"),
    "earn_yield_flexible": ("/v5/earn/yield", [("category", "FlexibleSaving")], 7 * DAY, False, 100, "list"),
    "earn_order_flexible": ("/v5/earn/order", [("category", "FlexibleSaving")], 7 * DAY, False, 100, "list"),
}


def walk(
    client: Client,
    stream: str,
    start: int,
    end: int,
    limit: int | None = None,
    extra: list[tuple[str, Any]] = (),
) -> list[list[dict[str, Any]]]:
    """Every page of every window from ``start`` to ``end`` (inclusive, adjacent windows)."""
    path, fixed, window, seconds, max_limit, key = WALK[stream]
    pages: list[list[dict[str, Any]]] = []
    a = start - start % 1000 if seconds else start
    while a <= end:
        b = min(a + window - 1, end)
        cursor = ""
        seen_cursors: set[str] = set()
        while True:
            params = [*fixed, *extra, ("startTime", a), ("endTime", b), ("limit", limit or max_limit)]
            if cursor:
                params.append(("cursor", cursor))
            result = client.ok(path, params)["result"]
            rows = result[key]
            pages.append(rows)
            cursor = result["nextPageCursor"]
            if not cursor or not rows:
                break
            assert cursor not in seen_cursors
            seen_cursors.add(cursor)
        a = b + 1
    return pages


def canon(records: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in records)


# --- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def walk_start() -> int:
    return now_ms() - 730 * DAY + DAY


@pytest.fixture(scope="module")
def account(walk_start: int) -> SimAccount:
    return generate_account(seed=1, size="small", uid=UID, edge_anchor_ms=walk_start)


@pytest.fixture(scope="module")
def sim(account: SimAccount) -> Iterator[BybitSimulator]:
    keys = [
        SimulatedKey(KEY, SECRET, UID),
        SimulatedKey("EXPIRED01", "s1", UID, expired=True),
        SimulatedKey("REGION01", "s2", UID, region_blocked=True),
        SimulatedKey("IPBOUND01", "s3", UID, ips=["10.1.2.3"]),
        SimulatedKey("IPLOCAL01", "s4", UID, ips=["127.0.0.1"]),
        SimulatedKey(
            "NOSPOT01", "s5", UID, permissions={"Spot": [], "ContractTrade": ["Order"], "Wallet": []}
        ),
        SimulatedKey("SUBKEY01", "s6", UID + 1, is_master=False, parent_uid=str(UID)),
    ]
    with BybitSimulator([account], keys, rate_limit_scale=1000, ip_limit=None) as s:
        yield s


@pytest.fixture
def client(sim: BybitSimulator) -> Client:
    return Client(sim.base_url)


def fresh(**kw: Any) -> BybitSimulator:
    acct = generate_account(seed=3, size="tiny", uid=UID)
    return BybitSimulator([acct], [SimulatedKey(KEY, SECRET, UID)], **kw)


# --- signing and authentication ------------------------------------------------------------------
def test_signature_vectors() -> None:
    qs = "category=spot&limit=100&startTime=1699395200000&endTime=1700000000000"
    assert hmac_sign(SECRET, "1700000000000", KEY, "5000", qs) == (
        "13c21b3cad6a04a3078a40fbb3ef4cd45c91ce52ec73020036e1b4212e75e5ad"
    )
    assert hmac_sign(SECRET, "1700000000000", KEY, "5000", "") == (
        "73c0903d2571115adf2196840f58e74c5e9651ac8cc6a48a765ab0e99025be64"
    )
    from cryptact_desktop.venues.bybit.simulator import sign

    assert sign(SECRET, "1700000000000", KEY, "5000", qs).startswith("13c21b3c")


def test_key_repr_hides_secret() -> None:
    key = SimulatedKey(KEY, SECRET, UID)
    assert SECRET not in repr(key) and KEY in repr(key)


def test_market_time_is_public_and_follows_clock_offset(sim: BybitSimulator) -> None:
    r = requests.get(sim.base_url + "/v5/market/time", timeout=5)
    body = r.json()
    assert r.status_code == 200 and body["retCode"] == 0 and body["retMsg"] == "OK"
    assert body["retExtInfo"] == {} and isinstance(body["time"], int)
    assert abs(int(body["result"]["timeNano"]) // 1_000_000 - now_ms()) < 2000
    assert body["result"]["timeSecond"] == str(int(body["result"]["timeNano"]) // 1_000_000_000)
    sim.clock_offset_ms = 3_600_000
    try:
        skewed = requests.get(sim.base_url + "/v5/market/time", timeout=5).json()
        assert abs(int(skewed["result"]["timeSecond"]) * 1000 - now_ms() - 3_600_000) < 3000
    finally:
        sim.clock_offset_ms = 0


def test_query_api(sim: BybitSimulator, client: Client) -> None:
    body = client.ok("/v5/user/query-api")
    assert body["retMsg"] == ""
    info = body["result"]
    assert info["apiKey"] == KEY and info["secret"] == "" and info["readOnly"] == 1
    assert (
        info["userID"] == UID and info["isMaster"] is True and info["parentUid"] == "0" and info["uta"] == 1
    )
    assert info["ips"] == ["*"] and 0 < info["deadlineDay"] <= 90
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", info["expiredAt"])
    assert all(
        info["permissions"][g] for g in ("Spot", "ContractTrade", "Options", "Wallet", "Exchange", "Earn")
    )
    bound = Client(sim.base_url, "IPLOCAL01", "s4").ok("/v5/user/query-api")["result"]
    assert bound["ips"] == ["127.0.0.1"] and bound["deadlineDay"] == -2
    sub = Client(sim.base_url, "SUBKEY01", "s6").ok("/v5/user/query-api")["result"]
    assert sub["isMaster"] is False and sub["parentUid"] == str(UID) and sub["userID"] == UID + 1


@pytest.mark.parametrize(
    ("key", "secret", "kwargs", "path", "params", "code"),
    [
        (KEY, SECRET, {"drop": ("X-BAPI-API-KEY",)}, "/v5/user/query-api", [], 10003),
        (KEY, SECRET, {"drop": ("X-BAPI-TIMESTAMP",)}, "/v5/user/query-api", [], 10003),
        (KEY, SECRET, {"drop": ("X-BAPI-SIGN",)}, "/v5/user/query-api", [], 10004),
        ("UNKNOWNKEY", SECRET, {}, "/v5/user/query-api", [], 10003),
        (KEY, "wrong-secret", {}, "/v5/user/query-api", [], 10004),
        ("EXPIRED01", "s1", {}, "/v5/user/query-api", [], 33004),
        ("REGION01", "s2", {}, "/v5/user/query-api", [], 10009),
        ("IPBOUND01", "s3", {}, "/v5/user/query-api", [], 10010),
        ("NOSPOT01", "s5", {}, "/v5/execution/list", [("category", "spot")], 10005),
        ("NOSPOT01", "s5", {}, "/v5/execution/list", [("category", "option")], 10005),
        ("NOSPOT01", "s5", {}, "/v5/asset/deposit/query-record", [], 10005),
        ("NOSPOT01", "s5", {}, "/v5/earn/yield", [("category", "FlexibleSaving")], 10005),
        ("NOSPOT01", "s5", {}, "/v5/asset/exchange/query-convert-history", [], 10005),
        ("SUBKEY01", "s6", {}, "/v5/asset/withdraw/query-record", [], 10005),
    ],
)
def test_auth_errors(
    sim: BybitSimulator,
    key: str,
    secret: str,
    kwargs: dict[str, Any],
    path: str,
    params: list[Any],
    code: int,
) -> None:
    got, msg = Client(sim.base_url, key, secret).code(path, params, **kwargs)
    assert got == code, msg
    if code == 10003:
        assert msg == "API key is invalid."
    if code == 10010:
        assert msg == "Unmatched IP, please check your API key's bound IP addresses."
    if code == 10005:
        assert msg == "Permission denied, please check your API key permissions."


def test_bad_signature_echoes_origin_without_secret(client: Client) -> None:
    code, msg = client.code("/v5/execution/list", [("category", "spot"), ("limit", 5)], secret="nope")
    assert code == 10004 and msg.startswith("error sign! origin_string[")
    assert "category=spot&limit=5]" in msg and SECRET not in msg and KEY not in msg


def test_signature_covers_raw_query_and_recv_window(client: Client) -> None:
    # Signed string differs from the sent one only in parameter order: rejected (no re-sorting).
    r = client.get("/v5/execution/list", raw_qs="limit=5&category=spot")
    assert r.json()["retCode"] == 0
    stamp = str(now_ms())
    headers = {
        "X-BAPI-API-KEY": KEY,
        "X-BAPI-TIMESTAMP": stamp,
        "X-BAPI-RECV-WINDOW": "5000",
        "X-BAPI-SIGN": hmac_sign(SECRET, stamp, KEY, "5000", "category=spot&limit=5"),
    }
    sent = requests.get(
        client.base_url + "/v5/execution/list?limit=5&category=spot", headers=headers, timeout=5
    )
    assert sent.json()["retCode"] == 10004
    # Without the recv-window header the signed string has no recv_window part.
    assert client.code("/v5/user/query-api", recv=None, sign_recv="")[0] == 0
    assert client.code("/v5/user/query-api", recv=None, sign_recv="5000")[0] == 10004
    # Uppercase hex is not what Bybit documents: rejected.
    stamp = str(now_ms())
    sig = hmac_sign(SECRET, stamp, KEY, "5000", "").upper()
    r = requests.get(
        client.base_url + "/v5/user/query-api",
        headers={
            "X-BAPI-API-KEY": KEY,
            "X-BAPI-TIMESTAMP": stamp,
            "X-BAPI-RECV-WINDOW": "5000",
            "X-BAPI-SIGN": sig,
        },
        timeout=5,
    )
    assert r.json()["retCode"] == 10004


def test_timestamp_window_edges() -> None:
    fixed_ms = 1_800_000_000_000
    with fresh(ip_limit=None) as sim:
        sim.clock_ns = lambda: fixed_ms * 1_000_000
        c = Client(sim.base_url)
        assert c.code("/v5/user/query-api", ts=fixed_ms - 5000)[0] == 0
        code, msg = c.code("/v5/user/query-api", ts=fixed_ms - 5001)
        assert code == 10002
        assert msg == (
            "invalid request, please check your server timestamp or recv_window param. "
            f"req_timestamp[{fixed_ms - 5001}],server_timestamp[{fixed_ms}],recv_window[5000]"
        )
        assert c.code("/v5/user/query-api", ts=fixed_ms + 999)[0] == 0
        assert c.code("/v5/user/query-api", ts=fixed_ms + 1000)[0] == 10002
        assert c.code("/v5/user/query-api", ts=fixed_ms - 20_000, recv="20000")[0] == 0
        assert c.code("/v5/user/query-api", ts=fixed_ms - 20_001, recv="20000")[0] == 10002
        assert (
            c.code("/v5/user/query-api", ts=fixed_ms - 5000, recv=None, sign_recv="")[0] == 0
        )  # default 5000
        assert c.code("/v5/user/query-api", ts=fixed_ms - 5001, recv=None, sign_recv="")[0] == 10002


# --- parameters, windows, depth -------------------------------------------------------------------
def test_parameter_errors(client: Client) -> None:
    now = now_ms()
    ex = "/v5/execution/list"
    cases: list[tuple[str, list[tuple[str, Any]], int]] = [
        (ex, [], 10001),  # category missing
        (ex, [("category", "futures")], 10001),
        (ex, [("category", "spot"), ("startTime", now - 7 * DAY - 1), ("endTime", now)], 10001),
        (ex, [("category", "spot"), ("startTime", now - 7 * DAY), ("endTime", now)], 0),
        (ex, [("category", "spot"), ("startTime", now), ("endTime", now - 1)], 10001),
        (ex, [("category", "spot"), ("limit", 0)], 10001),
        (ex, [("category", "spot"), ("limit", 101)], 10001),
        (ex, [("category", "spot"), ("limit", 100)], 0),
        (ex, [("category", "spot"), ("limit", "ten")], 10001),
        (ex, [("category", "spot"), ("execType", "Nope")], 10001),
        (ex, [("category", "spot"), ("startTime", now - 731 * DAY)], 10001),
        (ex, [("category", "spot"), ("startTime", now - 729 * DAY)], 0),
        (ex, [("category", "spot"), ("endTime", now - 725 * DAY)], 10001),  # implied start too old
        (ex, [("category", "spot"), ("limit", 5), ("limit", 6)], 10001),  # duplicate parameter
        ("/v5/account/transaction-log", [("limit", 51)], 10001),
        ("/v5/account/transaction-log", [("limit", 50)], 0),
        ("/v5/account/transaction-log", [("accountType", "CONTRACT")], 10001),
        ("/v5/account/transaction-log", [("startTime", now - 8 * DAY), ("endTime", now)], 10001),
        ("/v5/asset/deposit/query-record", [("startTime", now - 30 * DAY), ("endTime", now)], 10001),
        ("/v5/asset/deposit/query-record", [("startTime", now - 30 * DAY + 1), ("endTime", now)], 0),
        (
            "/v5/asset/deposit/query-record",
            [("startTime", now - 1500 * DAY), ("endTime", now - 1490 * DAY)],
            0,
        ),
        ("/v5/asset/deposit/query-record", [("limit", 51)], 10001),
        ("/v5/asset/withdraw/query-record", [("withdrawType", 3)], 10001),
        (
            "/v5/asset/transfer/query-inter-transfer-list",
            [("startTime", now - 7 * DAY - 1), ("endTime", now)],
            10001,
        ),
        ("/v5/asset/transfer/query-inter-transfer-list", [("startTime", now - 731 * DAY)], 10001),
        ("/v5/asset/exchange/query-convert-history", [("limit", 101)], 10001),
        ("/v5/asset/exchange/query-convert-history", [("index", 0)], 10001),
        ("/v5/earn/yield", [], 10001),  # category missing
        ("/v5/earn/yield", [("category", "FlexibleSaving"), ("startTime", now - 91 * DAY)], 10001),
        ("/v5/earn/yield", [("category", "FlexibleSaving"), ("startTime", now - 89 * DAY)], 0),
        ("/v5/earn/order", [("category", "FlexibleSaving"), ("startTime", now - 400 * DAY)], 0),
        ("/v5/earn/order", [("category", "OnChain")], 10001),
    ]
    for path, params, want in cases:
        code, msg = client.code(path, params)
        assert code == want, (path, params, msg)
    code, msg = client.code(ex, [("category", "spot"), ("startTime", now - 731 * DAY)])
    assert "730 days" in msg


def test_success_envelopes(client: Client) -> None:
    msgs = {
        "/v5/execution/list": ([("category", "linear")], "OK"),
        "/v5/account/transaction-log": ([], "OK"),
        "/v5/asset/deposit/query-record": ([], "success"),
        "/v5/asset/deposit/query-internal-record": ([], "success"),
        "/v5/asset/withdraw/query-record": ([], "success"),
        "/v5/asset/transfer/query-inter-transfer-list": ([], "success"),
        "/v5/asset/transfer/query-universal-transfer-list": ([], "success"),
        "/v5/asset/exchange/query-convert-history": ([], "ok"),
        "/v5/earn/yield": ([("category", "FlexibleSaving")], ""),
        "/v5/earn/order": ([("category", "FlexibleSaving")], ""),
    }
    for path, (params, msg) in msgs.items():
        body = client.ok(path, params)
        assert body["retMsg"] == msg and body["retExtInfo"] == {} and isinstance(body["time"], int), path
        assert set(body) == {"retCode", "retMsg", "result", "retExtInfo", "time"}


def test_http_level_rejections(sim: BybitSimulator, client: Client) -> None:
    r = requests.get(sim.base_url + "/v5/no/such/route", timeout=5)
    assert r.status_code == 404
    r = requests.post(sim.base_url + "/v5/execution/list", json={"category": "spot"}, timeout=5)
    assert r.status_code == 404
    stamp = str(now_ms())
    headers = {
        "X-BAPI-API-KEY": KEY,
        "X-BAPI-TIMESTAMP": stamp,
        "X-BAPI-RECV-WINDOW": "5000",
        "X-BAPI-SIGN": hmac_sign(SECRET, stamp, KEY, "5000", ""),
    }
    r = requests.get(sim.base_url + "/v5/user/query-api", headers=headers, data="{}", timeout=5)
    assert r.status_code == 403


def test_binds_loopback_only(sim: BybitSimulator) -> None:
    host, port = sim.address
    assert host == "127.0.0.1" and sim.base_url == f"http://127.0.0.1:{port}"
    with pytest.raises(OSError), socket.create_connection(("127.0.0.2", port), timeout=2):
        pass


# --- data served -------------------------------------------------------------------------------------
@pytest.mark.parametrize("stream", list(WALK))
def test_walk_reproduces_reachable(
    sim: BybitSimulator, client: Client, account: SimAccount, walk_start: int, stream: str
) -> None:
    server_now = sim.server_time_ms()
    depth = account.depth_days(stream)
    start = server_now - depth * DAY + DAY if depth is not None else account.now_ms - 1100 * DAY
    pages = walk(client, stream, start, server_now)
    got = [r for p in pages for r in p]
    want = account.reachable(stream, server_now)
    assert want, stream
    assert len({json.dumps(r, sort_keys=True) for r in got}) == len(got), "duplicates"
    assert canon(got) == canon(want)
    if depth is not None:
        assert len(account.records(stream)) > len(want) or stream.startswith("earn_order")
    if stream in ("execution_spot", "transaction_log"):
        field, _ = ("execTime", 1) if stream == "execution_spot" else ("transactionTime", 1)
        straddles = [
            i
            for i in range(len(pages) - 1)
            if pages[i] and pages[i + 1] and pages[i][-1][field] == pages[i + 1][0][field]
        ]
        assert straddles, "a tie group must straddle a page boundary"


def test_walk_convert_by_index(client: Client, account: SimAccount) -> None:
    got: list[dict[str, Any]] = []
    index = 1
    while True:
        rows = client.ok("/v5/asset/exchange/query-convert-history", [("index", index), ("limit", 7)])[
            "result"
        ]["list"]
        got += rows
        if len(rows) < 7:
            break
        index += 1
    assert got == account.records("convert") and index > 1
    assert [int(r["createdAt"]) for r in got] == sorted((int(r["createdAt"]) for r in got), reverse=True)


def test_tie_group_with_tiny_pages(client: Client, account: SimAccount) -> None:
    times = collections.Counter(r["execTime"] for r in account.records("execution_spot"))
    tie_time, size = times.most_common(1)[0]
    assert size >= 80
    t = int(tie_time)
    pages = walk(client, "execution_spot", t - 3 * DAY, t + 3 * DAY, limit=7)
    got = [r for p in pages for r in p]
    want = [r for r in account.records("execution_spot") if t - 3 * DAY <= int(r["execTime"]) <= t + 3 * DAY]
    assert got == want  # same order too: newest first, ties in one stable order
    assert len({r["execId"] for r in got}) == len(got)


def test_withdraw_type_default_hides_off_chain(client: Client, account: SimAccount) -> None:
    end = now_ms()
    start = account.now_ms - 1100 * DAY
    default = [r for p in walk(client, "withdrawal", start, end, extra=[]) for r in p]
    everything = account.records("withdrawal")
    assert {r["withdrawType"] for r in everything} == {0, 1}
    # walk() adds withdrawType=2 through WALK; ask again without it.
    path = "/v5/asset/withdraw/query-record"
    plain: list[dict[str, Any]] = []
    a = start
    while a <= end:
        b = min(a + 30 * DAY - 1, end)
        plain += client.ok(path, [("startTime", a), ("endTime", b)])["result"]["rows"]
        a = b + 1
    assert canon(default) == canon(everything)
    assert canon(plain) == canon([r for r in everything if r["withdrawType"] == 0])
    assert len(plain) < len(everything)


def test_cursor_shapes_and_validation(client: Client, account: SimAccount) -> None:
    times = collections.Counter(r["execTime"] for r in account.records("execution_spot"))
    t = int(times.most_common(1)[0][0])
    base = [("category", "spot"), ("startTime", t - DAY), ("endTime", t + DAY), ("limit", 10)]
    first = client.ok("/v5/execution/list", base)["result"]
    cursor = first["nextPageCursor"]
    assert "%3A" in cursor and "%2C" in cursor
    second = client.ok("/v5/execution/list", [*base, ("cursor", cursor)])["result"]["list"]
    assert second and second[0] != first["list"][0]
    # The decoded form and a doubly encoded form are the same cursor.
    decoded = cursor.replace("%3A", ":").replace("%2C", ",")
    assert client.ok("/v5/execution/list", [*base, ("cursor", decoded)])["result"]["list"] == second
    double = cursor.replace("%", "%25")
    assert client.ok("/v5/execution/list", [*base, ("cursor", double)])["result"]["list"] == second
    # Replayed with other parameters, or forged: 10001.
    other = [("category", "spot"), ("startTime", t - DAY + 1), ("endTime", t + DAY), ("limit", 10)]
    assert client.code("/v5/execution/list", [*other, ("cursor", cursor)])[0] == 10001
    assert client.code("/v5/execution/list", [*base, ("cursor", "abc")])[0] == 10001
    # Deposit-style cursors: base64 JSON, present even on a short last page, "" on an empty page.
    rows = account.records("deposit_onchain")
    t0 = int(rows[0]["successAt"])
    params = [("startTime", t0 - 29 * DAY), ("endTime", t0 + 1000), ("limit", 50)]
    page1 = client.ok("/v5/asset/deposit/query-record", params)["result"]
    assert 0 < len(page1["rows"]) < 50 and page1["nextPageCursor"]
    decoded_json = json.loads(base64.b64decode(page1["nextPageCursor"]))
    assert set(decoded_json) >= {"minID", "maxID"}
    page2 = client.ok("/v5/asset/deposit/query-record", [*params, ("cursor", page1["nextPageCursor"])])[
        "result"
    ]
    assert page2 == {"rows": [], "nextPageCursor": ""}
    assert client.code("/v5/asset/deposit/query-record", [*params, ("cursor", "eyJhIjoxfQ==")])[0] == 10001
    # Execution-style: "" on the last page.
    last = client.ok(
        "/v5/execution/list",
        [("category", "spot"), ("startTime", t - DAY), ("limit", 100), ("endTime", t - DAY + 1)],
    )
    assert last["result"]["nextPageCursor"] == ""


def test_filters(client: Client, account: SimAccount) -> None:
    linear = account.records("execution_linear")
    funding = [r for r in linear if r["execType"] == "Funding"]
    t = int(funding[0]["execTime"])
    params = [("category", "linear"), ("startTime", t - DAY), ("endTime", t + DAY), ("execType", "Funding")]
    got = client.ok("/v5/execution/list", params)["result"]["list"]
    assert got and all(r["execType"] == "Funding" for r in got)
    assert got == [r for r in funding if t - DAY <= int(r["execTime"]) <= t + DAY]


# --- records ---------------------------------------------------------------------------------------
def test_record_formats(account: SimAccount) -> None:
    numeric = (
        "execPrice",
        "execQty",
        "execValue",
        "execFee",
        "feeRate",
        "orderQty",
        "orderPrice",
        "leavesQty",
    )
    for cat in ("spot", "linear", "inverse", "option"):
        recs = account.records(f"execution_{cat}")
        assert len({r["execId"] for r in recs}) == len(recs)
        for r in recs:
            assert isinstance(r["isMaker"], bool) and isinstance(r["seq"], int)
            for f in numeric:
                assert isinstance(r[f], str) and DECIMAL.match(r[f]), (f, r[f])
            assert r["execTime"].isdigit() and len(r["execTime"]) == 13
            assert ("createType" in r) == (cat != "spot")
    options = account.records("execution_option")
    assert all(re.fullmatch(r"BTC-\d{1,2}[A-Z]{3}\d\d-\d+-[CP]", r["symbol"]) for r in options)
    linear = account.records("execution_linear")
    assert {"Trade", "Funding", "BustTrade", "Settle", "Delivery"} <= {r["execType"] for r in linear}
    for r in linear:
        if r["execType"] == "Funding":
            assert int(r["execTime"]) % (8 * HOUR) == 0 and r["orderType"] == "UNKNOWN"
            paid = float(r["execFee"]) > 0
            long = r["side"] == "Buy"
            rate = float(r["feeRate"])
            if rate != 0 and float(r["execFee"]) != 0:
                assert paid == ((rate > 0) == long)
    ledger = account.records("transaction_log")
    assert len({r["id"] for r in ledger}) == len(ledger)
    assert {"TRADE", "SETTLEMENT", "TRANSFER_IN", "TRANSFER_OUT", "CURRENCY_BUY", "CURRENCY_SELL"} <= {
        r["type"] for r in ledger
    }
    for r in ledger:
        for f in ("qty", "fee", "cashFlow", "change", "cashBalance", "funding"):
            assert DECIMAL.match(r[f]), (f, r[f])
    deposits = account.records("deposit_onchain")
    assert all(isinstance(r["status"], int) and r["successAt"].endswith("000") for r in deposits)
    internal = account.records("deposit_internal")
    assert all(len(r["createdTime"]) == 10 and isinstance(r["status"], int) for r in internal)
    assert all(isinstance(r["withdrawType"], int) for r in account.records("withdrawal"))
    for stream, idf in (
        ("deposit_onchain", "id"),
        ("deposit_internal", "id"),
        ("withdrawal", "withdrawId"),
        ("transfer_internal", "transferId"),
        ("transfer_universal", "transferId"),
        ("convert", "exchangeTxId"),
        ("earn_yield_flexible", "id"),
        ("earn_order_flexible", "orderId"),
    ):
        recs = account.records(stream)
        assert recs and len({r[idf] for r in recs}) == len(recs), stream


def test_history_structure(account: SimAccount) -> None:
    for stream in STREAM_IDS:
        recs = account.records(stream)
        times = [account.record_time_ms(stream, r) for r in recs]
        assert times == sorted(times, reverse=True), stream
        assert max(times) <= account.now_ms
        assert min(times) < account.now_ms - 730 * DAY, stream  # some records are beyond the depth
        for depth in (730, 90):
            boundary = account.now_ms - depth * DAY
            assert not [t for t in times if abs(t - boundary) <= 2 * DAY], (stream, depth)
    # Months-long gap without executions inside the reachable range.
    spans = sorted(
        int(r["execTime"])
        for c in ("spot", "linear", "inverse", "option")
        for r in account.records(f"execution_{c}")
    )
    horizon = account.now_ms - 730 * DAY
    gaps = [b - max(a, horizon) for a, b in zip(spans, spans[1:], strict=False) if b > horizon]
    assert max(gaps) > 60 * DAY
    # A burst: many linear executions inside one minute.
    lin = sorted(int(r["execTime"]) for r in account.records("execution_linear"))
    assert max(sum(1 for u in lin[i : i + 200] if u - t < 60_000) for i, t in enumerate(lin)) >= 40


def test_edge_records(account: SimAccount, walk_start: int) -> None:
    # k = 0 lies within two days of the 730-day depth boundary, where no record is placed.
    spot_times = {int(r["execTime"]) for r in account.records("execution_spot")}
    assert walk_start not in spot_times
    for k in (1, 2):
        edge = walk_start + k * 7 * DAY
        assert {edge, edge - 1} <= spot_times
    edge = walk_start + 7 * DAY
    base = edge - edge % 1000
    dep_times = {int(r["successAt"]) for r in account.records("deposit_onchain")}
    assert {base, base - 1000} <= dep_times
    internal = {int(r["createdTime"]) for r in account.records("deposit_internal")}
    assert {base // 1000, base // 1000 - 1} <= internal


def test_spot_fee_currency_rule() -> None:
    acct = generate_account(seed=2, size=3000, uid=UID)
    makers_nonpositive = 0
    for r in acct.records("execution_spot"):
        if not r["feeCurrency"]:
            continue
        base, quote = r["symbol"][:-4], r["symbol"][-4:]
        buy = r["side"] == "Buy"
        if r["isMaker"] and float(r["feeRate"]) <= 0:
            makers_nonpositive += 1
            assert r["feeCurrency"] == (quote if buy else base)
        elif not r["isMaker"] or float(r["feeRate"]) > 0:
            assert r["feeCurrency"] == (base if buy else quote)
    assert makers_nonpositive > 0


def test_determinism() -> None:
    fixed = 1_790_000_000_000
    a = generate_account(seed=7, size="small", now_ms=fixed, uid=UID)
    b = generate_account(seed=7, size="small", now_ms=fixed, uid=UID)
    c = generate_account(seed=8, size="small", now_ms=fixed, uid=UID)
    for stream in STREAM_IDS:
        assert a.records(stream) == b.records(stream), stream
    assert a.records("execution_spot") != c.records("execution_spot")
    assert a.reachable("execution_spot", fixed) == b.reachable("execution_spot", fixed)


def test_sizes() -> None:
    tiny = generate_account(seed=1, size="tiny")
    assert 20 <= sum(tiny.count(s) for s in STREAM_IDS) <= 250
    started = time.monotonic()
    medium = generate_account(seed=1, size="medium")
    assert time.monotonic() - started < 5
    n = sum(medium.count(f"execution_{c}") for c in ("spot", "linear", "inverse", "option"))
    assert 18_000 <= n <= 23_000


@pytest.mark.slow
def test_large_generation_is_fast() -> None:
    started = time.monotonic()
    large = generate_account(seed=1, size="large")
    assert time.monotonic() - started < 15  # ~2.5 s on an idle machine; headroom for a busy CI
    n = sum(large.count(f"execution_{c}") for c in ("spot", "linear", "inverse", "option"))
    assert 180_000 <= n <= 230_000


# --- rate limits -------------------------------------------------------------------------------------
def test_uid_rate_limit_headers_and_10006() -> None:
    with fresh(ip_limit=None) as sim:
        c = Client(sim.base_url)
        path = "/v5/asset/transfer/query-universal-transfer-list"  # 5/s
        statuses = []
        for _ in range(5):
            r = c.get(path)
            assert r.json()["retCode"] == 0
            assert r.headers["X-Bapi-Limit"] == "5"
            statuses.append(int(r.headers["X-Bapi-Limit-Status"]))
        assert statuses == [4, 3, 2, 1, 0]
        exhausted_reset = int(r.headers["X-Bapi-Limit-Reset-Timestamp"])
        assert now_ms() < exhausted_reset <= now_ms() + 1100
        r = c.get(path)
        body = r.json()
        assert r.status_code == 200 and body["retCode"] == 10006 and body["retMsg"] == "Too many visits!"
        assert r.headers["X-Bapi-Limit-Status"] == "0"
        reset = int(r.headers["X-Bapi-Limit-Reset-Timestamp"])
        assert abs(reset - exhausted_reset) <= 5
        assert c.get(path).json()["retCode"] == 10006  # rejected requests are not counted ...
        time.sleep(max(0.0, (reset - now_ms()) / 1000) + 0.05)
        r = c.get(path)  # ... so the window frees up exactly when the oldest request leaves it
        assert r.json()["retCode"] == 0
        # Other paths are counted separately; the scale multiplies every limit.
        assert c.get("/v5/user/query-api").headers["X-Bapi-Limit"] == "10"
    with fresh(ip_limit=None, rate_limit_scale=2.5) as sim:
        assert Client(sim.base_url).get("/v5/user/query-api").headers["X-Bapi-Limit"] == "25"


def test_ip_limit_bans_with_403() -> None:
    with fresh(ip_limit=(5, 1.0), ip_ban_seconds=0.3) as sim:
        url = sim.base_url + "/v5/market/time"
        for _ in range(5):
            assert requests.get(url, timeout=5).status_code == 200
        first_counted = time.monotonic()
        r = requests.get(url, timeout=5)
        assert r.status_code == 403 and r.text == "access too frequent"
        assert Client(sim.base_url).get("/v5/user/query-api").status_code == 403  # banned: every path
        # Once the ban is over and the window has rolled past the counted requests: served again.
        time.sleep(max(0.0, first_counted + 1.05 - time.monotonic()))
        assert requests.get(url, timeout=5).status_code == 200


# --- faults ----------------------------------------------------------------------------------------------
@pytest.fixture
def fsim() -> Iterator[BybitSimulator]:
    with fresh(ip_limit=None, rate_limit_scale=100) as s:
        yield s


@pytest.mark.parametrize(
    ("kind", "status"), [("http_500", 500), ("http_502", 502), ("http_503", 503), ("http_429", 429)]
)
def test_fault_http_status(fsim: BybitSimulator, kind: str, status: int) -> None:
    fsim.faults = FaultPlan([Fault(kind=kind)])
    assert Client(fsim.base_url).get("/v5/user/query-api").status_code == status
    # "" covers private paths only.
    assert requests.get(fsim.base_url + "/v5/market/time", timeout=5).status_code == 200


def test_fault_drop_and_malformed(fsim: BybitSimulator) -> None:
    c = Client(fsim.base_url)
    fsim.faults = FaultPlan([Fault(kind="drop", count=1)])
    with pytest.raises(requests.ConnectionError):
        c.get("/v5/user/query-api")
    assert c.get("/v5/user/query-api").json()["retCode"] == 0
    fsim.faults = FaultPlan([Fault(kind="malformed_json", count=1)])
    r = c.get("/v5/user/query-api")
    assert r.status_code == 200
    with pytest.raises(ValueError):
        r.json()


def test_fault_storm_ret_code_latency(fsim: BybitSimulator) -> None:
    c = Client(fsim.base_url)
    fsim.faults = FaultPlan([Fault(path="/v5/execution/list", kind="rate_limit_storm")])
    r = c.get("/v5/execution/list", [("category", "spot")])
    assert r.json()["retCode"] == 10006 and r.headers["X-Bapi-Limit-Status"] == "0"
    assert 500 <= int(r.headers["X-Bapi-Limit-Reset-Timestamp"]) - now_ms() <= 1100
    assert c.get("/v5/user/query-api").json()["retCode"] == 0  # other path unaffected
    fsim.faults = FaultPlan([Fault(kind="ret_code", ret_code=10016)])
    assert c.get("/v5/user/query-api").json()["retCode"] == 10016
    fsim.faults = FaultPlan([Fault(kind="latency", latency_ms=200)])
    started = time.monotonic()
    assert c.get("/v5/user/query-api").json()["retCode"] == 0
    assert time.monotonic() - started >= 0.2
    fsim.faults = None
    fsim.latency_ms = 100
    started = time.monotonic()
    c.get("/v5/user/query-api")
    assert time.monotonic() - started >= 0.1
    fsim.latency_ms = 0


def test_fault_selection_is_deterministic(fsim: BybitSimulator) -> None:
    c = Client(fsim.base_url)

    def pattern(plan: FaultPlan, n: int = 12) -> list[int]:
        fsim.faults = plan
        return [c.get("/v5/user/query-api").status_code for _ in range(n)]

    assert pattern(FaultPlan([Fault(kind="http_503", at=(2, 4))]), 5) == [200, 503, 200, 503, 200]
    assert pattern(FaultPlan([Fault(kind="http_503", every=3)]), 6) == [200, 200, 503, 200, 200, 503]
    assert pattern(FaultPlan([Fault(kind="http_503", every=2, count=2)]), 8) == [
        200,
        503,
        200,
        503,
        200,
        200,
        200,
        200,
    ]
    p1 = pattern(FaultPlan([Fault(kind="http_500", probability=0.5)], seed=11), 20)
    p2 = pattern(FaultPlan([Fault(kind="http_500", probability=0.5)], seed=11), 20)
    assert p1 == p2 and 500 in p1 and 200 in p1
    with pytest.raises(ValueError):
        Fault(kind="nope")


def test_request_log(fsim: BybitSimulator) -> None:
    fsim.reset_log()
    Client(fsim.base_url).get("/v5/execution/list", [("category", "spot"), ("limit", 3)])
    requests.get(fsim.base_url + "/v5/market/time", timeout=5)
    log = fsim.request_log
    assert [e.path for e in log] == ["/v5/execution/list", "/v5/market/time"]
    first = log[0]
    assert isinstance(first, RequestLogEntry)
    assert first.query == {"category": "spot", "limit": "3"} and first.api_key == KEY
    assert first.ret_code == 0 and first.http_status == 200 and abs(first.t_ms - now_ms()) < 5000
    fsim.reset_log()
    assert fsim.request_log == []


# --- demo and command line ----------------------------------------------------------------------------
def test_demo_setup() -> None:
    sim, creds = demo_setup()
    assert len(creds) == 2
    with sim:
        (_, good_key, good_secret), (_, bad_key, bad_secret) = creds
        assert Client(sim.base_url, good_key, good_secret).code("/v5/user/query-api")[0] == 0
        assert Client(sim.base_url, bad_key, bad_secret).code("/v5/user/query-api")[0] == 10004


def test_main_starts_and_stops(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    stop.set()
    assert main(["--size", "tiny", "--seed", "4"], stop=stop) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:" in out and KEY in out and SECRET in out
