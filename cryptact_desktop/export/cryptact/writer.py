"""Write the Cryptact custom file for the stored entries, and report what it did.

Every row is checked (:mod:`.validate`) before it is written; one invalid row aborts the export
and nothing is replaced. Timestamps, the watermark of "only new" exports and the file encoding are
explained in ``docs/cryptact-mapping.md``.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Literal

from cryptact_desktop.export.cryptact import parts
from cryptact_desktop.export.cryptact.format import (
    FIAT_CURRENCIES,
    HEADER,
    Problem,
    format_timestamp,
    time_zone_label,
)
from cryptact_desktop.export.cryptact.stream import EntryMapper, Tally, key_sources, write_lines
from cryptact_desktop.i18n import translate
from cryptact_desktop.state import TransactionFilter
from cryptact_desktop.store import Store

__all__ = [
    "LAST_EXPORT_SETTING",
    "WATERMARK_SETTING",
    "ExportReport",
    "Mode",
    "export_cryptact",
    "key_sources",
]

WATERMARK_SETTING = "export.cryptact.watermark_ms"
LAST_EXPORT_SETTING = "export.cryptact.last_export_ms"

Mode = Literal["all", "new"]


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
    processes: int | None = None,
) -> ExportReport:
    """Write the custom file for the stored transactions, oldest first, and report what it did.

    ``mode="new"``: only rows after the remembered watermark's second. ``key_ids``: only these
    keys (all by default). ``fiat``: the counter for rows Cryptact prices itself. The file is
    written to a temporary file next to ``path`` and moved over it only when complete and valid;
    the watermark and the last-export time move only then. ``processes``: how many processes map
    the entries (:mod:`.parts`; None: by the size of the export and the CPUs). Raises ``OSError``
    if the file cannot be written, ``ValueError`` for an unknown mode or fiat currency.
    """
    if mode not in ("all", "new"):
        raise ValueError(f"unknown export mode {mode!r}")
    if fiat not in FIAT_CURRENCIES:
        raise ValueError(f"not a supported fiat currency: {fiat!r}")
    path = Path(path)
    old_watermark = _int_setting(store, WATERMARK_SETTING)
    last_export = _int_setting(store, LAST_EXPORT_SETTING)
    from_ms = (old_watermark // 1000 + 1) * 1000 if mode == "new" and old_watermark is not None else None
    # Every source of an event is read (the rules pick the one to export and count the others as
    # skipped, saying why); a record two keys of one account hold is read once.
    flt = TransactionFilter(key_ids=tuple(key_ids), from_ms=from_ms, newest_first=False, with_sources=True)
    entries = store.count_transactions(flt) if processes != 1 else 0
    if processes is None:
        processes = parts.part_count(store, entries)
    cuts = parts.split_times(store, flt, processes, entries) if processes > 1 else []
    look_back = mode == "new" and old_watermark is not None and last_export is not None
    # The processes of a large export map the entries themselves; this one only for the look back.
    mapper = EntryMapper(store, key_ids=key_ids, tz=tz, fiat=fiat) if not cuts or look_back else None

    warnings: list[str] = []
    late: set[int] = set()  # entries behind the watermark that changed after the last export
    if look_back:
        assert mapper is not None and old_watermark is not None and last_export is not None
        cutoff = (old_watermark // 1000 + 1) * 1000
        for view in store.iter_inserted_after(
            inserted_after_ms=last_export, dated_before_ms=cutoff, key_ids=tuple(key_ids)
        ):
            if isinstance(mapper.rows(view), list):
                late.add(view.id)
        # A classification given since the last export changes the rows of an entry dated before.
        for ref in store.transfer_classes_decided_after(last_export):
            entry = mapper.book.entry(ref)
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

    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    part_files: list[Path] = []
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write((",".join(HEADER) + "\r\n").encode())
            if not cuts:
                assert mapper is not None
                text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
                tally = write_lines(store, mapper, flt, text, first_line=2)
                text.flush()
                text.detach()  # the file stays open for the fsync below
            else:
                written = parts.write_parts(
                    store,
                    flt,
                    cuts,
                    key_ids=key_ids,
                    tz=tz,
                    fiat=fiat,
                    directory=path.parent,
                    prefix=f".{path.name}.part",
                )
                part_files = [part for part, _ in written]
                tally = Tally(lines=1)  # the header: the first part's line 1 is the file's line 2
                for part, part_tally in written:
                    tally.add(part_tally)
                    with part.open("rb") as source:
                        shutil.copyfileobj(source, handle, 1 << 20)
            handle.flush()
            os.fsync(handle.fileno())
        warnings += [warning.format(count=count) for warning, count in tally.missing.items()]
        if tally.unclassified:
            warnings.append(
                translate(
                    "export_cryptact",
                    "{count} outgoing transfers match no deposit of your keys or wallets and are not"
                    " classified: they are in this file as transfers to yourself (only their fee)."
                    " Classify each under Transfers (sent to your other wallet, sold or paid, gift,"
                    " lost) and export again.",
                ).format(count=tally.unclassified)
            )
        if tally.problem_count or tally.rows_written == 0:
            temp.unlink(missing_ok=True)
            if not tally.problem_count:
                warnings.append(translate("export_cryptact", "Nothing to export: no file was written."))
            return ExportReport(
                path=None,
                mode=mode,
                time_zone=time_zone_label(tz),
                records_read=tally.records,
                rows_written=0,
                skipped=dict(tally.skipped),
                rules={},
                warnings=tuple(warnings),
                problems=tuple(tally.problems),
                problem_count=tally.problem_count,
                watermark_ms=old_watermark,
                backfilled=backfilled,
                unclassified=tally.unclassified,
            )
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        for part in part_files:
            part.unlink(missing_ok=True)
    assert tally.last_ms is not None
    new_watermark = tally.last_ms
    store.set_setting(WATERMARK_SETTING, str(new_watermark))
    store.set_setting(LAST_EXPORT_SETTING, str(now_ms if now_ms is not None else int(time.time() * 1000)))
    return ExportReport(
        path=path,
        mode=mode,
        time_zone=time_zone_label(tz),
        records_read=tally.records,
        rows_written=tally.rows_written,
        skipped=dict(tally.skipped),
        rules=dict(tally.rules),
        warnings=tuple(warnings),
        first_ms=tally.first_ms,
        last_ms=tally.last_ms,
        watermark_ms=new_watermark,
        backfilled=backfilled,
        unclassified=tally.unclassified,
    )
