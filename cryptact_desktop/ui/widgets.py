"""Small building blocks the dialogs share: message labels, hints, a busy row, a non-blocking file
chooser, time text, and the names of venues and endpoints as the user's language shows them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QLocale, Qt, QTimeZone
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QWidget

from cryptact_desktop.venues.base import VenueInfo
from cryptact_desktop.venues.registry import venue_info

ERROR_STYLE = (
    "QLabel { color: #9f1c1c; background: #fdecec; border: 1px solid #f3b9b9;"
    " border-radius: 4px; padding: 6px; }"
)
OK_STYLE = (
    "QLabel { color: #134e1f; background: #e8f6ea; border: 1px solid #9fd3a8;"
    " border-radius: 4px; padding: 6px; }"
)
INFO_STYLE = (
    "QLabel { color: #5c3b00; background: #fff4dc; border: 1px solid #f0b030;"
    " border-radius: 4px; padding: 6px; }"
)
WARNING_STYLE = (
    "QLabel { color: #5c3b00; background: #fff4dc; border: 1px solid #f0b030;"
    " border-radius: 4px; padding: 8px; }"
)
FIELD_ERROR_STYLE = "QLabel { color: #b3261e; }"

COMMON_TIME_ZONES: tuple[str, ...] = (
    "UTC",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
)


# --------------------------------------------------------------------------- names


def ui_language() -> str:
    """The language the UI is shown in ("ja_JP", "en_US"...): the default QLocale's name."""
    return QLocale().name()


def venue_display_name(info: VenueInfo) -> str:
    """The venue's name in the UI's language (its Japanese name under a Japanese locale)."""
    return info.display_name(ui_language())


def exchange_name(exchange_id: str) -> str:
    """The display name of a venue id, or the id itself for a venue no longer in the registry."""
    try:
        return venue_display_name(venue_info(exchange_id))
    except KeyError:
        return exchange_id


def endpoint_name(exchange_id: str, endpoint: str) -> str:
    """The translated name of one of a venue's endpoints (the id if either is unknown)."""
    try:
        return venue_info(exchange_id).endpoint(endpoint).display_name()
    except KeyError:
        return endpoint


# --------------------------------------------------------------------------- time


def system_time_zone() -> str:
    """The computer's time zone as an IANA name ("Asia/Tokyo"); "UTC" when it has none we know."""
    zone = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    if zone in ("Etc/UTC", "Etc/GMT", "GMT", "Universal", "Zulu", "UCT"):
        return "UTC"
    try:
        ZoneInfo(zone)
    except (ValueError, KeyError, OSError):
        return "UTC"
    return zone


def time_zone_choices() -> tuple[str, ...]:
    """The zones a time-zone picker offers: the computer's first, then the common ones."""
    local = system_time_zone()
    return (local, *(zone for zone in COMMON_TIME_ZONES if zone != local))


def format_in_zone(ms: int | None, zone: str | None = None) -> str:
    """``2024-03-05 18:07:01 JST``: a moment in ``zone`` (the computer's by default), with the
    zone's abbreviation so the reader knows which (an em dash for None)."""
    if ms is None:
        return "—"
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(ZoneInfo(zone or system_time_zone()))
    return f"{moment:%Y-%m-%d %H:%M:%S} {moment.tzname() or moment.strftime('%z')}"


def format_ms(ms: int | None, zone: str = "UTC") -> str:
    """``2024-03-05 09:07:01`` in ``zone`` (an em dash for None)."""
    if ms is None:
        return "—"
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(ZoneInfo(zone))
    return f"{moment:%Y-%m-%d %H:%M:%S}"


# --------------------------------------------------------------------------- labels


def styled_label(style: str, name: str) -> QLabel:
    """A hidden, word-wrapped rich-text message box (``ERROR_STYLE``, ``OK_STYLE``...)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(style)
    label.hide()
    return label


def title_label(text: str, scale: float = 1.3) -> QLabel:
    title = QLabel(text)
    font = QFont(title.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    title.setFont(font)
    return title


def hint_label(text: str) -> QLabel:
    """Grey, word-wrapped explanatory text."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def small_hint(text: str, object_name: str = "") -> QLabel:
    """A grey hint in a slightly smaller font, aligned to the top left (under a form field)."""
    label = hint_label(text)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    if object_name:
        label.setObjectName(object_name)
    return label


def busy_indicator() -> tuple[QWidget, QLabel]:
    """A hidden row with an indeterminate progress bar and a label for "Reading…" texts."""
    row_widget = QWidget()
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setFixedWidth(90)
    bar.setMaximumHeight(12)
    label = QLabel()
    row = QHBoxLayout(row_widget)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(bar)
    row.addWidget(label, 1)
    row_widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    row_widget.hide()
    return row_widget, label


# --------------------------------------------------------------------------- files


def open_file_dialog(
    parent: QWidget, title: str, name_filter: str, on_chosen: Callable[[str], None], *, save_as: str = ""
) -> QFileDialog:
    """A non-blocking file chooser (``open()``, no nested event loop): ``on_chosen(path)``."""
    dialog = QFileDialog(parent, title)
    dialog.setNameFilter(name_filter)
    if save_as:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(save_as)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(on_chosen)
    dialog.open()
    return dialog
