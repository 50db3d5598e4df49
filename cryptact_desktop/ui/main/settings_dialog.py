"""Settings → "Sync automatically every N hours" (off unless the user turns it on) and the
language of the window (the system's unless chosen; applies from the next start)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.ui.sync_controller import MAX_AUTO_SYNC_HOURS
from cryptact_desktop.ui.translation import LANGUAGES


class SyncSettingsDialog(QDialog):
    """``hours()``: the chosen interval, 0 when automatic syncs are off; ``language()``: ``""``
    (the system's), ``"en"`` or ``"ja"``."""

    def __init__(self, hours: int, parent: QWidget | None = None, *, language: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setObjectName("syncSettingsDialog")
        layout = QVBoxLayout(self)
        self.auto_check = QCheckBox(self.tr("Sync all keys automatically while the app is running"))
        self.auto_check.setObjectName("autoSyncCheck")
        self.auto_check.setChecked(hours > 0)
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 0, 0)
        every = QLabel(self.tr("Every"))
        self.hours_spin = QSpinBox()
        self.hours_spin.setObjectName("autoSyncHours")
        self.hours_spin.setRange(1, MAX_AUTO_SYNC_HOURS)
        self.hours_spin.setValue(hours if hours > 0 else 6)
        self.hours_spin.setSuffix(self.tr(" hours"))
        self.hours_spin.setAccessibleName(self.tr("Hours between automatic syncs"))
        every.setBuddy(self.hours_spin)
        row.addWidget(every)
        row.addWidget(self.hours_spin)
        row.addStretch(1)
        note = QLabel(
            self.tr(
                "Off by default: new history is fetched only when you press Sync. "
                "Paused keys are never synced automatically."
            )
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.addItem(self.tr("The system's language"), "")
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(language)))
        language_form = QFormLayout()
        language_form.addRow(self.tr("&Language:"), self.language_combo)
        language_note = QLabel(self.tr("A new language applies the next time the app starts."))
        language_note.setWordWrap(True)
        language_note.setEnabled(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.auto_check)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addSpacing(12)
        layout.addLayout(language_form)
        layout.addWidget(language_note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.auto_check.toggled.connect(self.hours_spin.setEnabled)
        self.auto_check.toggled.connect(every.setEnabled)
        self.hours_spin.setEnabled(hours > 0)
        every.setEnabled(hours > 0)
        self.resize(440, self.sizeHint().height())

    def language(self) -> str:
        return str(self.language_combo.currentData() or "")

    def hours(self) -> int:
        return self.hours_spin.value() if self.auto_check.isChecked() else 0
