""" "Sync from a custom timestamp": where a key's API history starts, off unless chosen.

The moment is entered in a time zone the user picks (the computer's by default: JST on a
Japanese system); the value is an absolute moment (epoch ms), so changing the zone keeps the
moment and shows it in the new zone. Useful next to imported files: the API then only adds what
the files do not have.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QByteArray, QDateTime, QTimeZone
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QHBoxLayout, QVBoxLayout, QWidget

from cryptact_desktop.ui.widgets import small_hint, time_zone_choices

EARLIEST_MS = 1_262_304_000_000  # 2010-01-01 UTC: before any exchange's history


def start_of_year_ms() -> int:
    now = datetime.now(UTC)
    return int(datetime(now.year, 1, 1, tzinfo=UTC).timestamp() * 1000)


class SyncFromField(QWidget):
    """The tick box, the date and time with its time zone below it, and a note. ``start_ms``: the
    preset moment (ticked when given; otherwise unticked, at the start of this year)."""

    def __init__(self, note: str, start_ms: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(self.tr("Sync from a custom &timestamp"))
        self.check.setObjectName("syncFromCheck")
        self.check.toggled.connect(self._on_toggled)
        self.edit = QDateTimeEdit()
        self.edit.setObjectName("syncFromEdit")
        self.edit.setAccessibleName(self.tr("Sync from (date and time)"))
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.edit.setCalendarPopup(True)
        self.zone_combo = QComboBox()
        self.zone_combo.setObjectName("syncFromZone")
        self.zone_combo.setAccessibleName(self.tr("Time zone of the sync-from time"))
        for zone in time_zone_choices():
            self.zone_combo.addItem(zone, zone)
        self._apply_zone()
        self.zone_combo.currentIndexChanged.connect(self._on_zone_changed)
        self.set_value(start_ms, default_ms=start_of_year_ms())
        date_row = QHBoxLayout()
        date_row.setSpacing(6)
        date_row.addWidget(self.edit)
        date_row.addWidget(self.zone_combo)
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
            self.edit.setDateTime(QDateTime.fromMSecsSinceEpoch(shown, self._zone()))
        self.check.setChecked(ms is not None)

    def zone(self) -> str:
        return str(self.zone_combo.currentData())

    def set_zone(self, zone: str) -> None:
        """Show the same moment in ``zone`` (an IANA name, added to the list when missing)."""
        index = self.zone_combo.findData(zone)
        if index < 0:
            self.zone_combo.addItem(zone, zone)
            index = self.zone_combo.count() - 1
        self.zone_combo.setCurrentIndex(index)

    def _zone(self) -> QTimeZone:
        zone = QTimeZone(QByteArray(self.zone().encode("ascii")))
        return zone if zone.isValid() else QTimeZone.utc()

    def _apply_zone(self) -> None:
        self.edit.setTimeZone(self._zone())
        self.edit.setMinimumDateTime(QDateTime.fromMSecsSinceEpoch(EARLIEST_MS, self._zone()))

    def _on_zone_changed(self) -> None:
        moment = int(self.edit.dateTime().toMSecsSinceEpoch())
        self._apply_zone()
        self.edit.setDateTime(QDateTime.fromMSecsSinceEpoch(moment, self._zone()))

    def _on_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        self.zone_combo.setEnabled(checked)
