"""What a previewed download file is — type, period, rows per endpoint, the time zone its times
are read in, the date order when the file cannot tell, and the account it goes into — and the list
of the rows' problems, grouped by message."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop import assistant
from cryptact_desktop.imports import ImportPreview, ProblemGroup
from cryptact_desktop.store import Store
from cryptact_desktop.ui.widgets import COMMON_TIME_ZONES, endpoint_name, exchange_name, format_ms, hint_label

translate = QCoreApplication.translate  # pyside6-lupdate finds translate("ImportDialog", "…")


def rows_text(rows: Sequence[int], limit: int = 12) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f", … (+{len(rows) - limit})" if len(rows) > limit else "")


def fill_problem_tree(
    tree: QTreeWidget, groups: Sequence[ProblemGroup], notes: Sequence[ProblemGroup]
) -> None:
    """Problems (blocking) then notes, one row per message with its row numbers."""
    tree.clear()
    for heading, items, colour in (
        (translate("ImportDialog", "Problems — nothing is imported until they are fixed"), groups, "#9f1c1c"),
        (translate("ImportDialog", "Notes"), notes, ""),
    ):
        if not items:
            continue
        top = QTreeWidgetItem([heading, ""])
        font = QFont(tree.font())
        font.setBold(True)
        top.setFont(0, font)
        if colour:
            top.setForeground(0, Qt.GlobalColor.darkRed)
        tree.addTopLevelItem(top)
        for group in items:
            count = len(group.rows)
            where = (
                translate("ImportDialog", "{count} rows: {rows}").format(
                    count=count, rows=rows_text(group.rows)
                )
                if count
                else ""
            )
            child = QTreeWidgetItem([group.message, where])
            tip = group.message
            if group.examples:
                tip += "\n" + translate("ImportDialog", "Examples: {values}").format(
                    values=", ".join(group.examples)
                )
            child.setToolTip(0, tip)
            child.setToolTip(1, ", ".join(str(r) for r in group.rows[:200]))
            top.addChild(child)
        top.setExpanded(True)
    tree.resizeColumnToContents(1)


class FileDetails(QWidget):
    """The details form of the import dialog (hidden until a preview is shown).

    ``optionsChanged`` fires when the user picks another time zone or answers the date order: the
    file must be read again.
    """

    optionsChanged = Signal()

    def __init__(self, store: Store, account_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._account_id = account_id
        self.day_first: bool | None = None  # the user's answer to "day first or month first?"
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.type_label = QLabel()
        self.type_label.setObjectName("typeLabel")
        self.period_label = QLabel()
        self.period_label.setObjectName("periodLabel")
        self.rows_label = QLabel()
        self.rows_label.setObjectName("rowsLabel")
        for label in (self.type_label, self.period_label, self.rows_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Type:"), self.type_label)
        form.addRow(self.tr("Period:"), self.period_label)
        form.addRow(self.tr("Rows:"), self.rows_label)

        self.zone_combo = QComboBox()
        self.zone_combo.setObjectName("zoneCombo")
        self.zone_combo.setAccessibleName(self.tr("Time zone of the file's times"))
        for zone in COMMON_TIME_ZONES:
            self.zone_combo.addItem(zone, zone)
        self.zone_combo.currentIndexChanged.connect(self.optionsChanged)
        self.zone_note = hint_label("")
        self.zone_note.setObjectName("zoneNote")
        self.zone_note.setWordWrap(False)
        zone_box = QVBoxLayout()
        zone_box.setSpacing(2)
        zone_box.addWidget(self.zone_combo)
        zone_box.addWidget(self.zone_note)
        zone_label = QLabel(self.tr("&Time zone:"))
        zone_label.setBuddy(self.zone_combo)
        form.addRow(zone_label, zone_box)

        self.date_order = QWidget()
        self.date_order.setObjectName("dateOrder")
        self.day_first_radio = QRadioButton(self.tr("&Day first (31/12/2024)"))
        self.day_first_radio.setObjectName("dayFirstRadio")
        self.month_first_radio = QRadioButton(self.tr("&Month first (12/31/2024)"))
        self.month_first_radio.setObjectName("monthFirstRadio")
        self._order_group = QButtonGroup(self)
        self._order_group.addButton(self.day_first_radio)
        self._order_group.addButton(self.month_first_radio)
        self.day_first_radio.toggled.connect(self._on_order_chosen)
        self.month_first_radio.toggled.connect(self._on_order_chosen)
        order_row = QHBoxLayout(self.date_order)
        order_row.setContentsMargins(0, 0, 0, 0)
        order_row.addWidget(self.day_first_radio)
        order_row.addWidget(self.month_first_radio)
        order_row.addStretch(1)
        self._order_label = QLabel(self.tr("Dates:"))
        form.addRow(self._order_label, self.date_order)
        self._form = form
        form.setRowVisible(self.date_order, False)

        self.target_combo = QComboBox()
        self.target_combo.setObjectName("targetCombo")
        self.target_combo.setAccessibleName(self.tr("Import into"))
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        form.addRow(self.tr("Import &into:"), self.target_combo)
        self._target_chosen = False  # the user picked an account: keep it when the preview refreshes
        self.target_combo.activated.connect(self._on_target_chosen)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()

    def zone(self) -> str:
        return str(self.zone_combo.currentData() or "UTC")

    def target_account(self) -> int | None:
        target = self.target_combo.currentData()
        return int(target) if isinstance(target, int) else None

    def _on_target_chosen(self, _index: int) -> None:
        self._target_chosen = True

    def reset_date_order(self) -> None:
        """A new file: forget the answer and hide the question."""
        self.day_first = None
        for radio in (self.day_first_radio, self.month_first_radio):
            radio.setAutoExclusive(False)
            radio.setChecked(False)
            radio.setAutoExclusive(True)
        self._form.setRowVisible(self.date_order, False)

    def ask_date_order(self) -> None:
        self._form.setRowVisible(self.date_order, True)

    def _on_order_chosen(self, checked: bool) -> None:
        if not checked:
            return
        self.day_first = self.day_first_radio.isChecked()
        self.optionsChanged.emit()

    def fill(self, result: ImportPreview) -> None:
        detected = result.file
        if detected is None:
            self.type_label.setText(self.tr("Unknown until the date order is chosen"))
            self.period_label.setText("—")
            self.rows_label.setText("—")
        else:
            kind = detected.format.display_name()
            if detected.uid:
                kind = self.tr("{type} — UID {uid}").format(type=kind, uid=detected.uid)
            self.type_label.setText(kind)
            zone = result.time_zone
            if result.period is None:
                self.period_label.setText("—")
            else:
                self.period_label.setText(
                    self.tr("{start} to {end} (UTC)").format(
                        start=format_ms(result.period[0]), end=format_ms(result.period[1])
                    )
                )
            parts = ", ".join(
                f"{endpoint_name(detected.exchange, e)}: {n}" for e, n in sorted(result.by_endpoint.items())
            )
            text = self.tr("{rows} rows → {records} records ({skipped} skipped)").format(
                rows=result.rows, records=result.records, skipped=result.skipped
            )
            self.rows_label.setText(f"{text}\n{parts}" if parts else text)
            self._fill_targets(detected.exchange, detected.uid or "")
            self.zone_combo.setEnabled(not result.time_zone_from_file)
            if result.time_zone_from_file:
                self.zone_note.setText(self.tr("The file states its times are in {zone}.").format(zone=zone))
            else:
                self.zone_note.setText(
                    self.tr(
                        "The file does not say which zone its times are in; {exchange} exports use UTC."
                    ).format(exchange=exchange_name(detected.exchange))
                )

    def _fill_targets(self, exchange: str, file_uid: str = "") -> None:
        previous = self.target_combo.currentData()
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        targets = assistant.import_targets(self._store, exchange)
        for target in targets:
            self.target_combo.addItem(target.label, target.account_id)
        # The user's pick, else the account asked for, else the one whose UID the file names.
        wanted = previous if self._target_chosen else self._account_id
        if wanted is None:
            wanted = assistant.matching_target(targets, file_uid)
        if wanted is None:
            wanted = previous
        if wanted is None:
            status = assistant.venue_statuses(self._store, (exchange,), assistant.venues())
            wanted = assistant.upload_target(status[0]) if status else None
        index = self.target_combo.findData(wanted) if wanted is not None else -1
        self.target_combo.setCurrentIndex(index if index >= 0 else 0)
        self.target_combo.blockSignals(False)
