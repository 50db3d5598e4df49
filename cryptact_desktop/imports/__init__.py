"""Import exchange download files (CSV) next to API sync, storing each record once.

See :mod:`.spec` (how a file type is described; each venue's ``files.py`` lists its own),
:mod:`.reader` (decoding, numbers, dates), :mod:`.importer` (detect / preview / atomic import) and
:mod:`.reconcile` (matching file rows to API rows, the reconciliation report, coverage and the
review queue).
"""

from __future__ import annotations

from cryptact_desktop.imports.importer import (
    DetectedFile,
    ImportedFileInfo,
    ImportPreview,
    ImportRefused,
    ImportResult,
    ImportStatus,
    ProblemGroup,
    detect,
    import_file,
    list_imported_files,
    preview,
    remove_imported_file,
)
from cryptact_desktop.imports.reader import MAX_FILE_BYTES
from cryptact_desktop.imports.reconcile import (
    FILE_HOST_ID,
    CoverageSegment,
    CoverageSource,
    LinkOutcome,
    ReconciliationReport,
    ReconItem,
    ReconStatus,
    ReviewItem,
    coverage_view,
    is_file_only,
    link_file_rows,
    list_reviews,
    reconcile,
    resolve_review,
    suggest_sync_from,
    write_report_csv,
)
from cryptact_desktop.imports.spec import FileFormat

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
