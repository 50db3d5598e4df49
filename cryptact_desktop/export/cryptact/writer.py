"""Write the Cryptact custom file for the stored entries, and report what it did.

Every row is checked (:mod:`.validate`) before it is written; one invalid row aborts the export
and nothing is replaced. Timestamps, the watermark of "only new" exports and the file encoding are
explained in ``docs/cryptact-mapping.md``.
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Literal

from cryptact_desktop.export.cryptact.format import (
    FIAT_CURRENCIES,
    HEADER,
    ExportRow,
    Problem,
    Skipped,
    TimestampFormatter,
    format_timestamp,
    time_zone_label,
)
from cryptact_desktop.export.cryptact.rules import KeySources, map_transaction
from cryptact_desktop.export.cryptact.validate import row_is_valid, row_problems
from cryptact_desktop.i18n import translate
from cryptact_desktop.records import TransactionKind
from cryptact_desktop.state import KeyConfig, TransactionFilter, TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.transfers.book import Role, transfer_book
from cryptact_desktop.venues.registry import venue_info, venue_name

WATERMARK_SETTING = "export.cryptact.watermark_ms"
LAST_EXPORT_SETTING = "export.cryptact.last_export_ms"
_MAX_PROBLEMS = 200
_WRITE_BATCH = 2000  # lines per write

Mode = Literal["all", "new"]
_WITHDRAWAL = TransactionKind.WITHDRAWAL.value


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export did. ``path`` is None when no file was written (problems, or no rows)."""

    path: Path | None
    mode: Mode
    time_zone: str
    records_read: int
    rows_written: int
    skipped: Mapping[str, int]
    rules: Mapping[str, int]
    warnings: tuple[str, ...]
    problems: tuple[Problem, ...] = ()
    problem_count: int = 0
    first_ms: int | None = None
    last_ms: int | None = None
    watermark_ms: int | None = None
    backfilled: int = 0
    unclassified: int = 0  # outgoing transfers that match nothing and the user has not classified

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def summary_lines(self) -> list[str]:
        """Plain lines for the CLI and the GUI's result dialog."""
        lines = [
            translate("export_cryptact", "Rows written: {rows} (from {records} stored records)").format(
                rows=self.rows_written, records=self.records_read
            )
        ]
        lines += [f"  {rule}: {count}" for rule, count in sorted(self.rules.items())]
        if self.skipped:
            lines.append(translate("export_cryptact", "Not exported:"))
            lines += [f"  {reason}: {count}" for reason, count in sorted(self.skipped.items())]
        lines += [translate("export_cryptact", "WARNING: {text}").format(text=w) for w in self.warnings]
        lines += [str(p) for p in self.problems]
        return lines


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


def _int_setting(store: Store, name: str) -> int | None:
    text = store.setting(name, "")
    try:
        return int(text) if text else None
    except ValueError:
        return None


