"""A file's rows read into records — every row, or the problems grouped by message — and the
preview. Rows are converted as a stream (:class:`Conversion`): memory does not grow with the file.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.detect import Scan, refusal_of, scan
from cryptact_desktop.imports.reader import (
    MAX_FILE_BYTES,
    AmbiguousDates,
    FileRefused,
    MixedDateOrder,
    iter_rows,
)
from cryptact_desktop.imports.results import ImportPreview, ProblemGroup
from cryptact_desktop.imports.seen import SeenRows
from cryptact_desktop.imports.spec import (
    Draft,
    RowContext,
    RowProblem,
    Skip,
    zone_of_header,
)
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.store import Range

# A row dated more than this after "now" is warned about (a wrong year, or the wrong time zone).
FUTURE_MARGIN_MS = 2 * 86_400_000


def _t(text: str) -> str:
    return translate("imports", text)


# ------------------------------------------------------------------------------------ conversion


@dataclass(frozen=True, slots=True)
class LoadedRow:
    line: int
    draft: Draft
    original: dict[str, str]
    record_key: str


class _Collector:
    """Rows grouped by message: the first :attr:`ProblemGroup.ROWS_LISTED` row numbers of each,
    the count of all of them, and up to three examples."""

    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.examples: dict[str, list[str]] = defaultdict(list)

    def add(self, message: str, line: int, example: str = "") -> None:
        lines = self.rows[message]
        if line > 0:
            self.counts[message] += 1
            if len(lines) < ProblemGroup.ROWS_LISTED:
                lines.append(line)
        if example and len(self.examples[message]) < 3 and example not in self.examples[message]:
            self.examples[message].append(example)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def groups(self) -> list[ProblemGroup]:
        return [
            ProblemGroup(
                message, tuple(lines), tuple(self.examples.get(message, ())), self.counts.get(message, 0)
            )
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


def _synthetic_base(draft: Draft) -> str:
    keys = sorted((k, str(v)) for k, v in draft.match_raw.items() if v not in ("", None))
    payload = json.dumps([*_record_values(draft), draft.time_precision_ms, keys], separators=(",", ":"))
    return "file:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def _values_digest(draft: Draft) -> str:
    """The values two rows with the same exchange id must share (compared within one file)."""
    return "\x1f".join(str(value) for value in _record_values(draft))


def _day(ms: int) -> str:
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)).strftime("%Y-%m-%d")


@dataclass
class _Period:
    """The period the rows cover, kept as they stream by (see :meth:`Conversion.period`)."""

    first: int | None = None
    last: int | None = None
    earliest_end: int | None = None
    latest_start: int | None = None

    def add(self, start: int, end: int) -> None:
        self.first = start if self.first is None else min(self.first, start)
        self.last = end if self.last is None else max(self.last, end)
        self.earliest_end = end if self.earliest_end is None else min(self.earliest_end, end)
        self.latest_start = start if self.latest_start is None else max(self.latest_start, start)


@dataclass
class Conversion:
    """The rows of a scanned file as records, read again from the file as a stream.

    Iterate :meth:`rows` once; afterwards ``problems``, ``notes``, ``skipped``, ``records``,
    ``by_endpoint`` and :meth:`period` describe the whole file.
    """

    scan: Scan
    tz: ZoneInfo
    day_first: bool | None = None
    stated_period: Range | None = None
    now_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    problems: _Collector = field(default_factory=_Collector)
    notes: _Collector = field(default_factory=_Collector)
    skipped: int = 0
    records: int = 0
    by_endpoint: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _period: _Period = field(default_factory=_Period)
    zone_name: str = ""
    zone_from_file: bool = False

    def __post_init__(self) -> None:
        try:
            resolved = self.scan.day_order.resolve()
        except AmbiguousDates:
            if self.day_first is None:
                raise FileRefused(
                    "ambiguous_dates",
                    _t(
                        "The dates in this file (for example 05/03/2024) can be read day-first or "
                        "month-first. Choose which one the file uses, or download it again without "
                        "opening it in a spreadsheet program."
                    ),
                ) from None
            resolved = self.day_first
        except MixedDateOrder:
            raise FileRefused(
                "mixed_dates",
                _t(
                    "The dates in this file are written both day-first and month-first; "
                    "it cannot be read safely."
                ),
            ) from None
        self._resolved = resolved
        time_header = self.scan.columns[self.scan.detected.format.time_field][1]
        header_zone = zone_of_header(time_header)
        self._zone = header_zone or self.tz
        if header_zone is None:
            self.zone_name = str(self.tz)
        else:
            self.zone_name = "UTC" if header_zone.utcoffset(None) == timedelta(0) else str(header_zone)
        self.zone_from_file = header_zone is not None

    def rows(self) -> Iterator[LoadedRow]:
        sc = self.scan
        fmt = sc.detected.format
        headers = {name: text for name, (_, text) in sc.columns.items()}
        header_cells = [c.strip() for c in sc.header.cells[: sc.width]]
        width = sc.width
        last_line = 0
        with SeenRows() as seen:
            for raw_row in iter_rows(sc.source):
                if raw_row.line <= sc.header.line:
                    continue
                last_line = raw_row.line
                cells = raw_row.cells
                if len(cells) < width:
                    self.problems.add(
                        _t("The row has fewer columns than the header"), raw_row.line, f"{len(cells)}/{width}"
                    )
                    continue
                if any(c.strip() for c in cells[width:]):
                    self.problems.add(
                        _t("The row has more columns than the header"), raw_row.line, f"{len(cells)}/{width}"
                    )
                    continue
                context = RowContext(
                    cells={name: cells[i] for name, (i, _) in sc.columns.items()},
                    headers=headers,
                    zone=self._zone,
                    decimal_comma=sc.decimal_comma,
                    day_first=self._resolved,
                )
                try:
                    outcome = fmt.convert(context)
                except RowProblem as problem:
                    self.problems.add(problem.message, raw_row.line, problem.detail)
                    continue
                if isinstance(outcome, Skip):
                    self.notes.add(outcome.reason, raw_row.line)
                    self.skipped += 1
                    continue
                draft = outcome
                exchange_id = draft.record.exchange_id
                if exchange_id:
                    digest = _values_digest(draft)
                    previous = seen.first(draft.endpoint, exchange_id, raw_row.line, digest)
                    if previous is not None:
                        if previous[1] == digest:
                            self.notes.add(
                                _t("The same record appears twice in the file: stored once"), raw_row.line
                            )
                        else:
                            self.problems.add(
                                _t("The same exchange id is on another row with different values"),
                                raw_row.line,
                                _t("row {row}").format(row=previous[0]),
                            )
                        self.skipped += 1
                        continue
                    record_key = exchange_id
                else:
                    base_key = _synthetic_base(draft)
                    record_key = f"{base_key}#{seen.occurrence(base_key)}"
                stamp = draft.record.timestamp_ms
                if stamp > self.now_ms + FUTURE_MARGIN_MS:
                    self.notes.add(
                        _t(
                            "Dated in the future: check the dates in the file and the time zone chosen "
                            "for it (the rows are imported as written)"
                        ),
                        raw_row.line,
                        _day(stamp),
                    )
                self._period.add(stamp, stamp + draft.time_precision_ms - 1)
                self.records += 1
                self.by_endpoint[draft.endpoint] += 1
                original = {h: cells[i] for i, h in enumerate(header_cells) if h}
                yield LoadedRow(raw_row.line, draft, original, record_key)
        if fmt.row_limit is not None and sc.detected.data_rows >= fmt.row_limit:
            self.notes.add(translate("imports", fmt.row_limit_note), last_line)

    def period(self) -> Range | None:
        """The period the file covers: what its name states when every row fits in it (a row
        written to the minute lies somewhere in its minute), else the rows' own period."""
        p = self._period
        stated = self.stated_period or self.scan.detected.name_period
        if p.first is None or p.last is None or p.earliest_end is None or p.latest_start is None:
            return stated
        if stated is None:
            return (p.first, p.last)
        if stated[0] <= p.earliest_end and p.latest_start <= stated[1]:
            return stated
        self.notes.add(
            _t("The period in the file name does not contain all its rows: the rows' own period is used"), 0
        )
        return (p.first, p.last)


def preview(
    path: Path | str,
    tz: ZoneInfo,
    *,
    day_first: bool | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    sample_size: int = 20,
) -> ImportPreview:
    """Everything :func:`import_file` would do, without writing. ``file.sha256`` is what
    ``import_file(expected_sha256=...)`` checks, so that what is imported is what was previewed."""
    try:
        sc = scan(path, max_bytes=max_bytes)
        conversion = Conversion(sc, tz, day_first)
        sample: list[NormalizedRecord] = []
        for row in conversion.rows():
            if len(sample) < sample_size:
                sample.append(row.draft.record)
        period = conversion.period()
    except FileRefused as error:
        return ImportPreview(file=None, refusal=refusal_of(error))
    return ImportPreview(
        file=sc.detected,
        rows=sc.detected.data_rows,
        records=conversion.records,
        skipped=conversion.skipped,
        period=period,
        by_endpoint=dict(conversion.by_endpoint),
        problems=tuple(conversion.problems.groups()),
        notes=tuple(conversion.notes.groups()),
        time_zone=conversion.zone_name,
        time_zone_from_file=conversion.zone_from_file,
        sample=tuple(sample),
    )
