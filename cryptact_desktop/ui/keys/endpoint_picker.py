"""The tick boxes of a venue's endpoints (the history types a key syncs), from its catalogue.

Each box is named ``endpoint_<id>``, ticked by the endpoint's ``default_enabled`` and explains the
API's look-back in its tooltip (and, in the full layout, in grey beside it), with "Select all" and
"Select none" below.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QPushButton, QWidget

from cryptact_desktop.ui.widgets import small_hint
from cryptact_desktop.venues.base import VenueInfo


class EndpointPicker(QWidget):
    """``compact``: two columns of boxes, without the look-back hints and the select buttons."""

    changed = Signal()

    def __init__(self, info: VenueInfo, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("endpointsBox")
        self.boxes: dict[str, QCheckBox] = {}
        self.select_all_button: QPushButton | None = None
        self.select_none_button: QPushButton | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        if not compact:
            grid.setHorizontalSpacing(16)
            grid.setVerticalSpacing(4)
            grid.setColumnStretch(1, 1)
        for row, endpoint in enumerate(info.endpoints):
            box = QCheckBox(endpoint.display_name().replace("&", "&&"))  # "&" is not a mnemonic
            box.setObjectName(f"endpoint_{endpoint.id}")
            box.setChecked(endpoint.default_enabled)
            lookback = endpoint.display_lookback()
            box.setToolTip(lookback)
            box.setAccessibleDescription(lookback)
            box.toggled.connect(self._on_toggled)
            self.boxes[endpoint.id] = box
            if compact:
                grid.addWidget(box, row // 2, row % 2)
                continue
            hint = small_hint(lookback)
            hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)  # beside its box
            hint.setToolTip(lookback)
            hint.setBuddy(box)
            # No alignment flags here: an aligned item loses height-for-width, and wrapped hints
            # would be clipped.
            grid.addWidget(box, row, 0)
            grid.addWidget(hint, row, 1)
        if not compact:
            grid.addLayout(self._select_buttons(), len(info.endpoints), 0, 1, 2)
        self._on_toggled()

    def _select_buttons(self) -> QHBoxLayout:
        self.select_all_button = QPushButton(self.tr("Select &all"))
        self.select_all_button.setObjectName("selectAllButton")
        self.select_none_button = QPushButton(self.tr("Select &none"))
        self.select_none_button.setObjectName("selectNoneButton")
        for button in (self.select_all_button, self.select_none_button):
            button.setAutoDefault(False)
        # Bound methods, not lambdas over self: no reference cycle keeps a closed dialog alive.
        self.select_all_button.clicked.connect(self.select_all)
        self.select_none_button.clicked.connect(self.select_none)
        row = QHBoxLayout()
        row.setContentsMargins(0, 4, 0, 0)
        row.addWidget(self.select_all_button)
        row.addWidget(self.select_none_button)
        row.addStretch(1)
        return row

    def first_box(self) -> QCheckBox:
        return next(iter(self.boxes.values()))

    def selected(self) -> tuple[str, ...]:
        """The ticked endpoints, in catalogue order."""
        return tuple(endpoint_id for endpoint_id, box in self.boxes.items() if box.isChecked())

    def set_selected(self, endpoint_ids: Iterable[str]) -> None:
        wanted = set(endpoint_ids)
        for endpoint_id, box in self.boxes.items():
            box.setChecked(endpoint_id in wanted)

    def select_all(self) -> None:
        self.set_selected(self.boxes)

    def select_none(self) -> None:
        self.set_selected(())

    def widgets(self) -> list[QWidget]:
        """Boxes then buttons, in tab order."""
        buttons = [b for b in (self.select_all_button, self.select_none_button) if b is not None]
        return [*self.boxes.values(), *buttons]

    def _on_toggled(self, *_args: object) -> None:
        ticked = [box.isChecked() for box in self.boxes.values()]
        if self.select_all_button is not None and self.select_none_button is not None:
            self.select_all_button.setEnabled(not all(ticked))
            self.select_none_button.setEnabled(any(ticked))
        self.changed.emit()
