"""bitFlyer sync benchmark: a full first sync of a medium account at bitFlyer's real rate limits.

The simulator runs in a child process at the documented limits (500 private requests per 5 minutes
per key, 500 per 5 minutes per IP address) with realistic latency; the client syncs every endpoint
through the real engine and store. Printed, measured in one run:

  requests issued / the API minimum     (goal 1.00; the minimum: one page of 500 per 500 records of
                                         every list the account has, an empty page after a full last
                                         one, one page per empty list, plus getbalance and getmarkets)
  wall time / the time the limits allow  (goal <= 1.15; the client uses 90 % of the per-IP limit, so
                                         N requests need ceil(N / 450) - 1 full 5-minute windows)
  missing and duplicate records          (goal 0 and 0: identities against the simulator's records,
                                         and events counted twice against the neutral ground truth)
  lock-outs provoked                     (goal 0)

    PYTHONPATH=. python bench/bench_bitflyer.py [--size medium] [--latency-ms 100] [--seed 2026]

Measured (seed 2026, 100 ms latency): 305,570 records; requests 628/624 = 1.006; wall 311.3 s /
bound 300 s = 1.038; 0 missing, 0 unexpected, 0 events counted twice; 0 refusals, 0 lock-outs.

Both sides generate the account from the same seed and clock, so the client computes the ground
truth without asking the server. One medium run takes about six minutes (two rate-limit windows).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import tempfile
import threading
import time
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.records import TransactionKind
from cryptact_desktop.secrets import SecretStore
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
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.venues.bitflyer.catalogue import BITFLYER, PAGE_LIMIT
from cryptact_desktop.venues.bitflyer.normalize import split_product
from cryptact_desktop.venues.bitflyer.simulator import (
    BitflyerSimulator,
    SimAccount,
    SimulatedKey,
    generate_account,
)
from cryptact_desktop.venues.bitflyer.streams import parser
from cryptact_desktop.venues.registry import make_connector

KEY, SECRET, ACCOUNT = "BENCHBITFLYER0001", "BENCH-BITFLYER-SECRET-000000000000001=", "bench"
IP_SHARE = 450  # 90 % of "Same IP Address: 500 queries per 5 minutes"
WINDOW_S = 300


def serve(size: str, seed: int, now_ms: int, latency_ms: int, ready: Any, stop: Any, report: Any) -> None:
    account = generate_account(seed=seed, size=size, now_ms=now_ms)
    sim = BitflyerSimulator({ACCOUNT: account}, [SimulatedKey(KEY, SECRET, ACCOUNT)], latency_ms=latency_ms)
    ready.put(sim.start())
    stop.wait()
    log = sim.request_log
    report.put(
        {
            "requests": len(log),
            "refused": sum(1 for e in log if e.http_status == 429),
            "lockouts": sim.lockouts,
        }
    )
    sim.stop()


def pages(records: int) -> int:
    """The fewest requests that read a list of ``records`` newest first with count=500: a page
    shorter than 500 ends it; a full last page needs one empty page to show it was the last."""
    return records // PAGE_LIMIT + 1


def client_streams(account: SimAccount) -> dict[str, str]:
    """Client stream id -> the simulator's list that holds its records ("" for none)."""
    lists = account.lists()
    streams: dict[str, str] = {}
    products = {code for code, _ in account.markets} | set(account.delisted)
    for code in products:
        streams[f"executions:{code}"] = f"executions:{code}"
    currencies = set(account.currencies)
    for code in products:
        base, quote, _ = split_product(code)
        currencies |= {base, quote}
    for currency in currencies:
        streams[f"balance_history:{currency}"] = f"balance:{currency}"
    for client, simulator in (
        ("coin_ins", "coinins"),
        ("coin_outs", "coinouts"),
        ("deposits", "deposits"),
        ("withdrawals", "withdrawals"),
        ("collateral_history", "collateral"),
    ):
        streams[client] = simulator
    return {k: (v if v in lists else "") for k, v in streams.items()}


def minimal_requests(account: SimAccount) -> int:
    lists = account.lists()
    total = 2  # getbalance, getmarkets (the account holds no USD or EUR)
    for name in client_streams(account).values():
        total += pages(len(lists[name])) if name else 1
    return total


