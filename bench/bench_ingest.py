"""Ingest benchmark: how fast the store commits synced pages as the table grows.

Stores ``--rows`` realistic records (spot executions: the raw JSON of a real Bybit record per row)
through ``Store.commit_page`` in pages of ``--page`` rows, exactly as the sync engine does (rows,
coverage and resume point in one transaction per page), then inserts the same rows into a fresh
database of the same schema with plain ``sqlite3`` ``executemany``, one transaction per page, as
the physical limit. Measured in one run; the last line is

    ingest N rows: R rows/s, last-10% / first-10% = X, vs raw sqlite3 executemany = Y

(targets: X >= 0.7, Y >= 0.25), preceded by the bytes each stored row takes on disk.

    python bench/bench_ingest.py [--rows 1000000] [--page 100]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from cryptact_desktop.records import NormalizedRecord, Side, TransactionKind
from cryptact_desktop.state import NewKey, StreamProgress
from cryptact_desktop.store import Store, transaction_values

BASE_MS = 1_700_000_000_000


def make_records(count: int, offset: int = 0) -> list[NormalizedRecord]:
    """Executions shaped like Bybit's (the most common record), each with its own raw JSON. Half
    the ids grow like spot execution ids, half are random UUIDs like derivative ones (so the
    unique index is written all over, as in a real account)."""
    rng = random.Random(2026 + offset)
    records = []
    for i in range(offset, offset + count):
        when = BASE_MS + i * 997
        exec_id = f"{2100000000000000000 + i * 7919}" if i % 2 else str(uuid.UUID(int=rng.getrandbits(128)))
        price = f"{29000 + (i % 5000) * 0.37:.2f}"
        qty = f"0.{(i * 37) % 99999 + 1:05d}"
        raw = {
            "symbol": "BTCUSDT",
            "orderType": "Market",
            "orderLinkId": "",
            "orderId": f"{1500000000000000000 + i // 3}",
            "execTime": str(when),
            "feeRate": "0.001",
            "execPrice": price,
            "orderQty": "0",
            "orderPrice": "0",
            "execValue": "9.9821232",
            "execType": "Trade",
            "seq": str(125195366 + i),
            "side": "Buy" if i % 2 else "Sell",
            "leavesQty": "0",
            "isMaker": False,
            "execFee": "0.000000336",
            "feeCurrency": "BTC",
            "execId": exec_id,
            "execQty": qty,
        }
        records.append(
            NormalizedRecord(
                exchange_id=exec_id,
                timestamp_ms=when,
                kind=TransactionKind.TRADE,
                base="BTC",
                quote="USDT",
                side=Side.BUY if i % 2 else Side.SELL,
                amount=qty,
                price=price,
                fee="0.000000336",
                fee_currency="BTC",
                raw=raw,
            )
        )
    return records


def store_ingest(path: Path, records: list[NormalizedRecord], page: int) -> list[float]:
    """Seconds per page through Store.commit_page."""
    store = Store(path)
    key = store.add_key(NewKey(exchange="bybit", label="bench", host_id="global", endpoints=("spot",)))
    times: list[float] = []
    window = 7 * 86_400_000
    for i in range(0, len(records), page):
        chunk = records[i : i + page]
        start_ms = chunk[0].timestamp_ms
        last = (
            i + page >= len(records)
            or (chunk[-1].timestamp_ms - BASE_MS) // window
            != (records[min(i + page, len(records) - 1)].timestamp_ms - BASE_MS) // window
        )
        started = time.perf_counter()
        store.commit_page(
            key,
            "spot",
            "execution_spot",
            chunk,
            covered=(BASE_MS, chunk[-1].timestamp_ms) if last else None,
            progress=None if last else StreamProgress(start_ms, start_ms + window, f"cursor-{i}"),
            window_done=start_ms if last else None,
        )
        times.append(time.perf_counter() - started)
    store.close()
    return times


def raw_ingest(schema_from: Path, path: Path, records: list[NormalizedRecord], page: int) -> float:
    """Seconds for plain sqlite3 executemany of the same rows into the same schema."""
    source = sqlite3.connect(schema_from)
    ddl = [sql for (sql,) in source.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
    source.close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    for sql in ddl:
        connection.execute(sql)
    connection.execute(
        "INSERT INTO api_keys (id, exchange, label, subaccount, host_id, base_url, paused, key_hint,"
        " permissions, exchange_user_id, created_at_ms, updated_at_ms)"
        " VALUES (1, 'bybit', 'raw', '', 'global', '', 0, '', '', '', 0, 0)"
    )
    values = [
        transaction_values(1, "spot", "execution_spot", r.exchange_id, r, "api", r.raw_json(), 0)
        for r in records
    ]
    columns = list(values[0])
    statement = f"INSERT INTO transactions ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    rows = [tuple(v[c] for c in columns) for v in values]
    started = time.perf_counter()
    for i in range(0, len(rows), page):
        connection.execute("BEGIN")
        connection.executemany(statement, rows[i : i + page])
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--page", type=int, default=100)
    args = parser.parse_args()
    records = make_records(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "store.sqlite"
        times = store_ingest(ours, records, args.page)
        total = sum(times)
        tenth = max(1, len(times) // 10)
        first, last = sum(times[:tenth]) / tenth, sum(times[-tenth:]) / tenth
        size = sum(f.stat().st_size for f in Path(tmp).glob("store.sqlite*"))
        raw_seconds = raw_ingest(ours, Path(tmp) / "raw.sqlite", records, args.page)
        raw_size = os.path.getsize(Path(tmp) / "raw.sqlite")
    rate = args.rows / total
    raw_rate = args.rows / raw_seconds
    json_bytes = sum(len(r.raw_json()) for r in records) / len(records)
    per_row, raw_per_row = size / args.rows, raw_size / args.rows
    print(f"bytes per row: {per_row:.0f} (raw insert {raw_per_row:.0f}; raw JSON alone {json_bytes:.0f})")
    print(f"page commit: first 10% {first * 1000:.2f} ms, last 10% {last * 1000:.2f} ms")
    print(
        f"ingest {args.rows} rows: {rate:.0f} rows/s, last-10% / first-10% = {first / last:.2f},"
        f" vs raw sqlite3 executemany = {rate / raw_rate:.2f}"
    )


if __name__ == "__main__":
    main()
