"""Import exchange download files (CSV) next to API sync, storing each record once.

See :mod:`.spec` (how a file type is described; each venue's ``files.py`` lists its own),
:mod:`.reader` (decoding, numbers, dates), :mod:`.importer` (detect / preview / atomic import) and
:mod:`.reconcile` (matching file rows to API rows, the reconciliation report, coverage and the
review queue).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Loaded on first use: the venue registry imports ``imports.spec`` while the importer imports the
# registry, and the app's first window needs none of these.
_WHERE: dict[str, str] = {
    "CoverageSegment": "cryptact_desktop.imports.reconcile",
    "CoverageSource": "cryptact_desktop.imports.reconcile",
    "DetectedFile": "cryptact_desktop.imports.importer",
    "FILE_HOST_ID": "cryptact_desktop.imports.reconcile",
    "FileFormat": "cryptact_desktop.imports.spec",
    "ImportPreview": "cryptact_desktop.imports.importer",
    "ImportRefused": "cryptact_desktop.imports.importer",
    "ImportResult": "cryptact_desktop.imports.importer",
    "ImportStatus": "cryptact_desktop.imports.importer",
    "ImportedFileInfo": "cryptact_desktop.imports.importer",
    "LinkOutcome": "cryptact_desktop.imports.reconcile",
    "MAX_FILE_BYTES": "cryptact_desktop.imports.reader",
    "ProblemGroup": "cryptact_desktop.imports.importer",
    "ReconItem": "cryptact_desktop.imports.reconcile",
    "ReconStatus": "cryptact_desktop.imports.reconcile",
    "ReconciliationReport": "cryptact_desktop.imports.reconcile",
    "ReviewItem": "cryptact_desktop.imports.reconcile",
    "coverage_view": "cryptact_desktop.imports.reconcile",
    "detect": "cryptact_desktop.imports.importer",
    "import_file": "cryptact_desktop.imports.importer",
    "is_file_only": "cryptact_desktop.imports.reconcile",
    "link_file_rows": "cryptact_desktop.imports.reconcile",
    "list_imported_files": "cryptact_desktop.imports.importer",
    "list_reviews": "cryptact_desktop.imports.reconcile",
    "preview": "cryptact_desktop.imports.importer",
    "reconcile": "cryptact_desktop.imports.reconcile",
    "remove_imported_file": "cryptact_desktop.imports.importer",
    "resolve_review": "cryptact_desktop.imports.reconcile",
    "suggest_sync_from": "cryptact_desktop.imports.reconcile",
    "write_report_csv": "cryptact_desktop.imports.reconcile",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)


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
