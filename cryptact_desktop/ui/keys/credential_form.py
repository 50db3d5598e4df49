"""The credential inputs of a venue, built from its declaration (``VenueInfo.credentials``).

Each :class:`~cryptact_desktop.venues.base.CredentialField` becomes one input named
``credential_<name>`` (``credential_api_key``, ``credential_secret``...) so tests and screen
readers find it: a masked line for a secret, a multi-line box that keeps inner line breaks for a
PEM key, labelled with the field's translated label. What the user typed is checked and turned
into :class:`~cryptact_desktop.credentials.Credentials` by :func:`clean_credentials_for` before
anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.service import clean_credential_fields, clean_credentials
from cryptact_desktop.ui.keys.field_errors import FieldErrors
from cryptact_desktop.ui.widgets import venue_display_name
from cryptact_desktop.venues.base import CredentialField, VenueInfo

CredentialInput = QLineEdit | QPlainTextEdit

# The fields AppService.clean_credentials knows (an API key, its secret, maybe a passphrase).
_CLASSIC_FIELDS = frozenset({"api_key", "secret", "passphrase"})
MULTILINE_ROWS = 5


def clean_credentials_for(info: VenueInfo, values: Mapping[str, str]) -> Credentials:
    """Trim and check what was typed into ``info``'s credential fields; raises
    :class:`KeyInputError` (field name and a message for under the field) for the first bad one.

    Venues with the classic API key + secret (+ passphrase) go through the core's
    ``clean_credentials``, the others through its ``clean_credential_fields`` with the venue's
    own field checks (the same rules as ``keys add``).
    """
    names = [spec.name for spec in info.credentials]
    if {"api_key", "secret"} <= set(names) <= _CLASSIC_FIELDS:
        cleaned = clean_credentials(
            values.get("api_key", ""),
            values.get("secret", ""),
            values.get("passphrase", ""),
            needs_passphrase=info.needs_passphrase,
        )
        return Credentials.from_fields({name: cleaned.get(name) for name in names})
    return clean_credential_fields(values, info.credentials)


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Secret key" → "secret key", "API key" stays."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def input_text(widget: CredentialInput) -> str:
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


class CredentialForm(QObject):
    """The credential rows of one venue in a :class:`QFormLayout`.

    ``errors``: put each input in a :class:`FieldErrors` row (a message line under it, named after
    the field). ``show_button``: a "Show" toggle beside the first masked field unmasks them all.
    ``editing``: the stored values are never shown; empty inputs say "unchanged".
    """

    edited = Signal(str)  # the name of the field the user changed

    def __init__(
        self,
        info: VenueInfo,
        parent: QWidget,
        *,
        editing: bool = False,
        errors: FieldErrors | None = None,
        show_button: bool = True,
    ) -> None:
        super().__init__(parent)
        self.info = info
        self.inputs: dict[str, CredentialInput] = {}
        self.show_secret_button: QToolButton | None = None
        self._errors = errors
        self._editing = editing
        self._show_button = show_button
        for spec in info.credentials:
            self.inputs[spec.name] = self._make_input(spec)

    # ------------------------------------------------------------------ building

    def _make_input(self, spec: CredentialField) -> CredentialInput:
        widget: CredentialInput
        if spec.multiline:
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            widget.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            widget.setFixedHeight(widget.fontMetrics().lineSpacing() * MULTILINE_ROWS + 12)
            widget.textChanged.connect(lambda name=spec.name: self.edited.emit(name))
        else:
            widget = QLineEdit()
            # Far above any real key: a longer paste is refused by the check, never truncated.
            widget.setMaxLength(max(1024, 2 * spec.max_length))
            if spec.secret:
                widget.setEchoMode(QLineEdit.EchoMode.Password)
            widget.textEdited.connect(lambda _text, name=spec.name: self.edited.emit(name))
        widget.setObjectName(f"credential_{spec.name}")
        widget.setAccessibleName(spec.display_label())
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        widget.setFont(font)
        exchange = venue_display_name(self.info)
        if self._editing:
            widget.setPlaceholderText(self.tr("unchanged"))
        elif spec.placeholder:
            widget.setPlaceholderText(spec.display_placeholder())
        else:
            widget.setPlaceholderText(
                self.tr("Paste the {field} from {exchange}").format(
                    field=in_sentence(spec.display_label()), exchange=exchange
                )
            )
        return widget

    def add_rows(self, form: QFormLayout, hint: QLabel | None = None) -> None:
        """One row per field, in the declared order; ``hint`` goes under the last one."""
        masked = [
            name for name, w in self.inputs.items() if isinstance(w, QLineEdit) and self._is_secret(name)
        ]
        if self._show_button and masked:
            self.show_secret_button = self._make_show_button()
        specs = self.info.credentials
        for position, spec in enumerate(specs):
            widget = self.inputs[spec.name]
            content: QWidget | QHBoxLayout = widget
            if self.show_secret_button is not None and spec.name == masked[0]:
                content = QHBoxLayout()
                content.setSpacing(4)
                content.addWidget(widget, 1)
                content.addWidget(self.show_secret_button)
            last_hint = hint if position == len(specs) - 1 else None
            if spec.required:
                label = self.tr("{label}:").format(label=spec.display_label())
            else:
                label = self.tr("{label} (optional):").format(label=spec.display_label())
            if self._errors is not None:
                form.addRow(label, self._errors.row(spec.name, content, widget, last_hint))
            else:
                form.addRow(label, content)

    def _make_show_button(self) -> QToolButton:
        button = QToolButton()
        button.setObjectName("showSecretButton")
        button.setCheckable(True)
        button.setText(self.tr("Show"))
        button.setAccessibleName(self.tr("Show the secret key"))
        button.setToolTip(self.tr("Show or hide the secret key"))
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.toggled.connect(self._on_show_toggled)
        return button

    def _on_show_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for name, widget in self.inputs.items():
            if isinstance(widget, QLineEdit) and self._is_secret(name):
                widget.setEchoMode(mode)
        assert self.show_secret_button is not None
        self.show_secret_button.setText(self.tr("Hide") if shown else self.tr("Show"))
        self.show_secret_button.setAccessibleName(
            self.tr("Hide the secret key") if shown else self.tr("Show the secret key")
        )

    def _is_secret(self, name: str) -> bool:
        spec = self.info.credential(name)
        return spec is not None and spec.secret

    # ------------------------------------------------------------------ reading

    def input(self, name: str) -> CredentialInput:
        return self.inputs[name]

    def first(self) -> CredentialInput:
        return next(iter(self.inputs.values()))

    def first_secret(self) -> CredentialInput:
        """The first masked field (where a signature error is fixed), else the first field."""
        return next((w for n, w in self.inputs.items() if self._is_secret(n)), self.first())

    def tab_chain(self) -> list[QWidget]:
        chain: list[QWidget] = []
        for widget in self.inputs.values():
            chain.append(widget)
            if self.show_secret_button is not None and widget is self.first_secret():
                chain.append(self.show_secret_button)
        return chain

    def values(self) -> dict[str, str]:
        return {name: input_text(widget) for name, widget in self.inputs.items()}

    def typed(self) -> bool:
        """Whether anything was typed into any field (editing: the key is being replaced)."""
        return any(value.strip() for value in self.values().values())

    def clean(self) -> Credentials:
        """The typed credentials, checked; raises :class:`KeyInputError` for the first bad field."""
        return clean_credentials_for(self.info, self.values())

    def field_problem(self, name: str) -> str:
        """What the field's own check (a wallet address's format and checksum) says about what is
        typed now ("" when it is fine, empty, or the field has no check)."""
        spec = self.info.credential(name)
        value = input_text(self.inputs[name]).strip() if name in self.inputs else ""
        if spec is None or spec.check is None or not value:
            return ""
        try:
            spec.check(value)
        except ValueError as exc:
            return str(exc)
        return ""

    def empty_required(self) -> list[str]:
        return [
            s.name
            for s in self.info.credentials
            if s.required and not input_text(self.inputs[s.name]).strip()
        ]
