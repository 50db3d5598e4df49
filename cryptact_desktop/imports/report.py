"""The reconciliation report: what the imported files and the API agree on, and where they differ.

It lists matched records, records only in files (with whether the API had fetched that time at
all), records only in the API (inside a period a file covers), conflicts (same record, different
values) and rows held for review; :func:`write_report_csv` writes it for support.
"""

from __future__ import annotations

import csv
import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptact_desktop.csv_safety import safe_row
from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.matching import differences, link_file_rows, match_profiles
from cryptact_desktop.imports.reviews import FileRowRef, RecordValues
from cryptact_desktop.state import TransactionView
from cryptact_desktop.store import Range, Store, now_ms
from cryptact_desktop.store.file_rows import group_rows


def _t(text: str) -> str:
    return translate("imports", text)


class ReconStatus(enum.StrEnum):
    MATCHED = "matched"
    ONLY_IN_FILE = "only_in_file"
    ONLY_IN_API = "only_in_api"
    CONFLICT = "conflict"
    HELD = "held_for_review"


_STATUS_LABELS = {
    ReconStatus.MATCHED: "In the file and from the API",
    ReconStatus.ONLY_IN_FILE: "Only in the file",
    ReconStatus.ONLY_IN_API: "Only from the API",
    ReconStatus.CONFLICT: "Different values in the file and from the API",
    ReconStatus.HELD: "Held for review (several API records match)",
}


def status_label(status: ReconStatus) -> str:
    return translate("imports", _STATUS_LABELS[status])


@dataclass(frozen=True, slots=True)
class ReconItem:
    status: ReconStatus
    endpoint: str
    exchange_id: str  # the exchange's id where known ("" for a file row without one)
    timestamp_ms: int
    file_rows: tuple[FileRowRef, ...] = ()
    file_values: RecordValues | None = None
    api_transaction_id: int | None = None
    api_values: RecordValues | None = None
    differences: tuple[str, ...] = ()
    api_covered: bool | None = None  # only-in-file: had the API fetched that time at all?
    candidates: tuple[int, ...] = ()  # held: the API records it could be


@dataclass(frozen=True, slots=True)
class ReconciliationReport:
    account_id: int
    account_label: str
    exchange: str
    period: Range | None
    generated_at_ms: int
    matched: tuple[ReconItem, ...] = ()
    only_in_file: tuple[ReconItem, ...] = ()
    only_in_api: tuple[ReconItem, ...] = ()
    conflicting: tuple[ReconItem, ...] = ()
    held: tuple[ReconItem, ...] = ()
    endpoints: tuple[str, ...] = field(default=())

    def items(self) -> tuple[ReconItem, ...]:
        every = (*self.conflicting, *self.only_in_file, *self.only_in_api, *self.held, *self.matched)
        return tuple(sorted(every, key=lambda i: (i.timestamp_ms, i.endpoint, i.status.value)))

    @property
    def is_clean(self) -> bool:
        return not (self.only_in_file or self.only_in_api or self.conflicting or self.held)


def _in(period: Range | None, t: int) -> bool:
    return period is None or period[0] <= t <= period[1]


def covers(ranges: Sequence[Range], t: int) -> bool:
    return any(a <= t <= b for a, b in ranges)


