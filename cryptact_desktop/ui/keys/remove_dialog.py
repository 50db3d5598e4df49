"""Confirm removing an API key, with an explicit choice about its transactions.

Removing a key always deletes its secret from this computer's keyring. Its transactions are
either deleted with it or kept (under the retired key, still exported); the user picks one,
there is no default that silently deletes history.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.state import KeyConfig
from cryptact_desktop.ui.widgets import exchange_name

DELETE = "delete"
KEEP = "keep"


def _wrapping_policy() -> QSizePolicy:
    """Size a command link button by height-for-width: its own size hint assumes a narrow button
    and leaves a tall empty band under a one-line description."""
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    policy.setHeightForWidth(True)
    return policy


class RemoveKeyDialog(QDialog):
    """Ask how to remove ``key``. ``choice()`` is "delete", "keep", or None when cancelled."""

    def __init__(self, key: KeyConfig, transaction_count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("removeKeyDialog")
        self.setWindowTitle(self.tr("Remove key"))
        self.setMinimumWidth(500)
        self._choice: str | None = None
        exchange = exchange_name(key.exchange)
        count = max(0, transaction_count)
        count_text = QLocale().toString(count)

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(self.tr("Remove “{label}”?").format(label=key.label))
        title.setObjectName("titleLabel")
        title.setWordWrap(True)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        title.setFont(font)
        details = [exchange]
        if key.subaccount:
            details.append(self.tr("sub-account {name}").format(name=key.subaccount))
        if key.key_hint:
            details.append(self.tr("key {hint}").format(hint=key.key_hint))
        subtitle = QLabel(" · ".join(details))
        subtitle.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        explanation = QLabel(
            self.tr(
                "The API key and its secret are deleted from this computer's keyring, and the app stops "
                "syncing it. The key itself stays active on {exchange}: delete it there too if you no "
                "longer use it."
            ).format(exchange=exchange)
        )
        explanation.setObjectName("explanationLabel")
        explanation.setWordWrap(True)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addWidget(title)
        texts.addWidget(subtitle)
        texts.addSpacing(6)
        texts.addWidget(explanation)
        header = QHBoxLayout()
        header.setSpacing(14)
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(texts, 1)

        if count == 0:
            delete_text = self.tr("Remove key")
            delete_description = self.tr("This key has no transactions.")
        elif count == 1:
            delete_text = self.tr("Remove key and delete its 1 transaction")
            delete_description = self.tr("It is deleted from this computer. This cannot be undone.")
        else:
            delete_text = self.tr("Remove key and delete its {count} transactions").format(count=count_text)
            delete_description = self.tr("They are deleted from this computer. This cannot be undone.")
        self.delete_button = QCommandLinkButton(delete_text, delete_description)
        self.delete_button.setObjectName("deleteButton")
        self.delete_button.setAutoDefault(False)
        self.delete_button.setSizePolicy(_wrapping_policy())
        self.delete_button.clicked.connect(self._choose_delete)

        self.keep_button = QCommandLinkButton(
            self.tr("Remove key, keep its transactions"),
            self.tr("They stay in the list and in exports, under “{label} (removed)”.").format(
                label=key.label
            ),
        )
        self.keep_button.setObjectName("keepButton")
        self.keep_button.setAutoDefault(False)
        self.keep_button.setSizePolicy(_wrapping_policy())
        self.keep_button.clicked.connect(self._choose_keep)
        self.keep_button.setVisible(count > 0)

        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        buttons = QDialogButtonBox()
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        # The safe answer is the default: Enter and Esc both cancel.
        self.cancel_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addSpacing(6)
        layout.addWidget(self.keep_button)
        layout.addWidget(self.delete_button)
        layout.addStretch(1)  # extra height goes here, not into the command buttons
        layout.addWidget(buttons)
        QWidget.setTabOrder(self.keep_button, self.delete_button)
        QWidget.setTabOrder(self.delete_button, self.cancel_button)
        self.cancel_button.setFocus()
        width = self.minimumWidth()
        self.resize(width, max(layout.totalHeightForWidth(width), self.minimumSizeHint().height()))

    def choice(self) -> str | None:
        return self._choice

    def _choose(self, choice: str) -> None:
        self._choice = choice
        self.accept()

    def _choose_delete(self) -> None:
        self._choose(DELETE)

    def _choose_keep(self) -> None:
        self._choose(KEEP)

    def reject(self) -> None:
        self._choice = None
        super().reject()

    @staticmethod
    def ask(key: KeyConfig, transaction_count: int, parent: QWidget | None = None) -> str | None:
        dialog = RemoveKeyDialog(key, transaction_count, parent)
        try:
            dialog.exec()
            return dialog.choice()
        finally:
            dialog.deleteLater()
