"""The Cryptact custom file: format, rules per entry kind, validation and the writer."""

from __future__ import annotations

from cryptact_desktop.export.cryptact.format import (
    ACTIONS,
    CRYPTACT_SYMBOLS,
    FIAT_CURRENCIES,
    HEADER,
    ExportRow,
    Problem,
    Skipped,
    cryptact_symbol,
    format_timestamp,
    parse_trace,
    sanitize_text,
    suggest_filename,
    time_zone_label,
    trace_of,
)
from cryptact_desktop.export.cryptact.rules import KeySources, map_transaction
from cryptact_desktop.export.cryptact.validate import validate_file, validate_rows
from cryptact_desktop.export.cryptact.writer import (
    LAST_EXPORT_SETTING,
    WATERMARK_SETTING,
    ExportReport,
    Mode,
    export_cryptact,
    key_sources,
)

__all__ = [
    "ACTIONS",
    "CRYPTACT_SYMBOLS",
    "FIAT_CURRENCIES",
    "HEADER",
    "LAST_EXPORT_SETTING",
    "WATERMARK_SETTING",
    "ExportReport",
    "ExportRow",
    "KeySources",
    "Mode",
    "Problem",
    "Skipped",
    "cryptact_symbol",
    "export_cryptact",
    "format_timestamp",
    "key_sources",
    "map_transaction",
    "parse_trace",
    "sanitize_text",
    "suggest_filename",
    "time_zone_label",
    "trace_of",
    "validate_file",
    "validate_rows",
]
