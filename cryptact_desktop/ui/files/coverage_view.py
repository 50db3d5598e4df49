"""Which periods of each endpoint came from files, which from the API, and which from neither.

A timeline per endpoint painted with QPainter (one row each, time left to right), a legend, and a
tooltip naming the segment under the mouse. The data is :func:`coverage_view` from the core.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from cryptact_desktop.imports import CoverageSegment, CoverageSource, coverage_view
from cryptact_desktop.service import AppService
from cryptact_desktop.ui.widgets import endpoint_name, format_ms, hint_label, title_label

COLOURS: dict[str, str] = {
    CoverageSource.FILE.value: "#3b7dd8",
    CoverageSource.API.value: "#2f9e55",
    CoverageSource.BOTH.value: "#7a5cc7",
    CoverageSource.NONE.value: "#d9d9d9",
    "unreachable": "#e07b39",
}


def _colour_key(segment: CoverageSegment) -> str:
    return "unreachable" if segment.api_unreachable else segment.source.value


class CoverageTimeline(QWidget):
    """Per-endpoint rows of coloured segments over one shared time axis, with a legend."""

    ROW_HEIGHT = 22
    ROW_GAP = 8
    LABEL_WIDTH = 170
    AXIS_HEIGHT = 22
    LEGEND_HEIGHT = 26

    def __init__(self, exchange_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverageTimeline")
        self._exchange_id = exchange_id
        self._segments: tuple[CoverageSegment, ...] = ()
        self._endpoints: tuple[str, ...] = ()
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMinimumWidth(560)

    def set_segments(self, segments: Sequence[CoverageSegment]) -> None:
        self._segments = tuple(segments)
        self._endpoints = tuple(dict.fromkeys(s.endpoint for s in segments))
        metrics = self.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(endpoint_name(self._exchange_id, e)) for e in self._endpoints),
            default=0,
        )
        self.LABEL_WIDTH = min(280, max(120, widest + 20))
        self.updateGeometry()
        self.update()

    def segments(self) -> tuple[CoverageSegment, ...]:
        return self._segments

    def legend_items(self) -> list[tuple[str, str]]:
        return [
            (COLOURS[CoverageSource.FILE.value], self.tr("From files")),
            (COLOURS[CoverageSource.API.value], self.tr("From the API")),
            (COLOURS[CoverageSource.BOTH.value], self.tr("Files and API")),
            (COLOURS[CoverageSource.NONE.value], self.tr("Neither (a gap)")),
            (COLOURS["unreachable"], self.tr("Gap the API can no longer reach: import a file")),
        ]

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._endpoints))
        height = self.AXIS_HEIGHT + rows * (self.ROW_HEIGHT + self.ROW_GAP) + self.LEGEND_HEIGHT * 2 + 8
        return QSize(720, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(560, self.sizeHint().height())

    # ------------------------------------------------------------------ geometry

    def _span(self) -> tuple[int, int]:
        if not self._segments:
            return (0, 1)
        start = min(s.start_ms for s in self._segments)
        end = max(s.end_ms for s in self._segments)
        return (start, max(end, start + 1))

    def _track(self) -> QRect:
        return QRect(self.LABEL_WIDTH, 0, max(10, self.width() - self.LABEL_WIDTH - 12), self.height())

    def _x(self, ms: int) -> float:
        start, end = self._span()
        track = self._track()
        return track.left() + (ms - start) / (end - start) * track.width()

    def _row_top(self, row: int) -> int:
        return self.AXIS_HEIGHT + row * (self.ROW_HEIGHT + self.ROW_GAP)

    def segment_at(self, pos: QPoint) -> CoverageSegment | None:
        for row, endpoint in enumerate(self._endpoints):
            top = self._row_top(row)
            if not top <= pos.y() < top + self.ROW_HEIGHT:
                continue
            for segment in self._segments:
                if segment.endpoint != endpoint:
                    continue
                left, right = self._x(segment.start_ms), self._x(segment.end_ms + 1)
                if left - 1 <= pos.x() <= max(right, left + 2) + 1:
                    return segment
        return None

    # ------------------------------------------------------------------ painting

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            palette = self.palette()
            text = palette.color(QPalette.ColorRole.Text)
            muted = palette.color(QPalette.ColorRole.PlaceholderText)
            metrics = self.fontMetrics()
            if not self._segments:
                painter.setPen(muted)
                painter.drawText(
                    self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Nothing fetched or imported yet.")
                )
                return
            start, end = self._span()
            track = self._track()
            # Axis: the start, the middle and the end of the span.
            painter.setPen(muted)
            for fraction, align in (
                (0.0, Qt.AlignmentFlag.AlignLeft),
                (0.5, Qt.AlignmentFlag.AlignHCenter),
                (1.0, Qt.AlignmentFlag.AlignRight),
            ):
                ms = int(start + (end - start) * fraction)
                label = format_ms(ms)[:10]
                width = metrics.horizontalAdvance(label) + 4
                x = int(track.left() + track.width() * fraction)
                left = (
                    x
                    if align == Qt.AlignmentFlag.AlignLeft
                    else x - width
                    if align == Qt.AlignmentFlag.AlignRight
                    else x - width // 2
                )
                painter.drawText(
                    QRect(left, 0, width, self.AXIS_HEIGHT - 4), align | Qt.AlignmentFlag.AlignVCenter, label
                )
            for row, endpoint in enumerate(self._endpoints):
                top = self._row_top(row)
                painter.setPen(text)
                name = metrics.elidedText(
                    endpoint_name(self._exchange_id, endpoint),
                    Qt.TextElideMode.ElideRight,
                    self.LABEL_WIDTH - 12,
                )
                painter.drawText(
                    QRect(4, top, self.LABEL_WIDTH - 10, self.ROW_HEIGHT),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    name,
                )
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QBrush(palette.color(QPalette.ColorRole.AlternateBase)))
                painter.drawRect(QRectF(track.left(), top, track.width(), self.ROW_HEIGHT))
                for segment in self._segments:
                    if segment.endpoint != endpoint:
                        continue
                    x0 = self._x(segment.start_ms)
                    span = max(2.0, self._x(segment.end_ms + 1) - x0)
                    painter.setBrush(QColor(COLOURS[_colour_key(segment)]))
                    painter.drawRect(QRectF(x0, top + 2, span, self.ROW_HEIGHT - 4))
            # Legend, wrapped onto as many lines as it needs.
            x, y = 4, self._row_top(len(self._endpoints)) + 4
            for colour, label in self.legend_items():
                width = 14 + 6 + metrics.horizontalAdvance(label) + 18
                if x + width > self.width() and x > 4:
                    x, y = 4, y + self.LEGEND_HEIGHT
                painter.setPen(QPen(QColor("#555555"), 1))
                painter.setBrush(QColor(colour))
                painter.drawRect(QRectF(x, y + 5, 14, 14))
                painter.setPen(text)
                painter.drawText(
                    QRect(x + 20, y, width - 20, self.LEGEND_HEIGHT - 2), Qt.AlignmentFlag.AlignVCenter, label
                )
                x += width
        finally:
            painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            segment = self.segment_at(event.pos())
            if segment is None:
                QToolTip.hideText()
                event.ignore()
                return True
            label = dict(self.legend_items())[COLOURS[_colour_key(segment)]]
            QToolTip.showText(
                event.globalPos(),
                self.tr("{endpoint}: {source}\n{start} to {end} UTC").format(
                    endpoint=endpoint_name(self._exchange_id, segment.endpoint),
                    source=label,
                    start=format_ms(segment.start_ms),
                    end=format_ms(segment.end_ms),
                ),
                self,
            )
            return True
        return super().event(event)


class CoverageDialog(QDialog):
    """Key context menu → "Coverage…": the timeline of one account."""

    def __init__(self, service: AppService, account_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverageDialog")
        key = service.store.get_key(account_id)
        self.setWindowTitle(self.tr("Coverage of “{label}”").format(label=key.label))
        self.timeline = CoverageTimeline(key.exchange)
        self.timeline.set_segments(coverage_view(service.store, account_id))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(self.windowTitle()))
        note: QLabel = hint_label(
            self.tr(
                "Which periods of each history type came from imported files, which from the API, and "
                "which from neither. Hover a bar for its dates."
            )
        )
        layout.addWidget(note)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(buttons)
        self.resize(780, self.sizeHint().height())


def open_coverage_dialog(
    service: AppService, account_id: int, parent: QWidget | None = None
) -> CoverageDialog:
    dialog = CoverageDialog(service, account_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
