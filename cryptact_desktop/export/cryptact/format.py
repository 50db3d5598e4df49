"""The Cryptact custom file: its columns, actions, symbols, rows and the small text helpers.

The format (help center article 360002571312, upload errors 24531220135065) is a CSV with the
exact header ``Timestamp,Action,Source,Base,Volume,Price,Counter,Fee,FeeCcy,Comment``; see
``docs/cryptact-mapping.md`` for how stored entries become rows.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import NamedTuple

HEADER: tuple[str, ...] = (
    "Timestamp",
    "Action",
    "Source",
    "Base",
    "Volume",
    "Price",
    "Counter",
    "Fee",
    "FeeCcy",
    "Comment",
)

# The "Action column in the custom file" table (360002571312, 12814753146777). DEFIFEE is listed
# by the custom-file article's case 17 ("Fees resulting from DeFi"). TIP is legacy (only the older
# English page lists it; Cryptact's own tool special-cases TIP rows by date): we never write it and
# the validator refuses it, so a tip must be PAY (paid for something) or REDUCE (coins gone).
ACTIONS: frozenset[str] = frozenset(
    {
        "BUY", "SELL", "PAY", "MINING", "SENDFEE", "REDUCE", "BONUS", "LENDING", "STAKING",
        "LEND", "RECOVER", "BORROW", "RETURN", "LOSS", "LEVELUP", "CASH", "DEFIFEE",
    }
)  # fmt: skip
LEGACY_ACTIONS: frozenset[str] = frozenset({"TIP"})
# LOSS is valued at the coins' book price, not a market price: its Price cell is 0, so Cryptact
# does not look a price up for it.
ZERO_PRICE_ACTIONS: frozenset[str] = frozenset({"LOSS"})

# Fiat counters for which Cryptact looks a blank price up (Japan, Canada and India editions).
FIAT_CURRENCIES: frozenset[str] = frozenset({"JPY", "USD", "EUR", "GBP", "CAD", "AUD", "INR"})

# Exchange symbol -> Cryptact symbol, where they differ. Only verified entries: ``XBT`` is an
# older exchange name of Bitcoin (Cryptact/crypto-db maps it to BTC). The coin names of the venues
# read so far matched Cryptact's for every coin we checked; extend this table against
# grid.cryptact.com/coins when a difference is found.
CRYPTACT_SYMBOLS: Mapping[str, str] = {"XBT": "BTC", "XXBT": "BTC"}

_UNSAFE_TEXT = re.compile(r"[^ -~]|['\"\\,]")


class ExportRow(NamedTuple):
    """One line of the custom file (the capitalised fields are its columns, in order).

    ``timestamp_ms`` and ``rule`` are not written: they order the rows and count the rules. A
    named tuple: an export builds one per row, ~5x faster than a frozen dataclass.
    """

    Timestamp: str
    Action: str
    Source: str
    Base: str
    Volume: str
    Price: str
    Counter: str
    Fee: str
    FeeCcy: str
    Comment: str
    timestamp_ms: int = 0
    rule: str = ""

    def cells(self) -> tuple[str, ...]:
        return self[:10]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A stored record that produces no row, and why (shown to the user, counted per reason).

    ``warning``: when the reason means something is missing from the file, the warning to show
    once for all such records (``{count}`` is filled in).
    """

    reason: str
    warning: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Problem:
    """A cell Cryptact would reject. ``line`` is the file line (the header is line 1)."""

    line: int
    column: str
    message: str
    value: str = ""
    record: str = ""  # the trace of the stored record the row came from (exports only)

    def __str__(self) -> str:
        where = f"{self.line}" + (f", {self.column}" if self.column else "")
        shown = f" ({self.value[:60]!r})" if self.value else ""
        source = f" [{self.record}]" if self.record else ""
        return f"{where}: {self.message}{shown}{source}"


@lru_cache(maxsize=8192)
def cryptact_symbol(symbol: str) -> str:
    """The exchange's coin name as Cryptact spells it."""
    clean = symbol.strip()
    return CRYPTACT_SYMBOLS.get(clean, clean)


@lru_cache(maxsize=4096)
def sanitize_text(text: str) -> str:
    """Reduce free text to characters safe in every cell: printable ASCII without ``'"\\,``."""
    return _UNSAFE_TEXT.sub("_", text).strip()


_PLAIN_ID = re.compile(r"[A-Za-z0-9._:/#+-]*")


def trace_of(exchange: str, endpoint: str, exchange_id: str) -> str:
    """The Comment prefix that leads back to a stored record: ``<venue>:<endpoint>:<id>``."""
    if _PLAIN_ID.fullmatch(exchange_id) is not None:  # nothing to replace (the usual id)
        return f"{_trace_prefix(exchange, endpoint)}{exchange_id}"
    return sanitize_text(f"{exchange}:{endpoint}:{exchange_id}").replace(" ", "_")


@lru_cache(maxsize=256)
def _trace_prefix(exchange: str, endpoint: str) -> str:
    return sanitize_text(f"{exchange}:{endpoint}:").replace(" ", "_")


def parse_trace(comment: str) -> tuple[str, str, str]:
    """(exchange, endpoint, exchange record id) from a Comment written by this module."""
    trace = comment.split(" ", 1)[0]
    parts = trace.split(":", 2)
    if len(parts) != 3:
        raise ValueError(f"not a trace: {trace[:60]!r}")
    return parts[0], parts[1], parts[2]


def format_timestamp(timestamp_ms: int, tz: tzinfo) -> str:
    moment = datetime.fromtimestamp(timestamp_ms // 1000, tz)
    return f"{moment:%Y/%m/%d %H:%M:%S}"


class TimestampFormatter:
    """:func:`format_timestamp` for many rows: the zone's UTC offset is looked up once per quarter
    hour (every zone changes its offset on a quarter hour), the rest is integer arithmetic."""

    def __init__(self, tz: tzinfo) -> None:
        self._tz = tz
        self._offsets: dict[int, int] = {}
        self._minute = -1  # the local minute of the last call, and its "YYYY/MM/DD HH:MM:" text
        self._minute_text = ""

    def __call__(self, timestamp_ms: int) -> str:
        seconds = timestamp_ms // 1000
        quarter = seconds // 900
        offset = self._offsets.get(quarter)
        if offset is None:
            # (not tz.utcoffset(a UTC datetime): that reads the UTC wall time as local time)
            shift = datetime.fromtimestamp(quarter * 900, self._tz).utcoffset()
            offset = int(shift.total_seconds()) if shift is not None else 0
            self._offsets[quarter] = offset
        local = seconds + offset
        minute, second = divmod(local, 60)
        if minute != self._minute:  # rows come in time order: most share the last one's minute
            t = time.gmtime(local)
            self._minute = minute
            day = f"{t.tm_year:04d}/{t.tm_mon:02d}/{t.tm_mday:02d}"
            self._minute_text = f"{day} {t.tm_hour:02d}:{t.tm_min:02d}:"
        return f"{self._minute_text}{second:02d}"


def time_zone_label(tz: tzinfo) -> str:
    key = getattr(tz, "key", None)
    if isinstance(key, str) and key:
        return key
    name = tz.tzname(datetime.now(UTC))
    return name or "UTC"


def suggest_filename(tz: tzinfo, now: datetime) -> str:
    """``cryptact_custom_2026-11-24_UTC.csv``: the date in ``tz`` and the zone to upload with."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    label = re.sub(r"[^A-Za-z0-9+_-]", "-", time_zone_label(tz))
    return f"cryptact_custom_{now.astimezone(tz):%Y-%m-%d}_{label}.csv"
