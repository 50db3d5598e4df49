"""A full bitFlyer sync against the simulator, checked against the neutral events the account was
made from: every trade, move and fee stored once (retail-desk trades and the delisted pair
included), mirrors never counted, a cheap resync, limits learned and honoured, key checks."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import requests
from bitflyer_support import KEY, SECRET, add_key, running

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import FailureKind
from cryptact_desktop.records import TransactionKind
from cryptact_desktop.service import AppService
from cryptact_desktop.simulator.activity import (
    CryptoDeposit,
    CryptoWithdrawal,
    FiatDeposit,
    FiatWithdrawal,
    Fill,
    Funding,
    RealisedPnl,
    Reward,
    Transfer,
)
from cryptact_desktop.state import EndpointStatus, NewKey, TransactionFilter, TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.sync.engine import SyncEngine
from cryptact_desktop.venues.bitflyer.connector import BitflyerConnector, verification
from cryptact_desktop.venues.bitflyer.signing import sign
from cryptact_desktop.venues.bitflyer.simulator import (
    READ_PATHS,
    TRADE_PATHS,
    Fault,
    FaultPlan,
    SimAccount,
    SimulatedKey,
    product_code,
)

ServiceFactory = Callable[..., AppService]


def views(service: AppService, key_id: int) -> list[TransactionView]:
    """Every stored record, ledger copies included (the Transactions view shows one per event)."""
    return service.store.transactions(TransactionFilter(with_sources=True))


def test_a_full_sync_stores_every_event_once(
    small_account: SimAccount, service_factory: ServiceFactory
) -> None:
    account = small_account
    with running(account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url)
        result = service.sync_key(key_id)
    assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
    stored = views(service, key_id)
    events = account.activity.events
    own = [v for v in stored if not v.mirror_of]  # the events, each once

    fills = [e for e in events if isinstance(e, Fill)]
    book = [f for f in fills if f.channel == "book" and f.market.kind == "spot"]
    desk = [f for f in fills if f.channel == "desk"]
    perp = [f for f in fills if f.market.kind == "perpetual"]
    assert desk and perp and any(not f.market.listed for f in book)
    expected = Counter(
        {
            TransactionKind.TRADE.value: len(book) + len(desk),
            TransactionKind.DERIVATIVE_TRADE.value: len(perp),
            TransactionKind.DEPOSIT.value: sum(
                1
                for e in events
                if isinstance(e, FiatDeposit | CryptoDeposit) and not getattr(e, "pending", False)
            ),
            TransactionKind.WITHDRAWAL.value: sum(
                1 for e in events if isinstance(e, FiatWithdrawal | CryptoWithdrawal)
            ),
            TransactionKind.FEE.value: sum(1 for e in events if isinstance(e, FiatWithdrawal)),
            TransactionKind.INTERNAL_TRANSFER.value: sum(1 for e in events if isinstance(e, Transfer)),
            TransactionKind.LEDGER.value: sum(1 for e in events if isinstance(e, Reward)),
            TransactionKind.REALISED_PNL.value: sum(1 for e in events if isinstance(e, RealisedPnl)),
            TransactionKind.FUNDING.value: sum(1 for e in events if isinstance(e, Funding)),
        }
    )
    assert Counter(v.kind for v in own) == expected

    # Order-book fills: from the executions list, with their values (the delisted pair included).
    by_order: dict[str, list[TransactionView]] = {}
    for v in own:
        if v.endpoint == "executions":
            by_order.setdefault(f"{v.stream}|{v.timestamp_ms}|{v.amount}|{v.price}", []).append(v)
    for fill in book + perp:
        key = f"executions:{product_code(fill.market)}|{fill.time_ms}|{_text(fill.qty)}|{_text(fill.price)}"
        (match,) = by_order[key]
        assert (match.base, match.quote, match.side) == (fill.market.base, fill.market.quote, fill.side)
        if fill.fee:
            assert (match.fee, match.fee_currency) == (_text(fill.fee), fill.market.base)

    # Retail-desk trades: only in the balance history, each once, on the base currency's row.
    desk_rows = [v for v in own if v.endpoint == "balance_history" and v.kind == TransactionKind.TRADE.value]
    assert len(desk_rows) == len(desk)
    for fill in desk:
        (match,) = [v for v in desk_rows if v.timestamp_ms == fill.time_ms and v.base == fill.market.base]
        assert (match.quote, match.side, match.amount, match.price) == (
            fill.market.quote,
            fill.side,
            _text(fill.qty),
            _text(fill.price),
        )

    # Every mirror points at an endpoint holding the event; the ledger copies of fills are mirrors.
    mirrors = Counter(v.mirror_of for v in stored if v.mirror_of)
    assert set(mirrors) <= {
        "executions",
        "coin_ins",
        "coin_outs",
        "deposits",
        "withdrawals",
        "balance_history",
    }
    assert mirrors["executions"] == 2 * len(book)
    assert mirrors["balance_history"] == len(desk) + sum(1 for e in events if isinstance(e, Transfer))
    # One row per economic event: the copies of events synced from their own endpoint are its sources.
    shown = service.store.transactions()
    assert not any(v.mirror_of == "executions" for v in shown)
    assert len(shown) < len(stored)


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value != 0 else "0"


def test_a_resync_costs_one_request_per_stream_and_stores_nothing(
    small_account: SimAccount, service_factory: ServiceFactory
) -> None:
    with running(small_account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url)
        assert service.sync_key(key_id).ok
        before = len(sim.simulator.request_log)
        count = service.store.count_transactions()
        again = service.sync_key(key_id)
        log = sim.simulator.request_log[before:]
    assert again.ok and again.new_records == 0 and service.store.count_transactions() == count
    per_stream = Counter(
        (e.path, e.query.get("product_code") or e.query.get("currency_code") or "") for e in log
    )
    assert max(per_stream.values()) == 1, per_stream
    # one page of each list, plus getbalance and the market list for discovery
    streams = [k for k in per_stream if k[0].startswith("/v1/me/get") and k[0] != "/v1/me/getbalance"]
    assert len(log) == len(streams) + 2


def test_a_delisted_pair_is_found_only_through_the_balance_history(
    small_account: SimAccount, service_factory: ServiceFactory
) -> None:
    assert "LTC_BTC" in small_account.delisted
    with running(small_account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url, endpoints=("executions",))
        assert service.sync_key(key_id).ok
        queried = {
            e.query.get("product_code") for e in sim.simulator.request_log if e.path == "/v1/me/getexecutions"
        }
    assert "LTC_BTC" in queried
    stored = {v.stream for v in service.store.transactions()}
    assert "executions:LTC_BTC" in stored
    # A pair the balance history names only for retail-desk trades is not an order-book product.
    assert "LSK_JPY" not in queried


def test_a_discovered_stream_is_remembered_before_its_first_page(
    small_account: SimAccount, tmp_path: Path
) -> None:
    """Discovery found the delisted pair in an old balance-history page; the sync dies before the
    pair's stream fetched anything. The next sync (which reads only the newest page) still knows it."""
    store = Store(tmp_path / "remember.sqlite")
    broken = FaultPlan([Fault(path="/v1/me/getexecutions", kind="http_503")])
    with running(small_account, faults=broken) as sim:
        key_id = store.add_key(_new_key(sim.base_url, ("executions",)))
        connector = BitflyerConnector(Credentials(KEY, SECRET), sim.base_url, rate_limit_scale=50)
        started = time.monotonic()
        result = SyncEngine(store).run(
            store.get_key(key_id), connector, should_stop=lambda: time.monotonic() > started + 1.5
        )
    assert result.cancelled and store.count_transactions() == 0
    assert "executions:LTC_BTC" in store.stream_ids(key_id, "executions")
    with running(small_account) as sim:
        store.update_key(key_id, base_url=sim.base_url)
        connector = BitflyerConnector(Credentials(KEY, SECRET), sim.base_url, rate_limit_scale=50)
        assert SyncEngine(store).run(store.get_key(key_id), connector).ok
        history = [e for e in sim.simulator.request_log if e.path == "/v1/me/getbalancehistory"]
    assert all("before" not in e.query for e in history)  # only the newest pages were read
    assert len(small_account.executions["LTC_BTC"]) == store.count_transactions(
        TransactionFilter(endpoints=("executions",), asset="LTC")
    )
    store.close()


