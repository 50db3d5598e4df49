"""Key context menu → "Reconcile with files…": the reconciliation report and the review queue.

One tab per group of the report (conflicting, only in the file, only from the API, held, matched)
with counts in the tab titles, "Save report…" (CSV for support), and a "Review" tab listing file
rows that several API records could be: pick "Same as this one" on a candidate, or "Different
record". The report is computed off the GUI thread.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.imports import (
    ReconciliationReport,
    ReconItem,
    ReviewItem,
    list_reviews,
    write_report_csv,
)
from cryptact_desktop.imports.report import reconcile
from cryptact_desktop.service import AppService
from cryptact_desktop.ui.background import Background
from cryptact_desktop.ui.files.review_queue import ReviewTab, values_text
from cryptact_desktop.ui.widgets import (
    ERROR_STYLE,
    OK_STYLE,
    endpoint_name,
    format_ms,
    hint_label,
    open_file_dialog,
    styled_label,
    title_label,
)


class ReconcileDialog(QDialog):
    """The reconciliation of one account's imported files with its API records."""

    reportReady = Signal(object)  # ReconciliationReport
    reviewsChanged = Signal()

    GROUPS: tuple[tuple[str, str], ...] = (
        ("conflicting", "Conflicting"),
        ("only_in_file", "Only in file"),
        ("only_in_api", "Only from API"),
        ("held", "Held for review"),
        ("matched", "Matched"),
    )

    def __init__(self, service: AppService, account_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reconcileDialog")
        self._service = service
        self._account_id = account_id
        self._key = service.store.get_key(account_id)
        self._background = Background(self)
        self._report: ReconciliationReport | None = None
        self._first_report = True
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("Reconcile “{label}” with its files").format(label=self._key.label))
        self.resize(900, 560)

        intro = hint_label(
            self.tr(
                "Compares the rows of the imported files with the records fetched from the API. "
                "Conflicting: same id, different values (the API's version is kept). Only in the file: "
                "the API did not deliver it (or had not fetched that time). Only from the API: the files "
                "lack it."
            )
        )

        self.period_check = QCheckBox(self.tr("&Only from"))
        self.period_check.setObjectName("periodCheck")
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addYears(-1))
        self.to_edit = QDateEdit(today)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.period_check.toggled.connect(self.from_edit.setEnabled)
        self.period_check.toggled.connect(self.to_edit.setEnabled)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        period_row = QHBoxLayout()
        period_row.addWidget(self.period_check)
        period_row.addWidget(self.from_edit)
        period_row.addWidget(QLabel(self.tr("to")))
        period_row.addWidget(self.to_edit)
        period_row.addWidget(QLabel(self.tr("(UTC)")))
        period_row.addStretch(1)
        period_row.addWidget(self.refresh_button)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("summaryLabel")
        self.summary_label.setWordWrap(True)
        self.message_label = styled_label(ERROR_STYLE, "messageLabel")

        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        self.trees: dict[str, QTreeWidget] = {}
        for name, _title in self.GROUPS:
            tree = QTreeWidget()
            tree.setObjectName(f"{name}Tree")
            tree.setRootIsDecorated(False)
            tree.setUniformRowHeights(True)
            tree.setAlternatingRowColors(True)
            tree.setHeaderLabels(
                [
                    self.tr("Time (UTC)"),
                    self.tr("Type"),
                    self.tr("Exchange ID"),
                    self.tr("File, row"),
                    self.tr("In the file"),
                    self.tr("From the API"),
                    self.tr("Differences"),
                ]
            )
            for column, width in enumerate((150, 110, 150, 150, 200, 200)):
                tree.setColumnWidth(column, width)
            self.trees[name] = tree
            self.tabs.addTab(tree, "")
        self.review_tab = ReviewTab(service.store, account_id, self._key.exchange)
        self.review_tab.resolved.connect(self._on_resolved)
        self.review_tab.failed.connect(self._message)
        self.same_button, self.different_button = (
            self.review_tab.same_button,
            self.review_tab.different_button,
        )
        self.tabs.addTab(self.review_tab, "")
        self._retitle_tabs()

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("&Save report…"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setAutoDefault(False)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.choose_save_path)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeButton")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(title_label(self.windowTitle()))
        layout.addWidget(intro)
        layout.addLayout(period_row)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.refresh()

    # ------------------------------------------------------------------ report

    def report(self) -> ReconciliationReport | None:
        return self._report

    def reviews(self) -> list[ReviewItem]:
        return self.review_tab.reviews()

    def select_candidate(self, review_index: int, candidate_index: int | None) -> None:
        """Select a review's file row (None) or one of its candidates (for tests and keyboard users)."""
        self.review_tab.select_candidate(review_index, candidate_index)

    def is_busy(self) -> bool:
        return self._background.busy or self.review_tab.busy

    def _on_resolved(self) -> None:
        self.reviewsChanged.emit()
        self.refresh()

    def _period(self) -> tuple[int, int] | None:
        if not self.period_check.isChecked():
            return None
        utc = QTimeZone.utc()
        start = QDateTime(self.from_edit.date(), QTime(0, 0), utc).toMSecsSinceEpoch()
        end = QDateTime(self.to_edit.date().addDays(1), QTime(0, 0), utc).toMSecsSinceEpoch() - 1
        return (int(start), int(max(start, end)))

    def refresh(self) -> None:
        store, account_id, period = self._service.store, self._account_id, self._period()

        def work() -> tuple[ReconciliationReport, list[ReviewItem]]:
            return reconcile(store, account_id, period), list_reviews(store, account_id)

        self.summary_label.setText(self.tr("Comparing…"))
        self.refresh_button.setEnabled(False)
        self._background.run(work, self._on_report, self._on_report_failed)

    def _on_report_failed(self, error: Exception) -> None:
        self.refresh_button.setEnabled(True)
        self.summary_label.setText("")
        self._message(self.tr("The report could not be made ({error}).").format(error=type(error).__name__))

    def _on_report(self, result: tuple[ReconciliationReport, list[ReviewItem]]) -> None:
        self.refresh_button.setEnabled(True)
        report, reviews = result
        self._report = report
        self._message("")
        for name, _title in self.GROUPS:
            self._fill(self.trees[name], getattr(report, name))
        self.review_tab.fill(reviews)
        self._retitle_tabs()
        self.save_button.setEnabled(True)
        if self._first_report:
            self._first_report = False
            busy = next((i for i, (name, _t) in enumerate(self.GROUPS) if getattr(report, name)), 0)
            self.tabs.setCurrentIndex(len(self.GROUPS) if reviews else busy)
        if report.is_clean:
            self.summary_label.setText(
                self.tr("Everything matches: {count} records are both in the files and from the API.").format(
                    count=len(report.matched)
                )
            )
        else:
            self.summary_label.setText(
                self.tr(
                    "{matched} matched, {conflicting} conflicting, {file} only in the files, "
                    "{api} only from the API, {held} held for review."
                ).format(
                    matched=len(report.matched),
                    conflicting=len(report.conflicting),
                    file=len(report.only_in_file),
                    api=len(report.only_in_api),
                    held=len(report.held),
                )
            )
        self.reportReady.emit(report)

    def _fill(self, tree: QTreeWidget, items: Sequence[ReconItem]) -> None:
        tree.clear()
        rows: list[QTreeWidgetItem] = []
        for item in items:
            files = "; ".join(f"{r.file_name} #{r.row_number}" for r in item.file_rows)
            extra = ", ".join(item.differences)
            if item.api_covered is False:
                extra = extra or self.tr("the API had not fetched this time")
            if item.candidates:
                extra = extra or self.tr("{count} possible API records").format(count=len(item.candidates))
            row = QTreeWidgetItem(
                [
                    format_ms(item.timestamp_ms),
                    endpoint_name(self._key.exchange, item.endpoint),
                    item.exchange_id,
                    files,
                    values_text(item.file_values),
                    values_text(item.api_values),
                    extra,
                ]
            )
            row.setToolTip(3, files)
            rows.append(row)
        tree.addTopLevelItems(rows)

    def _retitle_tabs(self) -> None:
        report = self._report
        titles = {
            "conflicting": self.tr("Conflicting ({count})"),
            "only_in_file": self.tr("Only in file ({count})"),
            "only_in_api": self.tr("Only from API ({count})"),
            "held": self.tr("Held for review ({count})"),
            "matched": self.tr("Matched ({count})"),
        }
        for index, (name, _title) in enumerate(self.GROUPS):
            count = len(getattr(report, name)) if report is not None else 0
            self.tabs.setTabText(index, titles[name].format(count=count))
        self.tabs.setTabText(
            len(self.GROUPS), self.tr("Review ({count})").format(count=len(self.review_tab.reviews()))
        )

    def _message(self, text: str, style: str = ERROR_STYLE) -> None:
        self.message_label.setStyleSheet(style)
        self.message_label.setText(html.escape(text, quote=False))
        self.message_label.setVisible(bool(text))

    # ------------------------------------------------------------------ saving

    def suggested_file_name(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d")
        safe = "".join(c if c.isalnum() else "-" for c in self._key.label).strip("-") or "account"
        return f"reconciliation_{safe}_{stamp}.csv"

    def choose_save_path(self) -> None:
        self.file_dialog = open_file_dialog(
            self,
            self.tr("Save the reconciliation report"),
            self.tr("CSV files (*.csv)"),
            self._on_save_chosen,
            save_as=self.suggested_file_name(),
        )

    def _on_save_chosen(self, path: str) -> None:
        self.save_report(path)

    def save_report(self, path: str | Path) -> Path | None:
        report = self._report
        if report is None:
            return None
        try:
            written: Path = write_report_csv(report, path)
        except OSError as error:
            self._message(
                self.tr("The report could not be saved: {reason}").format(
                    reason=error.strerror or type(error).__name__
                )
            )
            return None
        self._message(self.tr("Saved {file}.").format(file=str(written)), OK_STYLE)
        return written

    def closeEvent(self, event: QCloseEvent) -> None:
        self._background.cancel()
        super().closeEvent(event)

    def reject(self) -> None:
        self._background.cancel()
        super().reject()


def open_reconcile_dialog(
    service: AppService, account_id: int, parent: QWidget | None = None
) -> ReconcileDialog:
    dialog = ReconcileDialog(service, account_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
