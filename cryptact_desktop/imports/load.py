"""A file's rows read into records (every row, or the problems grouped by message), and the preview."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.detect import detect_table, header_width, refusal_of
from cryptact_desktop.imports.reader import (
    MAX_FILE_BYTES,
    AmbiguousDates,
    FileRefused,
    MixedDateOrder,
    infer_decimal_comma,
    read_table,
    resolve_day_first,
)
from cryptact_desktop.imports.results import DetectedFile, ImportPreview, ProblemGroup
from cryptact_desktop.imports.spec import (
    Draft,
    RowContext,
    RowProblem,
    Skip,
    zone_of_header,
)
from cryptact_desktop.store import Range


def _t(text: str) -> str:
    return translate("imports", text)


# ------------------------------------------------------------------------------------ conversion


@dataclass(frozen=True, slots=True)
class LoadedRow:
    line: int
    draft: Draft
    original: dict[str, str]
    record_key: str


@dataclass
class LoadedFile:
    detected: DetectedFile
    rows: list[LoadedRow]
    skipped: int
    problems: list[ProblemGroup]
    notes: list[ProblemGroup]
    period: Range | None
    zone_name: str
    zone_from_file: bool


class _Collector:
    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = defaultdict(list)
        self.examples: dict[str, list[str]] = defaultdict(list)

    def add(self, message: str, line: int, example: str = "") -> None:
        lines = self.rows[message]
        if line > 0:
            lines.append(line)
        if example and len(self.examples[message]) < 3 and example not in self.examples[message]:
            self.examples[message].append(example)

    def groups(self) -> list[ProblemGroup]:
        return [
            ProblemGroup(message, tuple(lines), tuple(self.examples.get(message, ())))
            for message, lines in sorted(self.rows.items(), key=lambda kv: kv[1][0] if kv[1] else 0)
        ]


def _record_values(draft: Draft) -> tuple[Any, ...]:
    r = draft.record
    return (
        draft.endpoint,
        r.timestamp_ms,
        r.kind.value,
        r.base,
        r.quote,
        r.side.value,
        r.amount,
        r.price,
        r.fee,
    )


def _synthetic_key(draft: Draft, occurrence: int) -> str:
    keys = sorted((k, str(v)) for k, v in draft.match_raw.items() if v not in ("", None))
    payload = json.dumps([*_record_values(draft), draft.time_precision_ms, keys], separators=(",", ":"))
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
    return f"file:{digest}#{occurrence}"


def load_file(
    path: Path | str,
    tz: ZoneInfo,
    *,
    day_first: bool | None,
    max_bytes: int,
    period: Range | None = None,
) -> LoadedFile:
    table = read_table(path, max_bytes=max_bytes)
    detected, index, columns = detect_table(table)
    fmt = detected.format
    header = table.rows[index]
    data = table.rows[index + 1 :]
    width = header_width(header)
    time_index, time_header = columns[fmt.time_field]
    try:
        resolved = resolve_day_first(r.cells[time_index] for r in data if time_index < len(r.cells))
    except AmbiguousDates:
        if day_first is None:
            raise FileRefused(
                "ambiguous_dates",
                _t(
                    "The dates in this file (for example 05/03/2024) can be read day-first or "
                    "month-first. Choose which one the file uses, or download it again without "
                    "opening it in a spreadsheet program."
                ),
            ) from None
        resolved = day_first
    except MixedDateOrder:
        raise FileRefused(
            "mixed_dates",
            _t(
                "The dates in this file are written both day-first and month-first; it cannot be read safely."
            ),
        ) from None
    numeric = [columns[f][0] for f in fmt.numeric_fields if f in columns]
    decimal_comma = infer_decimal_comma(
        (r.cells[i] for r in data for i in numeric if i < len(r.cells)), table.delimiter
    )
    header_zone = zone_of_header(time_header)
    zone = header_zone or tz
    if header_zone is None:
        zone_name = str(tz)
    else:
        zone_name = "UTC" if header_zone.utcoffset(None) == timedelta(0) else str(header_zone)
    headers = {name: text for name, (_, text) in columns.items()}
    problems, notes = _Collector(), _Collector()
    rows: list[LoadedRow] = []
    skipped = 0
    seen_ids: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
    occurrences: dict[str, int] = defaultdict(int)
    header_cells = [c.strip() for c in header.cells[:width]]
    for raw_row in data:
        cells = raw_row.cells
        if len(cells) < width:
            problems.add(
                _t("The row has fewer columns than the header"), raw_row.line, f"{len(cells)}/{width}"
            )
            continue
        if any(c.strip() for c in cells[width:]):
            problems.add(
                _t("The row has more columns than the header"), raw_row.line, f"{len(cells)}/{width}"
            )
            continue
        context = RowContext(
            cells={name: cells[i] for name, (i, _) in columns.items()},
            headers=headers,
            zone=zone,
            decimal_comma=decimal_comma,
            day_first=resolved,
        )
        try:
            outcome = fmt.convert(context)
        except RowProblem as problem:
            problems.add(problem.message, raw_row.line, problem.detail)
            continue
        if isinstance(outcome, Skip):
            notes.add(outcome.reason, raw_row.line)
            skipped += 1
            continue
        draft = outcome
        exchange_id = draft.record.exchange_id
        if exchange_id:
            previous = seen_ids.get((draft.endpoint, exchange_id))
            if previous is not None:
                if previous[1] == _record_values(draft):
                    notes.add(_t("The same record appears twice in the file: stored once"), raw_row.line)
                else:
                    problems.add(
                        _t("The same exchange id is on another row with different values"),
                        raw_row.line,
                        _t("row {row}").format(row=previous[0]),
                    )
                skipped += 1
                continue
            seen_ids[(draft.endpoint, exchange_id)] = (raw_row.line, _record_values(draft))
            record_key = exchange_id
        else:
            base_key = _synthetic_key(draft, 0).rsplit("#", 1)[0]
            occurrences[base_key] += 1
            record_key = f"{base_key}#{occurrences[base_key]}"
        original = {h: cells[i] for i, h in enumerate(header_cells) if h}
        rows.append(LoadedRow(raw_row.line, draft, original, record_key))
    if fmt.row_limit is not None and len(data) >= fmt.row_limit:
        notes.add(translate("imports", fmt.row_limit_note), data[-1].line)
    file_period = _file_period(rows, period or detected.name_period, notes)
    return LoadedFile(
        detected,
        rows,
        skipped,
        problems.groups(),
        notes.groups(),
        file_period,
        zone_name,
        header_zone is not None,
    )


def _file_period(rows: Sequence[LoadedRow], stated: Range | None, notes: _Collector) -> Range | None:
    if not rows:
        return stated
    first = min(r.draft.record.timestamp_ms for r in rows)
    last = max(r.draft.record.timestamp_ms + r.draft.time_precision_ms - 1 for r in rows)
    if stated is None:
        return (first, last)
    # A row written to the minute lies somewhere in its minute: it fits if that minute meets the period.
    earliest_end = min(r.draft.record.timestamp_ms + r.draft.time_precision_ms - 1 for r in rows)
    latest_start = max(r.draft.record.timestamp_ms for r in rows)
    if stated[0] <= earliest_end and latest_start <= stated[1]:
        return stated
    notes.add(
        _t("The period in the file name does not contain all its rows: the rows' own period is used"), 0
    )
    return (first, last)


def preview(
    path: Path | str,
    tz: ZoneInfo,
    *,
    day_first: bool | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    sample_size: int = 20,
) -> ImportPreview:
    """Everything :func:`import_file` would do, without writing."""
    try:
        loaded = load_file(path, tz, day_first=day_first, max_bytes=max_bytes)
    except FileRefused as error:
        return ImportPreview(file=None, refusal=refusal_of(error))
    by_endpoint: dict[str, int] = defaultdict(int)
    for row in loaded.rows:
        by_endpoint[row.draft.endpoint] += 1
    return ImportPreview(
        file=loaded.detected,
        rows=loaded.detected.data_rows,
        records=len(loaded.rows),
        skipped=loaded.skipped,
        period=loaded.period,
        by_endpoint=dict(by_endpoint),
        problems=tuple(loaded.problems),
        notes=tuple(loaded.notes),
        time_zone=loaded.zone_name,
        time_zone_from_file=loaded.zone_from_file,
        sample=tuple(r.draft.record for r in loaded.rows[:sample_size]),
    )
