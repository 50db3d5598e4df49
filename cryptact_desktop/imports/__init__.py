"""Import exchange download files (CSV) next to API sync, storing each record once.

See :mod:`.spec` (how a file type is described; each venue's ``files.py`` lists its own),
:mod:`.reader` (decoding, numbers, dates), :mod:`.detect` (which file type), :mod:`.load` (rows to
records, the preview), :mod:`.importer` (the atomic import),
:mod:`.matching` (which API record a file row without an id is), :mod:`.reviews` (the review
queue), :mod:`.report` (the reconciliation report) and :mod:`.coverage` (what covers which
period). Every read and write goes through the store (``store.files``).
"""

from __future__ import annotations

from cryptact_desktop.imports.coverage import (
    CoverageSegment,
    CoverageSource,
    coverage_view,
    is_file_only,
    suggest_sync_from,
)
from cryptact_desktop.imports.detect import detect
from cryptact_desktop.imports.importer import (
    ImportedFileInfo,
    import_file,
    list_imported_files,
    remove_imported_file,
)
from cryptact_desktop.imports.load import preview
from cryptact_desktop.imports.matching import link_file_rows
from cryptact_desktop.imports.reader import MAX_FILE_BYTES
from cryptact_desktop.imports.report import (
    ReconciliationReport,
    ReconItem,
    ReconStatus,
    reconcile,
    write_report_csv,
)
from cryptact_desktop.imports.results import (
    DetectedFile,
    ImportPreview,
    ImportRefused,
    ImportResult,
    ImportStatus,
    ProblemGroup,
)
from cryptact_desktop.imports.reviews import RecordValues, ReviewItem, list_reviews, resolve_review
from cryptact_desktop.imports.spec import FileFormat
from cryptact_desktop.store.file_rows import FILE_HOST_ID, LinkOutcome

__all__ = [
    "FILE_HOST_ID",
    "MAX_FILE_BYTES",
    "CoverageSegment",
    "CoverageSource",
    "DetectedFile",
    "FileFormat",
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "ImportStatus",
    "ImportedFileInfo",
    "LinkOutcome",
    "ProblemGroup",
    "ReconItem",
    "ReconStatus",
    "ReconciliationReport",
    "RecordValues",
    "ReviewItem",
    "coverage_view",
    "detect",
    "import_file",
    "is_file_only",
    "link_file_rows",
    "list_imported_files",
    "list_reviews",
    "preview",
    "reconcile",
    "remove_imported_file",
    "resolve_review",
    "suggest_sync_from",
    "write_report_csv",
]
