"""Stored entries in, custom-file lines out: the loop at the heart of an export.

:class:`EntryMapper` holds what mapping an entry needs besides the entry (its key's venue and
sources, the transfer book, the time zone); :func:`write_lines` maps a run of entries in time
order, checks every row, writes the valid ones and returns a :class:`Tally` of what it did. An
export runs it once over everything, or once per time range in separate processes
(:mod:`.parts`) and adds the tallies up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from typing import TextIO

from cryptact_desktop.export.cryptact.format import ExportRow, Problem, Skipped, TimestampFormatter
from cryptact_desktop.export.cryptact.rules import KeySources, map_transaction
from cryptact_desktop.export.cryptact.validate import row_is_valid, row_problems
from cryptact_desktop.records import TransactionKind
from cryptact_desktop.state import KeyConfig, TransactionFilter, TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.transfers.book import Role, transfer_book
from cryptact_desktop.venues.registry import venue_info, venue_name

MAX_PROBLEMS = 200  # problems kept to show; all are counted
_WRITE_BATCH = 2000  # lines per write
_WITHDRAWAL = TransactionKind.WITHDRAWAL.value


def key_sources(store: Store, key: KeyConfig) -> KeySources:
    """What ``key`` has synced: the endpoints it uses, and the coverage of each endpoint that
    supersedes another (so the export takes every event from one source only)."""
    synced = frozenset(e.endpoint for e in key.endpoints if e.enabled or e.record_count)
    try:
        info = venue_info(key.exchange)
    except KeyError:  # a venue no longer in the app: its entries still export by kind
        return KeySources(exchange=key.exchange, synced=synced)
    superseded_by = {e.id: e.superseded_by for e in info.endpoints if e.superseded_by}
    covered = {}
    for target in set(superseded_by.values()):
        endpoint = info.endpoint(target)
        streams = [] if endpoint.discover else [s.id for s in endpoint.streams]
        covered[target] = tuple(store.endpoint_coverage(key.id, target, streams))
    return KeySources(
        exchange=key.exchange,
        synced=synced,
        covered=covered,
        superseded_by=superseded_by,
        names={e.id: e.display_name() for e in info.endpoints},
    )


class EntryMapper:
    """Maps stored entries of ``key_ids`` (every key when empty) to custom-file rows."""

    def __init__(self, store: Store, *, key_ids: Sequence[int], tz: tzinfo, fiat: str) -> None:
        self.keys = {key.id: key for key in store.list_keys() if not key_ids or key.id in key_ids}
        self._sources = {key_id: key_sources(store, key) for key_id, key in self.keys.items()}
        self._names = {key_id: venue_name(key.exchange) for key_id, key in self.keys.items()}
        self._tz = tz
        self._fiat = fiat
        self._stamp = TimestampFormatter(tz)
        self.book = transfer_book(store)

    def rows(self, view: TransactionView) -> list[ExportRow] | Skipped:
        """The rows of ``view``, or why it has none."""
        sources = self._sources.get(view.key_id)
        if sources is None:
            key = self.keys.get(view.key_id)
            sources = KeySources(exchange=key.exchange if key else "unknown")
        return map_transaction(
            view,
            exchange_name=self._names.get(view.key_id, "Exchange"),
            tz=self._tz,
            fiat=self._fiat,
            sources=sources,
            stamp=self._stamp,
            transfer=self.book.role(view),
        )

    def unclassified(self, view: TransactionView) -> bool:
        """An outgoing transfer that matches nothing and the user has not classified."""
        return view.kind == _WITHDRAWAL and self.book.role(view) == Role.UNCLASSIFIED


@dataclass(slots=True)
class Tally:
    """What :func:`write_lines` did. ``lines``: the data lines its rows took, written or not
    (problems name a line as if every row were written, so a file's lines count them all)."""

    records: int = 0
    rows_written: int = 0
    lines: int = 0
    unclassified: int = 0
    first_ms: int | None = None
    last_ms: int | None = None
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    missing: Counter[str] = field(default_factory=Counter)  # warnings of skips that leave rows out
    rules: Counter[str] = field(default_factory=Counter)

    def add(self, later: Tally) -> None:
        """Add the tally of the entries right after this one's (its lines follow these)."""
        self.records += later.records
        self.rows_written += later.rows_written
        self.unclassified += later.unclassified
        self.first_ms = later.first_ms if self.first_ms is None else self.first_ms
        self.last_ms = later.last_ms if later.last_ms is not None else self.last_ms
        room = max(0, MAX_PROBLEMS - len(self.problems))
        self.problems += [replace(p, line=p.line + self.lines) for p in later.problems[:room]]
        self.problem_count += later.problem_count
        self.lines += later.lines
        self.skipped.update(later.skipped)
        self.missing.update(later.missing)
        self.rules.update(later.rules)


def write_lines(
    store: Store,
    mapper: EntryMapper,
    flt: TransactionFilter,
    handle: TextIO,
    *,
    first_line: int,
) -> Tally:
    """Map every entry ``flt`` selects (oldest first), check each row and write the valid ones to
    ``handle`` as CRLF lines; ``first_line`` is the file line of the first row (for problems)."""
    tally = Tally()
    skipped, missing, rules = tally.skipped, tally.missing, tally.rules
    line = first_line - 1
    # A valid row has no cell a CSV writer would quote (no comma, quote or line break: row_is_valid
    # checks it), so its line is the cells joined, written in batches.
    pending: list[str] = []
    for view in store.iter_views(flt):
        tally.records += 1
        if mapper.unclassified(view):
            tally.unclassified += 1
        result = mapper.rows(view)
        if isinstance(result, Skipped):
            skipped[result.reason] += 1
            if result.warning:
                missing[result.warning] += 1
            continue
        for row in result:
            line += 1
            cells = row.cells()
            if not row_is_valid(cells):
                trace = row.Comment.split(" ", 1)[0]
                found = [replace(p, record=trace) for p in row_problems(cells, line)]
                tally.problem_count += len(found)
                tally.problems.extend(found[: max(0, MAX_PROBLEMS - len(tally.problems))])
                if found:
                    continue
            pending.append(",".join(cells))
            if len(pending) >= _WRITE_BATCH:
                handle.write("\r\n".join(pending) + "\r\n")
                pending.clear()
            tally.rows_written += 1
            rules[row.rule] += 1
            tally.first_ms = row.timestamp_ms if tally.first_ms is None else tally.first_ms
            tally.last_ms = row.timestamp_ms
    if pending:
        handle.write("\r\n".join(pending) + "\r\n")
    tally.lines = line - (first_line - 1)
    return tally
