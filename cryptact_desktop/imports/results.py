"""What detection, preview and import report (plain frozen data for the GUI and the CLI)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptact_desktop.i18n import translate
from cryptact_desktop.imports.spec import (
    FileFormat,
)
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.store import Range


def _t(text: str) -> str:
    return translate("imports", text)


# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True, slots=True)
class ImportRefused:
    """The whole file cannot be imported. ``code`` is stable; ``message`` is for the user."""

    code: str
    message: str
    expected: str = ""  # what the dialog expected (exchange / file types)
    found: str = ""  # what the file looks like


@dataclass(frozen=True, slots=True)
class DetectedFile:
    path: Path
    file_name: str
    size: int
    sha256: str
    encoding: str
    delimiter: str
    format: FileFormat
    header_row: int  # line number of the header
    data_rows: int
    uid: str  # the exchange account the file names ("" if it does not)
    name_period: Range | None  # the period the file name states
    content_sha256: str = ""  # of its rows, not its bytes: the same rows saved again match

    @property
    def exchange(self) -> str:
        return self.format.exchange


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    """One message and every row it applies to (with a few example values)."""

    message: str
    rows: tuple[int, ...]  # the first rows it applies to (at most ROWS_LISTED)
    examples: tuple[str, ...] = ()
    count: int = 0  # how many rows it applies to (0: len(rows))

    ROWS_LISTED = 1000

    @property
    def total(self) -> int:
        return self.count or len(self.rows)


@dataclass(frozen=True, slots=True)
class ImportPreview:
    file: DetectedFile | None
    refusal: ImportRefused | None = None
    rows: int = 0
    records: int = 0
    skipped: int = 0
    period: Range | None = None
    by_endpoint: Mapping[str, int] = field(default_factory=dict)
    problems: tuple[ProblemGroup, ...] = ()  # any problem blocks the import
    notes: tuple[ProblemGroup, ...] = ()  # skipped rows and warnings: do not block
    time_zone: str = "UTC"
    time_zone_from_file: bool = False  # the file's header names its zone (the choice is not used)
    sample: tuple[NormalizedRecord, ...] = ()

    @property
    def can_import(self) -> bool:
        return self.refusal is None and not self.problems


class ImportStatus(enum.StrEnum):
    IMPORTED = "imported"
    ALREADY_IMPORTED = "already_imported"  # same file (SHA-256) before: nothing added
    REFUSED = "refused"  # the file as a whole cannot be imported
    REJECTED = "rejected"  # some rows have problems: nothing imported, see ``problems``


@dataclass(frozen=True, slots=True)
class ImportResult:
    status: ImportStatus
    account_id: int | None = None
    file_id: int | None = None
    format_id: str = ""
    rows: int = 0
    records: int = 0
    new_records: int = 0  # added to the transactions
    already_present: int = 0  # the record was already stored (API sync or another file)
    linked: int = 0  # rows without an exchange id matched to an API record
    held_for_review: int = 0  # rows matching several API records: not stored until decided
    skipped: int = 0
    period: Range | None = None
    problems: tuple[ProblemGroup, ...] = ()
    notes: tuple[ProblemGroup, ...] = ()
    refusal: ImportRefused | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (ImportStatus.IMPORTED, ImportStatus.ALREADY_IMPORTED)
