"""Own transfers: a withdrawal from one of the user's keys or wallets that arrived as a deposit on
another of them is one internal transfer, not a disposal plus an acquisition.

Only neutral entries are read (``TransactionView``: kind, asset, amount, fee, time, tx hash), so an
exchange → wallet, wallet → exchange, wallet → wallet or exchange → exchange move matches the same
way, whichever venues are involved. A pair is found

1. by **transaction hash**: the sent and the received entry name the same on-chain transaction
   (compared without case and a ``0x`` prefix), same asset, on two different keys; else
2. by **asset, amount and time**: the deposit of the same asset on another key arrived at most
   :data:`EARLY_MS` before and :data:`WINDOW_MS` after the withdrawal, and its amount lies between
   the amount sent net of the withdrawal's fee and the amount sent (an exchange lists the amount
   either before or after deducting its fee), each bound widened by :data:`TOLERANCE` of the amount
   plus :data:`DUST`. Two entries that both carry a tx hash match only by hash. Among several
   deposits that fit, the one closest in time wins (then the lower id): each entry is in at most
   one pair.

Withdrawals of nothing (a wallet's transaction between its own addresses: only its fee is spent)
are not transfers and never listed. Everything here is a pure function of the entries given.
"""

from __future__ import annotations

import bisect
import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cryptact_desktop.records import TransactionKind
from cryptact_desktop.state import TransactionView

HOUR_MS = 3_600_000
# A withdrawal's own record may be stamped after the chain saw it (an exchange's "completed" time):
# a deposit up to an hour earlier still matches.
EARLY_MS = HOUR_MS
# Exchanges batch and delay withdrawals, and credit deposits only after confirmations: three days.
WINDOW_MS = 72 * HOUR_MS
TOLERANCE = Decimal("0.0001")  # 1 basis point of the amount sent (rounding to each venue's precision)
DUST = Decimal("0.00000001")

_WITHDRAWAL = TransactionKind.WITHDRAWAL.value
_DEPOSIT = TransactionKind.DEPOSIT.value


class MatchMethod(enum.StrEnum):
    TX_HASH = "tx_hash"
    AMOUNT = "amount"


@dataclass(frozen=True, slots=True)
class OwnTransfer:
    """A withdrawal (``sent``) and the deposit it became (``received``): one internal transfer."""

    sent: TransactionView
    received: TransactionView
    method: MatchMethod


@dataclass(frozen=True, slots=True)
class Matching:
    """The pairs found, and the outgoing transfers no deposit of the user's matched (oldest first)."""

    pairs: tuple[OwnTransfer, ...]
    unmatched: tuple[TransactionView, ...]


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text) if text else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() else None


def _positive(view: TransactionView) -> Decimal | None:
    amount = _number(view.amount)
    return abs(amount) if amount is not None and amount != 0 else None


def normal_hash(text: str) -> str:
    """A tx hash compared across venues: no case, no ``0x`` prefix, no surrounding spaces."""
    value = text.strip().lower()
    return value[2:] if value.startswith("0x") else value


def _asset(view: TransactionView) -> str:
    return view.base.strip().upper()


def is_outgoing(view: TransactionView) -> bool:
    """A withdrawal that moved coins (not a copy of another endpoint's entry, not zero)."""
    return view.kind == _WITHDRAWAL and not view.mirror_of and _positive(view) is not None


def is_incoming(view: TransactionView) -> bool:
    return view.kind == _DEPOSIT and not view.mirror_of and _positive(view) is not None


def amount_fits(sent: TransactionView, received: TransactionView) -> bool:
    """Whether ``received`` is ``sent``'s amount, before or after its fee (within the tolerance)."""
    out, into = _positive(sent), _positive(received)
    if out is None or into is None:
        return False
    fee = _number(sent.fee) if (sent.fee_currency or sent.base).upper() == _asset(sent) else None
    slack = out * TOLERANCE + DUST
    low = out - abs(fee or Decimal(0)) - slack
    return low <= into <= out + slack


def match_transfers(views: Iterable[TransactionView]) -> Matching:
    """Pair every withdrawal with the deposit on another key it became (see the module's rules)."""
    moves = sorted(
        (v for v in views if is_outgoing(v) or is_incoming(v)), key=lambda v: (v.timestamp_ms, v.id)
    )
    sent = [v for v in moves if v.kind == _WITHDRAWAL]
    received = [v for v in moves if v.kind == _DEPOSIT]
    taken: set[int] = set()
    pairs: dict[int, OwnTransfer] = {}

    by_hash: dict[tuple[str, str], list[TransactionView]] = defaultdict(list)
    for view in received:
        if view.tx_hash.strip():
            by_hash[(normal_hash(view.tx_hash), _asset(view))].append(view)
    for out in sent:
        if not out.tx_hash.strip():
            continue
        amount = _positive(out) or Decimal(0)
        candidates = [
            v
            for v in by_hash.get((normal_hash(out.tx_hash), _asset(out)), ())
            if v.id not in taken and v.key_id != out.key_id
        ]
        if candidates:
            same = min(candidates, key=lambda v: (abs((_positive(v) or Decimal(0)) - amount), v.id))
            taken.add(same.id)
            pairs[out.id] = OwnTransfer(out, same, MatchMethod.TX_HASH)

    by_asset: dict[str, list[TransactionView]] = defaultdict(list)
    for view in received:  # already in time order
        if view.id not in taken:
            by_asset[_asset(view)].append(view)
    times = {asset: [v.timestamp_ms for v in items] for asset, items in by_asset.items()}
    for out in sent:
        if out.id in pairs:
            continue
        items = by_asset.get(_asset(out), [])
        start = bisect.bisect_left(times.get(_asset(out), []), out.timestamp_ms - EARLY_MS)
        best: TransactionView | None = None
        for view in items[start:]:
            if view.timestamp_ms > out.timestamp_ms + WINDOW_MS:
                break
            if view.id in taken or view.key_id == out.key_id:
                continue
            if out.tx_hash.strip() and view.tx_hash.strip():
                continue  # both name their transaction: only the hash may pair them
            if not amount_fits(out, view):
                continue
            if best is None or abs(view.timestamp_ms - out.timestamp_ms) < abs(
                best.timestamp_ms - out.timestamp_ms
            ):
                best = view
        if best is not None:
            taken.add(best.id)
            pairs[out.id] = OwnTransfer(out, best, MatchMethod.AMOUNT)

    ordered = tuple(pairs[v.id] for v in sent if v.id in pairs)
    unmatched = tuple(v for v in sent if v.id not in pairs)
    return Matching(ordered, unmatched)
