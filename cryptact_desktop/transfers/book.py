"""The transfers of the whole store: own transfers matched across keys, and the outgoing transfers
left for the user to classify, with what they said.

Read by the export (which rows a withdrawal or a deposit becomes), the GUI's Transfers list and the
CLI's ``transfers`` command; every key is matched against every other, whichever keys an export
selects, since a withdrawal to a wallet is an own transfer whether or not the wallet is exported.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptact_desktop.records import TransactionKind
from cryptact_desktop.state import TransactionFilter, TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.transfers.classes import TransferClass
from cryptact_desktop.transfers.matching import OwnTransfer, is_outgoing, match_transfers

EntryRef = tuple[int, str, str]  # (key id, endpoint, exchange record id)


class Role(enum.StrEnum):
    """What the export makes of a withdrawal or a deposit (the user's classes are the other values)."""

    OWN_SENT = "own_sent"  # the withdrawal of a matched pair: only its fee (SENDFEE)
    OWN_RECEIVED = "own_received"  # the deposit of a matched pair: nothing
    UNCLASSIFIED = "unclassified"  # an unmatched withdrawal nobody classified yet


def ref_of(view: TransactionView) -> EntryRef:
    return (view.key_id, view.endpoint, view.exchange_id)


@dataclass(frozen=True, slots=True)
class TransferBook:
    pairs: tuple[OwnTransfer, ...] = ()
    unmatched: tuple[TransactionView, ...] = ()
    classes: Mapping[EntryRef, TransferClass] = field(default_factory=dict)
    _roles: dict[int, str] = field(default_factory=dict, repr=False)
    _pairs: dict[int, OwnTransfer] = field(default_factory=dict, repr=False)
    _open: dict[int, TransactionView] = field(default_factory=dict, repr=False)
    _refs: dict[EntryRef, TransactionView] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for pair in self.pairs:
            self._roles[pair.sent.id] = Role.OWN_SENT
            self._roles[pair.received.id] = Role.OWN_RECEIVED
            self._pairs[pair.sent.id] = self._pairs[pair.received.id] = pair
        for view in self.unmatched:
            self._roles[view.id] = self.classes.get(ref_of(view), Role.UNCLASSIFIED)
            self._open[view.id] = view
            self._refs[ref_of(view)] = view

    def role(self, view: TransactionView) -> str:
        """The entry's part in a transfer: a :class:`Role`, a :class:`TransferClass` value, or ""."""
        return self._roles.get(view.id, "")

    def classification(self, view: TransactionView) -> TransferClass | None:
        return self.classes.get(ref_of(view))

    @property
    def unclassified(self) -> tuple[TransactionView, ...]:
        return tuple(v for v in self.unmatched if ref_of(v) not in self.classes)

    def pair_of(self, view: TransactionView) -> OwnTransfer | None:
        return self._pairs.get(view.id)

    def entry(self, ref: EntryRef) -> TransactionView | None:
        """The unmatched outgoing transfer with identity ``ref`` (None: not one)."""
        return self._refs.get(ref)

    def outgoing(self, view_id: int) -> TransactionView | None:
        """The outgoing transfer stored under ``view_id`` that the user may classify: one that
        matched nothing, or the withdrawal of a pair (None: neither)."""
        pair = self._pairs.get(view_id)
        if pair is not None:
            return pair.sent if pair.sent.id == view_id else None
        return self._open.get(view_id)


_KINDS = (TransactionKind.DEPOSIT.value, TransactionKind.WITHDRAWAL.value)


def transfer_book(store: Store) -> TransferBook:
    """Match every stored deposit and withdrawal, and attach the stored classifications.

    The user's word beats a match: a withdrawal they said was sold, given or lost takes part in
    no pair (a match by amount and time is a judgement they may overrule), and the deposit it
    would have matched stays a plain deposit."""
    classes: dict[EntryRef, TransferClass] = {}
    for ref, value in store.transfer_classes().items():
        try:
            classes[ref] = TransferClass(value)
        except ValueError:  # a value a later version wrote: as if unclassified
            continue
    views = list(store.iter_views(TransactionFilter(kinds=_KINDS, newest_first=False)))
    overruled = [v for v in views if classes.get(ref_of(v), TransferClass.OWN) is not TransferClass.OWN]
    excluded = {v.id for v in overruled}
    matching = match_transfers(v for v in views if v.id not in excluded)
    unmatched = sorted(
        (*matching.unmatched, *(v for v in overruled if is_outgoing(v))),
        key=lambda v: (v.timestamp_ms, v.id),
    )
    return TransferBook(matching.pairs, tuple(unmatched), classes)


def classify(store: Store, view: TransactionView, value: TransferClass | None) -> None:
    """Store what the user says ``view`` (an outgoing transfer) was; None clears it."""
    store.set_transfer_class(ref_of(view), None if value is None else value.value)
