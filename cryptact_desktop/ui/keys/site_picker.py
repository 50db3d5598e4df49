"""Where a key's requests go: the venue's API sites (regions) and, for advanced use such as a local
simulator, a custom API address — https://, or plain http:// only to this computer."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit

from cryptact_desktop.api_urls import UrlProblem, url_problem
from cryptact_desktop.i18n import translate
from cryptact_desktop.venues.base import VenueInfo
from cryptact_desktop.venues.registry import CUSTOM_HOST


def custom_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a custom API base URL (a :class:`UrlProblem`), or None if it can: the
    core's one rule (https:// anywhere, plain http:// only to a host on this computer)."""
    return url_problem(url)


def url_problem_text(problem: str) -> str:
    """What to tell the user under the address field."""
    if problem == UrlProblem.EMPTY:
        return QCoreApplication.translate(
            "KeyDialog", "Enter the API address, for example https://api.example.com."
        )
    if problem == UrlProblem.PLAIN_HTTP:
        return QCoreApplication.translate(
            "KeyDialog",
            "Use https:// (plain http:// is allowed only for this computer, e.g. http://127.0.0.1).",
        )
    if problem == UrlProblem.SCHEME:
        return QCoreApplication.translate("KeyDialog", "The address must start with https://.")
    return QCoreApplication.translate("KeyDialog", "This is not a valid web address.")


class SitePicker(QObject):
    """The "API site" combo box (the venue's hosts, then "Custom URL (advanced)" if the venue
    allows one) and the custom address field. The dialog lays both out; ``changed`` fires when
    either changes (a verified key no longer applies then)."""

    changed = Signal()

    def __init__(self, info: VenueInfo, parent: QObject) -> None:
        super().__init__(parent)
        self.host_combo = QComboBox()
        self.host_combo.setObjectName("hostCombo")
        self.host_combo.setAccessibleName(
            self.tr("Server") if info.is_blockchain else self.tr("API site or region")
        )
        for host in info.hosts:
            self.host_combo.addItem(translate("catalogue", host.label), host.id)
        if info.allows_custom_url:
            custom = self.tr("My own server…") if info.is_blockchain else self.tr("Custom URL (advanced)")
            self.host_combo.addItem(custom, CUSTOM_HOST)
        self.host_combo.currentIndexChanged.connect(self.changed)
        self.custom_url_edit = QLineEdit()
        self.custom_url_edit.setObjectName("customUrlEdit")
        self.custom_url_edit.setAccessibleName(
            self.tr("Server address") if info.is_blockchain else self.tr("Custom API address")
        )
        self.custom_url_edit.setPlaceholderText("https://")
        self.custom_url_edit.textEdited.connect(self.changed)

    def host_id(self) -> str:
        return str(self.host_combo.currentData())

    def is_custom(self) -> bool:
        return bool(self.host_combo.currentData() == CUSTOM_HOST)

    def custom_url(self) -> str:
        """The custom address as it will be stored ("" unless the custom site is chosen)."""
        if not self.is_custom():
            return ""
        return self.custom_url_edit.text().strip().rstrip("/")

    def problem(self) -> str | None:
        """What is wrong with the custom address (None when fine or not used)."""
        return custom_url_problem(self.custom_url_edit.text()) if self.is_custom() else None

    def set_site(self, host_id: str, base_url: str) -> None:
        index = self.host_combo.findData(host_id)
        if index >= 0:
            self.host_combo.setCurrentIndex(index)
        if host_id == CUSTOM_HOST:
            self.custom_url_edit.setText(base_url)
