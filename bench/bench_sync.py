"""Sync benchmark: the real engine against the Bybit simulator with realistic latency.

Prints, for each account size, measured in one run:
  requests of a resync with nothing new, against the number of streams (goal: at most one each)
  requests issued / minimal requests the API's limits allow         (goal 1.00)
  wall time / rate-limit bound with all endpoints concurrent          (goal <= 1.15)
  ingest rate (rows/s end to end, and the store's own commit rate)
  peak memory growth during the sync (goal: flat in the number of records)

    python bench/bench_sync.py [--sizes medium large] [--latency-ms 100] [--rate-limit-scale 1]

The simulator runs in a child process (so its CPU and memory are not the client's, and the line
reports the CPU each used during the sync: on a machine of few cores they share it); both sides
generate the account from the same seed and clock, so the client side can compute the ground
truth afterwards without asking the server.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import os
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.records import NormalizedRecord, TransactionKind
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.sync.engine import SyncEngine
from cryptact_desktop.venues.base import RateLimit
from cryptact_desktop.venues.bybit.catalogue import BYBIT
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account
from cryptact_desktop.venues.bybit.simulator.truth import reachable, sim_stream
from cryptact_desktop.venues.registry import make_connector

KEY, SECRET, UID = "BENCHKEY00000001", "BENCHSECRET000000000000000000001", 777
ALWAYS_CURSOR = (
    "deposit_onchain",
    "deposit_internal",
    "withdrawal",
    "transfer_internal",
    "transfer_universal",
)


def serve(size: str, now_ms: int, latency_ms: int, scale: float, ready: mp.Queue, stop: mp.Event) -> None:
    account = generate_account(seed=2026, size=size, uid=UID, now_ms=now_ms)
    sim = BybitSimulator(
        accounts=[account],
        keys=[SimulatedKey(KEY, SECRET, UID)],
        rate_limit_scale=scale,
        latency_ms=latency_ms,
        ip_limit=(int(600 * max(1.0, scale)), 5.0),
    )
    ready.put(sim.start())
    stop.wait()
    sim.stop()


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) process ``pid`` has used so far (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def minimal_requests(account_size: str, now_ms: int, tmp: Path) -> tuple[dict[str, int], int]:
    """The fewest requests a correct client can make for a first sync's windows, per rate-limit
    group, and the longest chain of pages that must be fetched one after another."""
    account = generate_account(seed=2026, size=account_size, uid=UID, now_ms=now_ms)
    fresh = Store(tmp / f"plan-{account_size}.sqlite")
    key_id = fresh.add_key(
        NewKey(
            exchange="bybit", label="plan", host_id="global", endpoints=tuple(e.id for e in BYBIT.endpoints)
        )
    )
    engine = SyncEngine(fresh)
    key = fresh.get_key(key_id)
    per_group: dict[str, int] = {}
    longest_chain = 1
    for endpoint in BYBIT.endpoints:
        for stream in endpoint.streams:
            times = sorted(
                account.record_time_ms(sim_stream(stream.id), raw)
                for raw in reachable(account, stream.id, now_ms)
            )
            limit = stream.page_limit
            if stream.window_ms is None:
                pages = len(times) // limit + 1  # index paging ends on a short page
                chain = pages
            else:
                pages = 0
                chain = 1
                for planned in engine.plan(key, endpoint.id, stream, now_ms).windows:
                    lo, hi = planned.window.start_ms, planned.window.end_ms
                    if stream.granularity_ms == 1000:
                        lo, hi = lo - lo % 1000, hi - hi % 1000 + 999
                    n = sum(1 for t in times if lo <= t <= hi)
                    window_pages = max(1, math.ceil(n / limit))
                    if stream.id in ALWAYS_CURSOR and n and n % limit == 0:
                        window_pages += 1
                    pages += window_pages
                    chain = max(chain, window_pages)
            per_group[stream.limiter] = per_group.get(stream.limiter, 0) + pages
            longest_chain = max(longest_chain, chain)
    fresh.close()
    return per_group, longest_chain


def rate_bound_seconds(per_group: dict[str, int], scale: float) -> tuple[float, str]:
    limits = {s.limiter: s.rate_limit for e in BYBIT.endpoints for s in e.streams}
    bounds = {}
    for group, n in per_group.items():
        rate = limits[group]
        allowed = max(1, int(rate.requests * scale))
        bounds[group] = (math.ceil(n / allowed) - 1) * rate.per_seconds
    ip = BYBIT.ip_rate_limit or RateLimit(600, 5)
    total = sum(per_group.values())
    bounds["per-IP"] = (math.ceil(total / int(ip.requests * max(1.0, scale) * 0.9)) - 1) * ip.per_seconds
    group = max(bounds, key=lambda g: bounds[g])
    return bounds[group], group


def store_ingest_rate(tmp: Path) -> float:
    store = Store(tmp / "ingest.sqlite")
    key_id = store.add_key(NewKey(exchange="bybit", label="x", host_id="global", endpoints=("spot",)))
    pages = 200
    started = time.perf_counter()
    for page in range(pages):
        records = [
            NormalizedRecord(
                f"e{page}-{i}",
                1_700_000_000_000 + page * 100 + i,
                TransactionKind.TRADE,
                "BTC",
                "USDT",
                amount="0.01",
                price="30000",
                fee="0.00001",
                fee_currency="BTC",
                raw={"execId": f"e{page}-{i}", "execQty": "0.01", "execPrice": "30000"},
            )
            for i in range(100)
        ]
        store.commit_page(key_id, "spot", "execution_spot", records, covered=(page * 100, page * 100 + 99))
    elapsed = time.perf_counter() - started
    store.close()
    return pages * 100 / elapsed


def run(size: str, latency_ms: int, scale: float, tmp: Path) -> dict[str, float | str]:
    now_ms = int(time.time() * 1000)
    ctx = mp.get_context("fork")
    ready: mp.Queue = ctx.Queue()
    stop = ctx.Event()
    child = ctx.Process(target=serve, args=(size, now_ms, latency_ms, scale, ready, stop), daemon=True)
    child.start()
    base_url = ready.get(timeout=300)
    store = Store(tmp / f"{size}.sqlite")
    service = AppService(
        store,
        SecretStore(MemoryKeyring()),
        connector_factory=partial(make_connector, rate_limit_scale=max(1.0, scale)),
    )
    key = service.add_key(
        NewKey(
            exchange="bybit",
            label=size,
            host_id="custom",
            base_url=base_url,
            endpoints=tuple(e.id for e in BYBIT.endpoints),
        ),
        Credentials(KEY, SECRET),
    )
    baseline = rss_mb()
    peak = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert child.pid is not None
    started, cpu_started = time.perf_counter(), time.process_time()
    server_cpu_started = process_cpu_s(child.pid)
    sync_started_ms = int(time.time() * 1000)
    result = service.sync_key(key.id)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    server_cpu = process_cpu_s(child.pid) - server_cpu_started
    done.set()
    sampler.join()
    for outcome in result.outcomes:
        if outcome.failure is not None:
            print(f"  {size}: {outcome.endpoint} failed: {outcome.failure.one_line()}", flush=True)
    again = service.sync_key(key.id)
    resync_requests = sum(s.requests for s in store.runs(key.id)[0].streams)
    stream_count = sum(len(e.streams) for e in BYBIT.endpoints)
    stop.set()
    child.join(timeout=30)
    streams = store.runs(key.id)[1].streams
    issued = sum(s.requests for s in streams)
    refused = sum(s.rate_limit_waits for s in streams)
    retried = sum(s.retries for s in streams)
    per_group, chain = minimal_requests(size, sync_started_ms, tmp)
    minimal = sum(per_group.values())
    bound, binding = rate_bound_seconds(per_group, scale)
    latency_floor = chain * latency_ms / 1000
    rows = store.count_transactions()
    store.close()
    return {
        "size": size,
        "ok": str(result.ok),
        "rows": rows,
        "requests": issued,
        "minimal": minimal,
        "requests_ratio": issued / minimal,
        "refused": refused,
        "retried": retried,
        "wall_s": wall,
        "cpu_s": cpu,
        "server_cpu_s": server_cpu,
        "bound_s": max(bound, latency_floor),
        "binding": binding if bound >= latency_floor else "latency of the longest page chain",
        "wall_ratio": wall / max(bound, latency_floor, 1e-9),
        "rows_per_s": rows / wall,
        "peak_mb": peak[0] - baseline,
        "resync_ok": str(again.ok and again.new_records == 0),
        "resync_requests": resync_requests,
        "streams": stream_count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", default=["medium", "large"])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--rate-limit-scale", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        print(f"store ingest: {store_ingest_rate(tmp):,.0f} rows/s (pages of 100, one transaction each)")
        for size in args.sizes:
            r = run(size, args.latency_ms, args.rate_limit_scale, tmp)
            line = (
                f"{r['size']:>7}: ok={r['ok']} rows={r['rows']:,} | "
                f"requests {r['requests']}/{r['minimal']} = {r['requests_ratio']:.2f} "
                f"({r['refused']} refused by rate limit, {r['retried']} retried) | "
                f"wall {r['wall_s']:.1f}s (client CPU {r['cpu_s']:.1f}s,"
                f" simulator CPU {r['server_cpu_s']:.1f}s) / bound {r['bound_s']:.1f}s "
                f"({r['binding']}) "
                f"= {r['wall_ratio']:.2f} | "
                f"{r['rows_per_s']:,.0f} rows/s | peak +{r['peak_mb']:.0f} MB | "
                f"resync ok={r['resync_ok']} {r['resync_requests']} requests for {r['streams']} streams"
            )
            print(line, flush=True)


if __name__ == "__main__":
    main()