def _new_key(base_url: str, endpoints: tuple[str, ...]) -> NewKey:
    return NewKey(exchange="bitflyer", label="t", host_id="custom", base_url=base_url, endpoints=endpoints)


def test_a_key_without_balance_history_permission_still_syncs_every_listed_pair(
    small_account: SimAccount, service_factory: ServiceFactory
) -> None:
    key = SimulatedKey(KEY, SECRET, "a", tuple(p for p in READ_PATHS if p != "/v1/me/getbalancehistory"))
    with running(small_account, key) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url)
        result = service.sync_key(key_id)
    outcomes = {o.endpoint: o for o in result.outcomes}
    failure = outcomes["balance_history"].failure
    assert failure is not None and failure.kind is FailureKind.PERMISSION
    assert "getbalancehistory" in failure.message
    assert all(o.status is EndpointStatus.OK for name, o in outcomes.items() if name != "balance_history")
    assert {v.stream for v in service.store.transactions()} >= {"executions:BTC_JPY", "executions:FX_BTC_JPY"}


def test_a_wrong_clock_is_measured_from_the_date_header(small_account: SimAccount, tmp_path: Path) -> None:
    store = Store(tmp_path / "clock.sqlite")
    with running(small_account) as sim:
        key_id = store.add_key(_new_key(sim.base_url, ("deposits", "withdrawals")))
        connector = BitflyerConnector(
            Credentials(KEY, SECRET), sim.base_url, rate_limit_scale=50, wall_clock=lambda: time.time() + 600
        )
        result = SyncEngine(store).run(store.get_key(key_id), connector)
        refused = [e for e in sim.simulator.request_log if e.http_status == 401]
        health = [e for e in sim.simulator.request_log if e.path == "/v1/gethealth"]
    assert result.ok and refused and health
    assert store.count_transactions() == len(small_account.deposits) + len(small_account.withdrawals)
    store.close()


