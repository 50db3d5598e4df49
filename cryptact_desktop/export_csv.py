"""Export every normalised transaction to a plain UTF-8 CSV file (for support and spreadsheets).

Every cell that a spreadsheet could run as a formula is neutralised (:mod:`.csv_safety`); numbers,
negative ones included, are written as they are.

Rows are streamed from :meth:`Store.iter_transactions` (never all loaded at once) into a
temporary file next to the target, which replaces the target only once it is complete: a
failed or interrupted export leaves no half-written file behind.
"""

from __future__ import annotations

import csv
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptact_desktop.csv_safety import safe_row
from cryptact_desktop.state import TransactionFilter
from cryptact_desktop.store import Store

COLUMNS: tuple[str, ...] = (
    "key_id",
    "key_label",
    "exchange",
    "endpoint",
    "stream",
    "exchange_id",
    "timestamp_utc",
    "timestamp_ms",
    "kind",
    "base",
    "quote",
    "side",
    "amount",
    "price",
    "fee",
    "fee_currency",
    "network",
    "tx_hash",
    "source",
    "mirror_of",
    "raw_json",
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def iso_utc_ms(timestamp_ms: int) -> str:
    """``2024-01-02T03:04:05.678Z`` (exact: no float arithmetic)."""
    moment = _EPOCH + timedelta(milliseconds=timestamp_ms)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def write_transactions_csv(store: Store, path: Path, flt: TransactionFilter | None = None) -> int:
    """Write the transactions matching ``flt`` (all of them by default), oldest first, to ``path``.

    One row per economic event unless ``flt`` asks for every source (``with_sources``: a ledger's
    copies of trades too, named by ``mirror_of``); a record two keys of one account hold is
    written once.

    Returns the number of rows written (the header not counted). Raises ``OSError`` when the
    file cannot be written; ``path`` is then left as it was.
    """
    path = Path(path)
    keys = {key.id: key for key in store.list_keys()}
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    count = 0
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for tx, raw_json in store.iter_transactions(flt):
                key = keys.get(tx.key_id)
                writer.writerow(
                    safe_row(
                        (
                            tx.key_id,
                            key.label if key is not None else "",
                            key.exchange if key is not None else "",
                            tx.endpoint,
                            tx.stream,
                            tx.exchange_id,
                            iso_utc_ms(tx.timestamp_ms),
                            tx.timestamp_ms,
                            tx.kind,
                            tx.base,
                            tx.quote,
                            tx.side,
                            tx.amount,
                            tx.price,
                            tx.fee,
                            tx.fee_currency,
                            tx.network,
                            tx.tx_hash,
                            tx.source,
                            tx.mirror_of,
                            raw_json,
                        )
                    )
                )
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return count


__all__ = ["COLUMNS", "iso_utc_ms", "write_transactions_csv"]
