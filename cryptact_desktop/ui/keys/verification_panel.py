"""What a key check tells the user: the progress while it runs, the refusal with its fix, and the
warnings a key passed with (it can trade or withdraw, another key syncs the same account) that
need an explicit "Save anyway"."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QWidget

from cryptact_desktop.errors import Failure, FailureKind, SyncFailure
from cryptact_desktop.secrets import SecretStoreError
from cryptact_desktop.service import KeyInputError, SameAccountKeyError
from cryptact_desktop.store import StorageError
from cryptact_desktop.ui.widgets import ERROR_STYLE, WARNING_STYLE

log = logging.getLogger(__name__)


def failure_of(error: BaseException | None) -> Failure:
    """The user-facing failure of an error from a key check or save (never its ``str()``: an
    unknown exception may hold a URL or a server's reply)."""
    if isinstance(error, SyncFailure | SecretStoreError | StorageError):
        return error.failure
    if isinstance(error, KeyInputError):
        return Failure(FailureKind.REQUEST_REJECTED, error.message, "")
    if isinstance(error, SameAccountKeyError):
        return Failure(
            FailureKind.AUTHENTICATION,
            error.message,
            QCoreApplication.translate(
                "KeyDialog",
                "Use that key (Edit key to give it new credentials), or remove it first: two keys of "
                "one account would fetch and count everything twice.",
            ),
        )
    log.error("unexpected error while checking or saving a key: %s", type(error).__name__)
    return Failure(
        FailureKind.UNEXPECTED_RESPONSE,
        QCoreApplication.translate("KeyDialog", "Something unexpected went wrong ({error})").format(
            error=type(error).__name__
        ),
        QCoreApplication.translate(
            "KeyDialog", "Try again; if it keeps happening, send the app's log to support."
        ),
    )


def failure_html(message: str, hint: str = "", code: str = "") -> str:
    """ "<b>message</b> [code] — hint", escaped."""
    text = f"<b>{html.escape(message, quote=False)}</b>"
    if code:
        text += f" <span>[{html.escape(code, quote=False)}]</span>"
    if hint:
        text += f" — {html.escape(hint, quote=False)}"
    return text


def warnings_html(warnings: list[str], notes: tuple[str, ...], question: str) -> str:
    parts = [f"<p style='margin:0'><b>⚠ {html.escape(w, quote=False)}</b></p>" for w in warnings]
    parts += [f"<p style='margin:4px 0 0 0'>{html.escape(n, quote=False)}</p>" for n in notes]
    parts.append(f"<p style='margin:6px 0 0 0'>{html.escape(question, quote=False)}</p>")
    return "".join(parts)


class VerificationPanel(QObject):
    """The warning box, the error box and the progress row of a key dialog (it lays them out).

    ``on_change`` runs whenever a box appears or changes (the dialog grows to fit its text).
    """

    def __init__(self, parent: QObject, on_change: Callable[[], None]) -> None:
        super().__init__(parent)
        self._on_change = on_change
        self.warning_label = self._box("warningLabel", WARNING_STYLE, self.tr("Warning"), selectable=False)
        self.error_label = self._box("errorLabel", ERROR_STYLE, self.tr("Error"), selectable=True)

        self.progress_widget = QWidget()
        self.progress_widget.setObjectName("progressWidget")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedWidth(90)
        self.progress_bar.setMaximumHeight(12)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        row = QHBoxLayout(self.progress_widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.progress_bar)
        row.addWidget(self.progress_label)
        # Minimum: a button box beside it is Expanding and would otherwise squeeze the message.
        self.progress_widget.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.progress_widget.hide()

    @staticmethod
    def _box(name: str, style: str, accessible: str, *, selectable: bool) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        if selectable:
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet(style)
        label.setAccessibleName(accessible)
        label.hide()
        return label

    def show_error(self, message: str, hint: str = "", code: str = "") -> None:
        """The error box ("" hides it)."""
        if not message:
            self.error_label.clear()
            self.error_label.hide()
            return
        self.error_label.setText(failure_html(message, hint, code))
        self.error_label.show()
        self._on_change()

    def show_warnings(self, warnings: list[str], notes: tuple[str, ...], question: str) -> None:
        """The warning box: each warning, the key's notes, then what pressing on does."""
        self.warning_label.setText(warnings_html(warnings, notes, question))
        self.warning_label.show()
        self._on_change()

    def hide_warnings(self) -> None:
        self.warning_label.clear()
        self.warning_label.hide()

    def set_progress(self, text: str) -> None:
        """Show the progress row with ``text``; "" hides it."""
        self.progress_label.setText(text)
        self.progress_widget.setVisible(bool(text))
