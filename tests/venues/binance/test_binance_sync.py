"""A full Binance sync against the simulator, checked against the neutral events the account was made
from: every trade, convert, move and reward stored once; pairs found from history older than the
sync start; a delisted pair named on the endpoint row; the clock corrected after -1021."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from binance_support import add_key, running

from cryptact_desktop.errors import FailureKind
from cryptact_desktop.records import TransactionKind
from cryptact_desktop.service import AppService
from cryptact_desktop.simulator.activity import (
    CardPurchase,
    Convert,
    CryptoDeposit,
    CryptoWithdrawal,
    DustSweep,
    EarnReward,
    FiatDeposit,
    FiatWithdrawal,
    Fill,
    Funding,
    PerpetualFee,
    RealisedPnl,
)
from cryptact_desktop.state import EndpointStatus, StreamProgress
from cryptact_desktop.venues.binance.simulator import SimAccount, generate_account
from cryptact_desktop.venues.binance.simulator.traps import OLD_COIN

ServiceFactory = Callable[..., AppService]
DAY_MS = 86_400_000


def _events(account: SimAccount) -> list[object]:
    return [*account.activity.events, *account.services.events, *_traps(account)]


def _traps(account: SimAccount) -> list[object]:
    from cryptact_desktop.venues.binance.simulator.traps import trap_events

    return trap_events(account.activity, busy_day_fills=1_200, pending_deposit=True)


def test_a_full_sync_stores_every_event_once(
    small_account: SimAccount, service_factory: ServiceFactory
) -> None:
    account = small_account
    with running(account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url)
        result = service.sync_key(key_id)
    assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
    own = Counter(v.kind for v in service.store.transactions() if not v.mirror_of)
    events = _events(account)
    fills = [e for e in events if isinstance(e, Fill) and e.market.kind == "spot"]
    listed = [f for f in fills if f.market.listed]  # LUNABUSD is delisted: the API cannot give it
    assert len(listed) < len(fills)
    cards = [e for e in events if isinstance(e, CardPurchase)]
    assert own[TransactionKind.TRADE.value] == len(listed) + len(cards)
    converts = [e for e in events if isinstance(e, Convert)]
    dust_parts = sum(len(e.parts) for e in events if isinstance(e, DustSweep))
    assert own[TransactionKind.CONVERT.value] == len(converts) + dust_parts
    deposits = [
        e for e in events if isinstance(e, CryptoDeposit | FiatDeposit) and not getattr(e, "pending", False)
    ]
    assert own[TransactionKind.DEPOSIT.value] == len(deposits)
    assert own[TransactionKind.WITHDRAWAL.value] == sum(
        1 for e in events if isinstance(e, CryptoWithdrawal | FiatWithdrawal)
    )
    rewards = [e for e in events if isinstance(e, EarnReward)]
    assert own[TransactionKind.INTEREST.value] == sum(1 for e in rewards if e.product == "flexible")
    assert own[TransactionKind.STAKING.value] == sum(1 for e in rewards if e.product == "locked")
    # COIN-M income has no look-back limit: every perpetual P&L, funding and fee of BTCUSD_PERP.
    coinm = Counter(v.kind for v in service.store.transactions() if v.endpoint == "futures_coinm")
    perp = [
        e for e in events if isinstance(e, RealisedPnl | Funding | PerpetualFee) and e.market.quote == "USD"
    ]
    assert coinm[TransactionKind.REALISED_PNL.value] == sum(1 for e in perp if isinstance(e, RealisedPnl))
    assert coinm[TransactionKind.FUNDING.value] == sum(1 for e in perp if isinstance(e, Funding))
    assert coinm[TransactionKind.FEE.value] == sum(1 for e in perp if isinstance(e, PerpetualFee))
    # The busy day: more than 1000 fills of BTCUSDT within 24 hours, four per millisecond, all stored.
    btc = [
        v
        for v in service.store.transactions()
        if v.endpoint == "spot_trades" and v.exchange_id.startswith("BTCUSDT:")
    ]
    per_ms = Counter(v.timestamp_ms for v in btc)
    assert max(per_ms.values()) >= 4
    busiest = Counter(v.timestamp_ms // DAY_MS for v in btc).most_common(1)[0][1]
    assert busiest > 1000


def test_pairs_named_only_by_history_older_than_the_sync_start_are_found(
    small_account: SimAccount, service_factory: ServiceFactory
) -> None:
    """DOT arrives by a deposit at 10 % of the history and is sold at 55 %; the key syncs from 30 %.
    Only the old deposit names DOT, so the pair is found by reading the deposits before the start."""
    account = small_account
    plan = account.activity.plan
    sync_from = plan.start_ms + (plan.end_ms - plan.start_ms) * 3 // 10
    with running(account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url, sync_from_ms=sync_from)
        result = service.sync_key(key_id)
        log = sim.simulator.request_log
    assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
    stored = service.store.transactions()
    dot = [v for v in stored if v.endpoint == "spot_trades" and v.base == OLD_COIN]
    assert len(dot) == 3 and all(v.quote == "USDT" for v in dot)
    # The deposit itself is older than the sync start: read for its coin, not stored.
    assert not [v for v in stored if v.endpoint == "deposits" and v.base == OLD_COIN]
    older = [
        e for e in log if e.path == "/sapi/v1/capital/deposit/hisrec" and int(e.query["endTime"]) < sync_from
    ]
    assert older, "the deposits before the sync start were read"
    assert min(v.timestamp_ms for v in stored) >= sync_from


def test_a_delisted_pair_and_a_coin_without_pairs_are_named_on_the_endpoint_row(
    small_account: SimAccount, service_factory: ServiceFactory
) -> None:
    """LUNA is named only by its deposit, and Binance lists no pair of it: that gap is named. A pair
    synced before and delisted since (LUNABUSD) answers -1121: named too, the endpoint still OK."""
    with running(small_account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url, endpoints=("spot_trades", "deposits"))
        # As if LUNABUSD had been found by an earlier sync, when Binance still listed it.
        service.store.commit_page(
            key_id,
            "spot_trades",
            "spot_trades:LUNA/BUSD",
            (),
            covered=None,
            progress=StreamProgress(0, 0, ""),
        )
        result = service.sync_key(key_id)
        refused = [e for e in sim.simulator.request_log if e.query.get("symbol") == "LUNABUSD"]
        # Still named on the next sync (the API still cannot give it), at one request for the pair.
        again = service.sync_key(key_id)
    (spot,) = [o for o in result.outcomes if o.endpoint == "spot_trades"]
    assert result.ok and spot.status is EndpointStatus.OK and spot.failure is None
    assert spot.gaps == ("LUNA", "LUNA/BUSD")
    assert [e.ret_code for e in refused] == [-1121]
    state = service.store.get_key(key_id).endpoint("spot_trades")
    assert state.status is EndpointStatus.OK
    notice = state.failure
    assert notice is not None and notice.kind is FailureKind.HISTORY_GAP
    assert "LUNA, LUNA/BUSD" in notice.message and "export" in notice.hint
    runs = service.store.runs(key_id)
    assert {s.stream: s.status for s in runs[0].streams if "LUNA" in s.stream} == {
        "spot_trades:LUNA": "gap",
        "spot_trades:LUNA/BUSD": "gap",
    }
    (spot,) = [o for o in again.outcomes if o.endpoint == "spot_trades"]
    assert spot.gaps == ("LUNA", "LUNA/BUSD") and again.ok


def test_a_resync_walks_on_from_the_id_after_the_newest_trade(
    tiny_account: SimAccount, service_factory: ServiceFactory
) -> None:
    with running(tiny_account) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url, endpoints=("spot_trades", "deposits"))
        assert service.sync_key(key_id).ok
        sim.simulator.reset_log()
        assert service.sync_key(key_id).new_records == 0
        log = sim.simulator.request_log
    trades = tiny_account.trades["BTCUSDT"]
    (again,) = [e for e in log if e.path == "/api/v3/myTrades" and e.query["symbol"] == "BTCUSDT"]
    assert int(again.query["fromId"]) == trades.ids[-1] + 1


def test_the_clock_is_measured_again_after_1021(
    tiny_account: SimAccount, service_factory: ServiceFactory
) -> None:
    # The server's clock is 90 s ahead: every signed request is outside the 10 s recvWindow until the
    # client measures the offset from /api/v3/time and signs again.
    with running(tiny_account, clock_offset_ms=90_000) as sim:
        service = service_factory()
        key_id = add_key(service, sim.base_url, endpoints=("deposits", "withdrawals"))
        result = service.sync_key(key_id)
        log = sim.simulator.request_log
    assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
    assert any(e.ret_code == -1021 for e in log)
    assert any(e.path == "/api/v3/time" for e in log)
    assert service.store.transactions()


def test_a_medium_sized_history_is_fast_to_generate() -> None:
    started = time.monotonic()
    account = generate_account(seed=5, size="medium")
    assert time.monotonic() - started < 60
    assert sum(len(v) for v in account.trades.values()) > 20_000