def export_cryptact(
    store: Store,
    path: Path | str,
    *,
    tz: tzinfo = UTC,
    mode: Mode = "all",
    key_ids: Sequence[int] = (),
    fiat: str = "JPY",
    now_ms: int | None = None,
) -> ExportReport:
    """Write the custom file for the stored transactions, oldest first, and report what it did.

    ``mode="new"``: only rows after the remembered watermark's second. ``key_ids``: only these
    keys (all by default). ``fiat``: the counter for rows Cryptact prices itself. The file is
    written to a temporary file next to ``path`` and moved over it only when complete and valid;
    the watermark and the last-export time move only then. Raises ``OSError`` if the file
    cannot be written, ``ValueError`` for an unknown mode or fiat currency.
    """
    if mode not in ("all", "new"):
        raise ValueError(f"unknown export mode {mode!r}")
    if fiat not in FIAT_CURRENCIES:
        raise ValueError(f"not a supported fiat currency: {fiat!r}")
    path = Path(path)
    keys = {key.id: key for key in store.list_keys() if not key_ids or key.id in key_ids}
    sources = {key_id: key_sources(store, key) for key_id, key in keys.items()}
    names = {key_id: venue_name(key.exchange) for key_id, key in keys.items()}
    old_watermark = _int_setting(store, WATERMARK_SETTING)
    last_export = _int_setting(store, LAST_EXPORT_SETTING)
    from_ms = (old_watermark // 1000 + 1) * 1000 if mode == "new" and old_watermark is not None else None

    stamp = TimestampFormatter(tz)
    book = transfer_book(store)

    def mapped(view: TransactionView) -> list[ExportRow] | Skipped:
        key = keys.get(view.key_id)
        key_sources = sources.get(view.key_id) or KeySources(exchange=key.exchange if key else "unknown")
        return map_transaction(
            view,
            exchange_name=names.get(view.key_id, "Exchange"),
            tz=tz,
            fiat=fiat,
            sources=key_sources,
            stamp=stamp,
            transfer=book.role(view),
        )

    warnings: list[str] = []
    late: set[int] = set()  # entries behind the watermark that changed after the last export
    if mode == "new" and old_watermark is not None and last_export is not None:
        cutoff = (old_watermark // 1000 + 1) * 1000
        for view in store.iter_inserted_after(
            inserted_after_ms=last_export, dated_before_ms=cutoff, key_ids=tuple(key_ids)
        ):
            if isinstance(mapped(view), list):
                late.add(view.id)
        # A classification given since the last export changes the rows of an entry dated before.
        for ref in store.transfer_classes_decided_after(last_export):
            entry = book.entry(ref)
            if entry is not None and entry.timestamp_ms < cutoff and (not key_ids or entry.key_id in key_ids):
                late.add(entry.id)
    backfilled = len(late)
    watermark_text = format_timestamp(old_watermark, tz) if old_watermark is not None else ""
    if backfilled and mode == "new":
        warnings.append(
            translate(
                "export_cryptact",
                "{count} records dated on or before the last exported row ({when}) were synced or"
                " classified after the last export. Cryptact only takes rows newer than the newest row"
                " already uploaded, so they are not in this file and a delta file cannot add them:"
                " delete the custom upload in Cryptact and upload a full export to include them.",
            ).format(count=backfilled, when=watermark_text)
        )
    if mode == "all" and old_watermark is not None:
        warnings.append(
            translate(
                "export_cryptact",
                "This is a full file. Delete the earlier custom upload in Cryptact before uploading it:"
                " otherwise Cryptact takes only its rows after {when}.",
            ).format(when=watermark_text)
        )

    # Every source of an event is read (the rules pick the one to export and count the others as
    # skipped, saying why); a record two keys of one account hold is read once.
    flt = TransactionFilter(key_ids=tuple(key_ids), from_ms=from_ms, newest_first=False, with_sources=True)
    skipped: Counter[str] = Counter()
    missing: Counter[str] = Counter()  # warnings of skips that leave something out of the file
    rules: Counter[str] = Counter()
    problems: list[Problem] = []
    problem_count = 0
    records = rows_written = unclassified = 0
    first_ms: int | None = None
    last_ms: int | None = None
    line = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(HEADER)
            # A valid row has no cell a CSV writer would quote (no comma, quote or line break:
            # row_is_valid checks it), so its line is the cells joined, written in batches.
            pending: list[str] = []
            for view in store.iter_views(flt):
                records += 1
                if view.kind == _WITHDRAWAL and book.role(view) == Role.UNCLASSIFIED:
                    unclassified += 1
                result = mapped(view)
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
                        problem_count += len(found)
                        problems.extend(found[: max(0, _MAX_PROBLEMS - len(problems))])
                        if found:
                            continue
                    pending.append(",".join(cells))
                    if len(pending) >= _WRITE_BATCH:
                        handle.write("\r\n".join(pending) + "\r\n")
                        pending.clear()
                    rows_written += 1
                    rules[row.rule] += 1
                    first_ms = row.timestamp_ms if first_ms is None else first_ms
                    last_ms = row.timestamp_ms
            if pending:
                handle.write("\r\n".join(pending) + "\r\n")
            handle.flush()
            os.fsync(handle.fileno())
        warnings += [warning.format(count=count) for warning, count in missing.items()]
        if unclassified:
            warnings.append(
                translate(
                    "export_cryptact",
                    "{count} outgoing transfers match no deposit of your keys or wallets and are not"
                    " classified: they are in this file as transfers to yourself (only their fee)."
                    " Classify each under Transfers (sent to your other wallet, sold or paid, gift,"
                    " lost) and export again.",
                ).format(count=unclassified)
            )
        if problem_count or rows_written == 0:
            temp.unlink(missing_ok=True)
            if not problem_count:
                warnings.append(translate("export_cryptact", "Nothing to export: no file was written."))
            return ExportReport(
                path=None,
                mode=mode,
                time_zone=time_zone_label(tz),
                records_read=records,
                rows_written=0,
                skipped=dict(skipped),
                rules={},
                warnings=tuple(warnings),
                problems=tuple(problems),
                problem_count=problem_count,
                watermark_ms=old_watermark,
                backfilled=backfilled,
                unclassified=unclassified,
            )
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    assert last_ms is not None
    new_watermark = last_ms
    store.set_setting(WATERMARK_SETTING, str(new_watermark))
    store.set_setting(LAST_EXPORT_SETTING, str(now_ms if now_ms is not None else int(time.time() * 1000)))
    return ExportReport(
        path=path,
        mode=mode,
        time_zone=time_zone_label(tz),
        records_read=records,
        rows_written=rows_written,
        skipped=dict(skipped),
        rules=dict(rules),
        warnings=tuple(warnings),
        first_ms=first_ms,
        last_ms=last_ms,
        watermark_ms=new_watermark,
        backfilled=backfilled,
        unclassified=unclassified,
    )
