"""Our own icons: SVG files in ``resources/icons`` plus exchange badges drawn at run time.

No exchange logos anywhere: an exchange is shown as a rounded square in its catalogue colour with
its monogram ("By"). Every icon is a mid-tone fill with a white symbol, so it stays legible at
16 px on light and dark palettes alike.
"""

from __future__ import annotations

import logging
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPixmap

if TYPE_CHECKING:  # the main window's first paint needs neither (see ui.app's start-up)
    from PySide6.QtSvg import QSvgRenderer

    from cryptact_desktop.state import EndpointStatus

log = logging.getLogger(__name__)

ICON_SIZES = (16, 20, 24, 32, 48, 64)
SYNC_FRAMES = 8
_ARROWS_CENTRE = QPointF(12.0, 14.5)  # the centre of sync-arrows.svg in its 24-unit box

# EndpointStatus value → icon name.
STATUS_ICONS: dict[str, str] = {
    "ok": "cloud-ok",
    "failed": "cloud-failed",
    "never": "cloud-never",
    "syncing": "cloud-syncing",
}


def icons_dir() -> Path:
    """``resources/icons``: next to the frozen executable's data, or at the repository root."""
    candidates: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources" / "icons")
    package_root = Path(__file__).resolve().parent.parent  # cryptact_desktop/
    candidates += [
        package_root.parent / "resources" / "icons",  # a source checkout / editable install
        package_root / "resources" / "icons",  # icons shipped inside the package
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg``; an empty icon (and a log line) if it is missing."""
    path = icons_dir() / f"{name}.svg"
    if not path.is_file():
        log.error("icon %s not found in %s", name, path.parent)
        return QIcon()
    return QIcon(str(path))


def status_icon(status: EndpointStatus, frame: int | None = None) -> QIcon:
    """The cloud for ``status``; while syncing, ``frame`` picks a step of the arrows' rotation."""
    if status.value == "syncing" and frame is not None:
        return sync_frame(frame % SYNC_FRAMES)
    return icon(STATUS_ICONS[status.value])


@cache
def _renderer(name: str) -> QSvgRenderer:
    from PySide6.QtSvg import QSvgRenderer

    return QSvgRenderer(str(icons_dir() / f"{name}.svg"))


@cache
def sync_frame(frame: int) -> QIcon:
    """The syncing cloud with its arrows turned by ``frame`` / SYNC_FRAMES of a half turn.

    The two arrows are symmetric under a half turn, so eight steps over 180° loop seamlessly.
    """
    base, arrows = _renderer("cloud-syncing-base"), _renderer("sync-arrows")
    result = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(0, 0, size, size)
        base.render(painter, box)
        scale = size / 24.0
        painter.translate(_ARROWS_CENTRE * scale)
        painter.rotate(180.0 * frame / SYNC_FRAMES)
        painter.translate(-_ARROWS_CENTRE * scale)
        arrows.render(painter, box)
        painter.end()
        result.addPixmap(pixmap)
    return result


def warm_up() -> None:
    """Draw the status clouds and every frame of the syncing animation now, while nothing else
    runs: drawn the first time a sync shows them, they cost the GUI thread ~50 calls into Qt each,
    and each call waits for the GIL the sync threads hold."""
    for name in STATUS_ICONS.values():
        icon(name)
    for frame in range(SYNC_FRAMES):
        sync_frame(frame)


def _text_colour(background: QColor) -> QColor:
    """Black or white, whichever contrasts more with ``background`` (WCAG relative luminance)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * channel(background.redF())
        + 0.7152 * channel(background.greenF())
        + 0.0722 * channel(background.blueF())
    )
    return QColor("#111111") if luminance > 0.4 else QColor("#FFFFFF")


def draw_badge(size: int, monogram: str, colour: str, fallback: str = "") -> QPixmap:
    """A rounded square in ``colour`` with ``monogram`` centred in a contrasting colour; where
    the fonts of this computer have no glyph for a character of ``monogram`` (a symbol such as
    "₿" on a minimal Linux), ``fallback`` (plain letters) instead of an empty box."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    background = QColor(colour)
    inset = 0.5
    rect = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    painter.setPen(background.darker(130))
    painter.setBrush(background)
    radius = size * 0.22
    painter.drawRoundedRect(rect, radius, radius)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(7, round(size * (0.56 if len(monogram) <= 1 else 0.47))))
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 92)
    if fallback and not all(QFontMetrics(font).inFontUcs4(ord(char)) for char in monogram):
        monogram = fallback
        font.setPixelSize(max(7, round(size * (0.56 if len(monogram) <= 1 else 0.47))))
    painter.setFont(font)
    painter.setPen(_text_colour(background))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, monogram)
    painter.end()
    return pixmap


@cache
def exchange_badge(exchange_id: str) -> QIcon:
    """The exchange's badge (its monogram on its colour) at the usual icon sizes."""
    from cryptact_desktop.venues.registry import venue_info

    try:
        info = venue_info(exchange_id)
        monogram, colour = info.monogram or info.name[:2], info.colour
        fallback = info.name[:2]
    except KeyError:
        monogram, colour = exchange_id[:2].title() or "?", "#888888"
        fallback = ""
    result = QIcon()
    for size in ICON_SIZES:
        result.addPixmap(draw_badge(size, monogram, colour, fallback))
    return result


def app_icon() -> QIcon:
    return icon("app")


def pixmap(name: str, size: int) -> QPixmap:
    """``icon(name)`` rendered at ``size`` × ``size`` device-independent pixels."""
    return icon(name).pixmap(QSize(size, size))
