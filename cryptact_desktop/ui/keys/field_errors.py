"""Form rows with a red message line right under the field, found by field name.

The key dialog checks its form locally and says what is wrong *under* the field concerned
("This field is required."), not in a message box: :class:`FieldErrors` builds those rows and
shows or clears their messages.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from cryptact_desktop.ui.widgets import FIELD_ERROR_STYLE


class FieldErrors:
    """The message lines of one form. ``on_change`` runs whenever one appears, changes or goes
    (the dialog grows to fit the wrapped text)."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        self._labels: dict[str, QLabel] = {}
        self._on_change = on_change

    def row(
        self, field: str, content: QWidget | QLayout, focus: QWidget, hint: QLabel | None = None
    ) -> QWidget:
        """The field's widget(s), optionally a grey hint, then the (hidden) message line.

        The row's object name is ``<field>Row``, its message line's ``<field>Error``; the row's
        focus goes to ``focus`` (so a form label's mnemonic focuses the field itself).
        """
        container = QWidget()
        container.setObjectName(f"{field}Row")
        column = QVBoxLayout(container)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(content, QWidget):
            column.addWidget(content)
        else:
            column.addLayout(content)
        if hint is not None:
            column.addWidget(hint)
        label = QLabel()
        label.setObjectName(f"{field}Error")
        label.setWordWrap(True)
        label.setStyleSheet(FIELD_ERROR_STYLE)
        label.hide()
        column.addWidget(label)
        container.setFocusProxy(focus)
        self._labels[field] = label
        return container

    def show(self, field: str, message: str) -> None:
        """Show ``message`` under ``field`` ("" hides it); unknown fields are ignored."""
        label = self._labels.get(field)
        if label is None or label.text() == message:
            return
        label.setText(message)
        label.setVisible(bool(message))
        self._on_change()

    def clear(self) -> None:
        for field in self._labels:
            self.show(field, "")