def expected_identities(account: SimAccount) -> set[tuple[str, str]]:
    lists = account.lists()
    wanted: set[tuple[str, str]] = set()
    for stream, name in client_streams(account).items():
        if not name:
            continue
        endpoint = {
            "executions": "executions",
            "balance_history": "balance_history",
        }.get(stream.partition(":")[0], stream)
        parse = parser(stream)
        for record in lists[name].records:
            parsed = parse(record).record
            if parsed is not None:
                wanted.add((endpoint, parsed.exchange_id))
    return wanted


def neutral_counts(account: SimAccount) -> Counter[str]:
    events = account.activity.events
    fills = [e for e in events if isinstance(e, Fill)]
    return Counter(
        {
            TransactionKind.TRADE.value: sum(1 for f in fills if f.market.kind == "spot"),
            TransactionKind.DERIVATIVE_TRADE.value: sum(1 for f in fills if f.market.kind == "perpetual"),
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


def run(size: str, seed: int, latency_ms: int, tmp: Path) -> dict[str, Any]:
    now_ms = int(time.time() * 1000)
    ctx = mp.get_context("fork")
    ready: Any = ctx.Queue()
    report: Any = ctx.Queue()
    stop = ctx.Event()
    child = ctx.Process(target=serve, args=(size, seed, now_ms, latency_ms, ready, stop, report), daemon=True)
    child.start()
    truth: dict[str, Any] = {}
    generating = threading.Thread(target=lambda: truth.update(account=generate_account(seed, size, now_ms)))
    generating.start()
    base_url = ready.get(timeout=600)
    store = Store(tmp / f"{size}.sqlite")
    service = AppService(
        store, SecretStore(MemoryKeyring()), connector_factory=partial(make_connector, rate_limit_scale=1.0)
    )
    key = service.add_key(
        NewKey(
            exchange="bitflyer",
            label=size,
            host_id="custom",
            base_url=base_url,
            endpoints=tuple(e.id for e in BITFLYER.endpoints),
        ),
        Credentials(KEY, SECRET),
    )
    started = time.perf_counter()
    result = service.sync_key(key.id)
    wall = time.perf_counter() - started
    for outcome in result.outcomes:
        if outcome.failure is not None:
            print(f"  {outcome.endpoint} failed: {outcome.failure.one_line()}", flush=True)
    stop.set()
    served = report.get(timeout=60)
    child.join(timeout=30)
    generating.join()
    account: SimAccount = truth["account"]
    held = store.transaction_identities(key.id)
    expected = expected_identities(account)
    own = Counter(v.kind for v, _ in store.iter_transactions() if not v.mirror_of)
    neutral = neutral_counts(account)
    doubled = sum(max(0, own[k] - neutral[k]) for k in own | neutral)
    undercounted = sum(max(0, neutral[k] - own[k]) for k in own | neutral)
    minimal = minimal_requests(account)
    issued = served["requests"]
    bound = (math.ceil(issued / IP_SHARE) - 1) * WINDOW_S
    rows = store.count_transactions()
    store.close()
    return {
        "size": size,
        "ok": result.ok,
        "rows": rows,
        "requests": issued,
        "minimal": minimal,
        "refused": served["refused"],
        "lockouts": served["lockouts"],
        "wall_s": wall,
        "bound_s": bound,
        "missing": len(expected - held),
        "unexpected": len(held - expected),
        "doubled": doubled,
        "undercounted": undercounted,
    }


def main() -> None:
    parser_ = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser_.add_argument("--size", default="medium")
    parser_.add_argument("--seed", type=int, default=2026)
    parser_.add_argument("--latency-ms", type=int, default=100)
    args = parser_.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        r = run(args.size, args.seed, args.latency_ms, Path(tmp_name))
    ratio = r["wall_s"] / r["bound_s"] if r["bound_s"] else float("nan")
    print(
        f"{r['size']}: ok={r['ok']} rows={r['rows']:,} | "
        f"requests {r['requests']}/{r['minimal']} = {r['requests'] / r['minimal']:.3f} | "
        f"wall {r['wall_s']:.1f}s / bound {r['bound_s']:.0f}s = {ratio:.3f} | "
        f"missing {r['missing']}, unexpected {r['unexpected']}, "
        f"events counted twice {r['doubled']}, events not counted {r['undercounted']} | "
        f"rate-limit refusals {r['refused']}, lock-outs {r['lockouts']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
