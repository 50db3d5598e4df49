"""The reconciliation's review queue: file rows that several API records match equally well,
each with its candidates. The user says which record a row is ("Same as this one") or that it is
none of them ("Different record"); the decision is written off the GUI thread."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from cryptact_desktop.imports import RecordValues, ReviewItem, resolve_review
from cryptact_desktop.store import Store
from cryptact_desktop.ui.background import Background
from cryptact_desktop.ui.widgets import endpoint_name, format_ms, hint_label

_ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


def values_text(values: RecordValues | None) -> str:
    """ "trade BTC/USDT buy 0.5 @ 60000 fee 0.1 USDT": a record's values in one line."""
    if values is None:
        return ""
    pair = f"{values.base}/{values.quote}" if values.quote else values.base
    parts = [values.kind, pair, values.side, values.amount]
    if values.price:
        parts.append(f"@ {values.price}")
    if values.fee:
        parts.append(f"fee {values.fee} {values.fee_currency}".rstrip())
    return " ".join(p for p in parts if p)


class ReviewTab(QWidget):
    """The "Review" tab. ``resolved`` fires after a decision was saved (or failed: ``failed``
    carries the message first); the dialog then recomputes its report."""

    resolved = Signal()
    failed = Signal(str)

    def __init__(self, store: Store, account_id: int, exchange: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._account_id = account_id
        self._exchange = exchange
        self._reviews: list[ReviewItem] = []
        self._resolving = Background(self)
        self._build()

    @property
    def busy(self) -> bool:
        return self._resolving.busy

    def reviews(self) -> list[ReviewItem]:
        return list(self._reviews)

    def _build(self) -> None:
        self.setObjectName("reviewPage")
        self.review_tree = QTreeWidget()
        self.review_tree.setObjectName("reviewTree")
        self.review_tree.setHeaderLabels(
            [self.tr("File row / candidate API record"), self.tr("Time (UTC)"), self.tr("Values")]
        )
        self.review_tree.setColumnWidth(0, 330)
        self.review_tree.setColumnWidth(1, 150)
        self.review_tree.currentItemChanged.connect(self._update_review_buttons)
        self.same_button = QPushButton(self.tr("Same as &this one"))
        self.same_button.setObjectName("sameButton")
        self.same_button.setToolTip(self.tr("The file row is the selected API record: keep it once"))
        self.different_button = QPushButton(self.tr("&Different record"))
        self.different_button.setObjectName("differentButton")
        self.different_button.setToolTip(self.tr("The file row is none of these: keep it as its own record"))
        self.same_button.clicked.connect(self.resolve_same)
        self.different_button.clicked.connect(self.resolve_different)
        self.review_hint = hint_label(
            self.tr(
                "Each file row below matches several API records equally well. Select the API record it is "
                "and press “Same as this one”, or select the file row and press “Different record”."
            )
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.same_button)
        buttons.addWidget(self.different_button)
        column = QVBoxLayout(self)
        column.addWidget(self.review_hint)
        column.addWidget(self.review_tree, 1)
        column.addLayout(buttons)
        self._update_review_buttons()

    def fill(self, reviews: Sequence[ReviewItem]) -> None:
        self._reviews = list(reviews)
        self.review_tree.clear()
        for index, review in enumerate(reviews):
            rows = ", ".join(
                self.tr("{file}, row {row}").format(file=r.file_name, row=r.row_number)
                for r in review.file_rows
            )
            top = QTreeWidgetItem(
                [
                    self.tr("File: {rows}").format(rows=rows),
                    format_ms(review.file_values.timestamp_ms),
                    values_text(review.file_values),
                ]
            )
            top.setData(0, _ITEM_ROLE, (index, None))
            top.setToolTip(0, endpoint_name(self._exchange, review.endpoint) + " — " + rows)
            for candidate in review.candidates:
                child = QTreeWidgetItem(
                    [
                        self.tr("API {id}").format(id=candidate.exchange_id),
                        format_ms(candidate.values.timestamp_ms),
                        values_text(candidate.values),
                    ]
                )
                child.setData(0, _ITEM_ROLE, (index, candidate.transaction_id))
                top.addChild(child)
            self.review_tree.addTopLevelItem(top)
            top.setExpanded(True)
        self._update_review_buttons()

    def _selected_review(self) -> tuple[ReviewItem, int | None] | None:
        item = self.review_tree.currentItem()
        if item is None:
            return None
        data = item.data(0, _ITEM_ROLE)
        if not isinstance(data, tuple):
            return None
        index, transaction_id = data
        return self._reviews[int(index)], transaction_id

    def _update_review_buttons(self, *_args: object) -> None:
        chosen = self._selected_review()
        busy = self._resolving.busy
        self.same_button.setEnabled(not busy and chosen is not None and chosen[1] is not None)
        self.different_button.setEnabled(not busy and chosen is not None)

    def select_candidate(self, review_index: int, candidate_index: int | None) -> None:
        """Select a review's file row (None) or one of its candidates (for tests and keyboard users)."""
        top = self.review_tree.topLevelItem(review_index)
        if top is None:
            return
        target = top if candidate_index is None else top.child(candidate_index)
        if target is not None:
            self.review_tree.setCurrentItem(target)

    def resolve_same(self) -> None:
        chosen = self._selected_review()
        if chosen is not None and chosen[1] is not None:
            self._resolve(chosen[0], chosen[1])

    def resolve_different(self) -> None:
        chosen = self._selected_review()
        if chosen is not None:
            self._resolve(chosen[0], None)

    def _resolve(self, review: ReviewItem, transaction_id: int | None) -> None:
        store, account_id = self._store, self._account_id

        def work() -> None:
            resolve_review(store, account_id, review.endpoint, review.record_key, transaction_id)

        self._resolving.run(work, self._on_resolved, self._on_resolve_failed)
        self._update_review_buttons()

    def _on_resolve_failed(self, error: Exception) -> None:
        self.failed.emit(
            self.tr("The decision could not be saved ({error}).").format(error=type(error).__name__)
        )
        self.resolved.emit()

    def _on_resolved(self, _result: None) -> None:
        self.resolved.emit()
