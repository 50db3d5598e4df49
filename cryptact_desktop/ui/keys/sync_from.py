""" "Sync from a custom timestamp": where a key's API history starts (UTC), off unless chosen.

Useful next to imported files: the API then only adds what the files do not have.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cryptact_desktop.ui.widgets import small_hint

EARLIEST_MS = 1_262_304_000_000  # 2010-01-01 UTC: before any exchange's history


def start_of_year_ms() -> int:
    now = datetime.now(UTC)
    return int(datetime(now.year, 1, 1, tzinfo=UTC).timestamp() * 1000)


class SyncFromField(QWidget):
    """The tick box, the UTC date and time below it, and a note. ``start_ms``: the preset moment
    (ticked when given; otherwise unticked, at the start of this year)."""

    def __init__(self, note: str, start_ms: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(self.tr("Sync from a custom &timestamp"))
        self.check.setObjectName("syncFromCheck")
        self.check.toggled.connect(self._on_toggled)
        self.edit = QDateTimeEdit()
        self.edit.setObjectName("syncFromEdit")
        self.edit.setAccessibleName(self.tr("Sync from (UTC)"))
        self.edit.setTimeZone(QTimeZone.utc())
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumDateTime(QDateTime.fromMSecsSinceEpoch(EARLIEST_MS, QTimeZone.utc()))
        self.set_value(start_ms, default_ms=start_of_year_ms())
        date_row = QHBoxLayout()
        date_row.setSpacing(6)
        date_row.addWidget(self.edit)
        date_row.addWidget(QLabel(self.tr("UTC")))
        date_row.addStretch(1)
        self.note = small_hint(note, "syncFromNote")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.check)
        column.addLayout(date_row)
        column.addWidget(self.note)
        self._on_toggled(self.check.isChecked())

    def value_ms(self) -> int | None:
        """The chosen start (epoch ms), or None when unticked."""
        if not self.check.isChecked():
            return None
        return int(self.edit.dateTime().toMSecsSinceEpoch())

    def set_value(self, ms: int | None, *, default_ms: int | None = None) -> None:
        """Tick and show ``ms``; None unticks (showing ``default_ms`` if given)."""
        shown = ms if ms is not None else default_ms
        if shown is not None:
            self.edit.setDateTime(QDateTime.fromMSecsSinceEpoch(shown, QTimeZone.utc()))
        self.check.setChecked(ms is not None)

    def _on_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