def test_a_wrong_secret_is_checked_against_the_clock_once_then_named(
    small_account: SimAccount, service_factory: ServiceFactory
) -> None:
    with running(small_account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url, secret="THE-WRONG-SECRET-000000000000")
        result = service.sync_key(key_id)
        log = sim.simulator.request_log
    assert all(o.failure is not None and o.failure.kind is FailureKind.SIGNATURE for o in result.outcomes)
    assert all(o.failure is not None and o.failure.code == "-500" for o in result.outcomes)
    assert sum(1 for e in log if e.path == "/v1/gethealth") == 1
    assert len(log) < 15


def test_limits_learned_from_headers_are_never_exceeded(small_account: SimAccount, tmp_path: Path) -> None:
    """The server allows this key 20 requests per 5 minutes, far less than the documented 500: the
    client learns it from X-RateLimit-Remaining and waits instead of running into the lock-out."""
    store = Store(tmp_path / "limits.sqlite")
    with running(small_account, rate_limit_scale=20 / 500, ip_rate_limit_scale=1.0) as sim:
        key_id = store.add_key(_new_key(sim.base_url, ("executions", "balance_history", "coin_ins")))
        connector = BitflyerConnector(Credentials(KEY, SECRET), sim.base_url)
        deadline = time.monotonic() + 4
        result = SyncEngine(store).run(
            store.get_key(key_id), connector, should_stop=lambda: time.monotonic() > deadline
        )
        private = [e for e in sim.simulator.request_log if e.path.startswith("/v1/me/")]
        lockouts = sim.simulator.lockouts
    assert result.cancelled
    assert lockouts == 0 and len(private) <= 20 and all(e.http_status != 429 for e in private)
    store.close()


def test_a_lock_out_is_waited_out_and_never_provoked_again(small_account: SimAccount, tmp_path: Path) -> None:
    """Another program got the key blocked. The client's first answer is the block (HTTP 429,
    X-RateLimit-Remaining 0, X-RateLimit-Reset); it waits until the reset and then syncs, without
    a second lock-out (after a block the limit is lower)."""
    store = Store(tmp_path / "lockout.sqlite")
    window = 3.0
    scale = 3 / 500  # 3 requests per window
    with running(
        small_account,
        rate_limit_scale=scale,
        ip_rate_limit_scale=1.0,
        window_seconds=window,
        lockout_seconds=1.0 * scale,  # the simulator divides by the scale: 1 s
        penalty_seconds=5.0 * scale,
    ) as sim:
        for _ in range(4):
            stamp = str(int(time.time()))
            requests.get(
                sim.base_url + "/v1/me/getbalance",
                headers={
                    "ACCESS-KEY": KEY,
                    "ACCESS-TIMESTAMP": stamp,
                    "ACCESS-SIGN": sign(SECRET, stamp, "GET", "/v1/me/getbalance"),
                },
                timeout=10,
            )
        assert sim.simulator.lockouts == 1
        key_id = store.add_key(_new_key(sim.base_url, ("deposits",)))
        connector = BitflyerConnector(Credentials(KEY, SECRET), sim.base_url, rate_limit_scale=1000)
        started = time.monotonic()
        result = SyncEngine(store).run(store.get_key(key_id), connector)
        elapsed = time.monotonic() - started
        lockouts = sim.simulator.lockouts
    assert result.ok and lockouts == 1
    assert elapsed >= window - 0.5  # waited for the reset the block answer named
    assert store.count_transactions() == len(small_account.deposits)
    store.close()


def test_key_verification_reads_permissions_and_warns_about_dangerous_keys(
    small_account: SimAccount, service_factory: ServiceFactory
) -> None:
    trader = SimulatedKey(KEY, SECRET, "a", READ_PATHS + TRADE_PATHS + ("/v1/me/withdraw",))
    with running(small_account, trader) as sim:
        connector = BitflyerConnector(Credentials(KEY, SECRET), sim.base_url, rate_limit_scale=50)
        checked = connector.verify_key()
    assert checked.valid and not checked.read_only
    assert "/v1/me/sendchildorder" in checked.permissions
    (warning,) = checked.warnings
    assert warning.startswith("This key is not read-only: it can trade and withdraw funds.")
    safe = verification(READ_PATHS)
    assert safe.read_only and not safe.warnings and not safe.notes
    documented = verification(
        [
            "/v1/me/getpermissions",
            "/v1/me/getbalance",
            "/v1/me/getcollateral",
            "/v1/me/getchildorders",
            "/v1/me/getparentorders",
            "/v1/me/getparentorder",
            "/v1/me/getexecutions",
            "/v1/me/getpositions",
        ]
    )
    assert documented.read_only and len(documented.notes) == 6  # every history but executions
    assert any("getcoinins" in note for note in documented.notes)