def reconcile(store: Store, account_id: int, period: Range | None = None) -> ReconciliationReport:
    """Compare the account's imported files with what the API delivered (runs :func:`link_file_rows`
    first, so the report is current). ``period``: inclusive epoch ms, None for everything."""
    link_file_rows(store, account_id)
    data = store.reconcile_data(account_id)
    names, api_cover, file_cover = data.file_names, data.api_coverage, data.file_coverage
    by_key, by_id, held_candidates = data.by_key, data.by_id, data.held_candidates
    profiles = match_profiles(data.exchange)
    groups = group_rows(data.rows)
    buckets: dict[ReconStatus, list[ReconItem]] = defaultdict(list)
    referenced: set[int] = set()
    for group in groups:
        first = group.first
        refs = tuple(FileRowRef(r.file_id, names.get(r.file_id, ""), r.row_number) for r in group.rows)
        tx: TransactionView | None
        if first.status == "review":
            cands = tuple(sorted(held_candidates.get((group.endpoint, group.record_key), [])))
            referenced.update(cands)
            if _in(period, first.timestamp_ms):
                buckets[ReconStatus.HELD].append(
                    ReconItem(
                        ReconStatus.HELD,
                        group.endpoint,
                        first.exchange_id,
                        first.timestamp_ms,
                        refs,
                        RecordValues.of(first),
                        candidates=cands,
                    )
                )
            continue
        if first.status == "linked":
            tx = by_id.get(first.linked_transaction_id or -1)
        else:
            tx = by_key.get((group.endpoint, group.record_key))
        if tx is not None:
            referenced.add(tx.id)
        if not _in(period, first.timestamp_ms):
            continue
        if tx is None or tx.source != "api":
            covered = covers(api_cover.get((group.endpoint, first.stream), []), first.timestamp_ms)
            buckets[ReconStatus.ONLY_IN_FILE].append(
                ReconItem(
                    ReconStatus.ONLY_IN_FILE,
                    group.endpoint,
                    first.exchange_id,
                    first.timestamp_ms,
                    refs,
                    RecordValues.of(first),
                    api_covered=covered,
                )
            )
            continue
        diffs = differences(first, tx, profiles.get(group.endpoint))
        status = ReconStatus.CONFLICT if diffs else ReconStatus.MATCHED
        buckets[status].append(
            ReconItem(
                status,
                group.endpoint,
                first.exchange_id or tx.exchange_id,
                first.timestamp_ms,
                refs,
                RecordValues.of(first),
                tx.id,
                RecordValues.of(tx),
                diffs,
            )
        )
    for endpoint, ranges in file_cover.items():
        for a, b in ranges:
            lo, hi = (max(a, period[0]), min(b, period[1])) if period else (a, b)
            if lo > hi:
                continue
            for api_tx in store.api_transactions_between(account_id, endpoint, lo, hi):
                if api_tx.id in referenced:
                    continue
                buckets[ReconStatus.ONLY_IN_API].append(
                    ReconItem(
                        ReconStatus.ONLY_IN_API,
                        endpoint,
                        api_tx.exchange_id,
                        api_tx.timestamp_ms,
                        api_transaction_id=api_tx.id,
                        api_values=RecordValues.of(api_tx),
                    )
                )
    endpoints = sorted({g.endpoint for g in groups} | set(file_cover))
    return ReconciliationReport(
        account_id=account_id,
        account_label=data.account_label,
        exchange=data.exchange,
        period=period,
        generated_at_ms=now_ms(),
        matched=tuple(buckets[ReconStatus.MATCHED]),
        only_in_file=tuple(buckets[ReconStatus.ONLY_IN_FILE]),
        only_in_api=tuple(buckets[ReconStatus.ONLY_IN_API]),
        conflicting=tuple(buckets[ReconStatus.CONFLICT]),
        held=tuple(buckets[ReconStatus.HELD]),
        endpoints=tuple(endpoints),
    )


def _iso(ms: int | None) -> str:
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"


_CSV_VALUE_FIELDS = ("kind", "base", "quote", "side", "amount", "price", "fee", "fee_currency", "tx_hash")


class _SafeWriter:
    """A csv writer whose cells cannot run as spreadsheet formulas (see :mod:`..csv_safety`)."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow(safe_row(row))


def write_report_csv(report: ReconciliationReport, path: Path | str) -> Path:
    """Write the report as a UTF-8 CSV (with BOM, so Excel opens it correctly) for support. No
    cell can run as a spreadsheet formula (a file name or a symbol could start with ``=``)."""
    path = Path(path)
    header = [
        _t("Status"),
        _t("Status code"),
        _t("Endpoint"),
        _t("Time (UTC)"),
        _t("Exchange ID"),
        _t("File"),
        _t("Row"),
        _t("Differences"),
        _t("API covered this time"),
        _t("Candidate API records"),
    ]
    for name in _CSV_VALUE_FIELDS:
        header += [f"file_{name}", f"api_{name}"]
    header += ["file_time", "api_time"]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = _SafeWriter(csv.writer(handle))
        writer.writerow([f"# {_t('Reconciliation report')}", report.account_label, report.exchange])
        writer.writerow(
            [
                f"# {_t('Period')}",
                _iso(report.period[0]) if report.period else _t("everything"),
                _iso(report.period[1]) if report.period else "",
                f"{_t('Generated')} {_iso(report.generated_at_ms)}",
            ]
        )
        writer.writerow(
            [
                f"# {_t('Counts')}",
                f"matched={len(report.matched)}",
                f"only_in_file={len(report.only_in_file)}",
                f"only_in_api={len(report.only_in_api)}",
                f"conflicting={len(report.conflicting)}",
                f"held_for_review={len(report.held)}",
            ]
        )
        writer.writerow(header)
        for item in report.items():
            row = [
                status_label(item.status),
                item.status.value,
                item.endpoint,
                _iso(item.timestamp_ms),
                item.exchange_id,
                "; ".join(sorted({r.file_name for r in item.file_rows})),
                "; ".join(str(r.row_number) for r in item.file_rows),
                ", ".join(item.differences),
                "" if item.api_covered is None else ("yes" if item.api_covered else "no"),
                " ".join(str(c) for c in item.candidates),
            ]
            for name in _CSV_VALUE_FIELDS:
                row.append(getattr(item.file_values, name) if item.file_values else "")
                row.append(getattr(item.api_values, name) if item.api_values else "")
            row.append(_iso(item.file_values.timestamp_ms) if item.file_values else "")
            row.append(_iso(item.api_values.timestamp_ms) if item.api_values else "")
            writer.writerow(row)
    return path
