"""First step of "Manage your API keys" (and of "Add wallet address", which lists blockchains
only): choose the venue the new key or wallet belongs to.

A search field over every venue of the registry, each shown with its badge (monogram on its
colour) and its name in the UI's language (the Japanese name under a Japanese locale). Typing
filters the list (by either name or the id), Enter (or a double-click, or Next) picks the
selected venue, Esc cancels.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QIcon, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.ui.icons import exchange_badge
from cryptact_desktop.ui.widgets import venue_display_name
from cryptact_desktop.venues.base import BLOCKCHAIN, VenueInfo
from cryptact_desktop.venues.registry import venue_infos

_EXCHANGE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2
_SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3  # every name and the id, casefolded
_BADGE_SIZE = 32


class _ExchangeDelegate(QStyledItemDelegate):
    """Two lines per exchange: its name, and below it in grey what it supports."""

    _PADDING = 8

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        metrics = option.fontMetrics
        height = max(_BADGE_SIZE, metrics.height() * 2 + 2) + 2 * self._PADDING
        return QSize(metrics.horizontalAdvance(str(index.data())) + _BADGE_SIZE + 4 * self._PADDING, height)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else None
        name, summary = opt.text, str(index.data(_SUMMARY_ROLE) or "")
        icon = QIcon(opt.icon)  # a copy: the option's own icon is cleared below
        # Let the style draw the background, selection and focus, then draw the content ourselves.
        opt.text = ""
        opt.icon = QIcon()
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = opt.rect
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        enabled = bool(opt.state & QStyle.StateFlag.State_Enabled)
        palette: QPalette = opt.palette
        group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        try:
            icon_rect = QRect(
                rect.left() + self._PADDING,
                rect.top() + (rect.height() - _BADGE_SIZE) // 2,
                _BADGE_SIZE,
                _BADGE_SIZE,
            )
            icon.paint(
                painter,
                icon_rect,
                Qt.AlignmentFlag.AlignCenter,
                QIcon.Mode.Normal if enabled else QIcon.Mode.Disabled,
            )
            left = icon_rect.right() + 1 + self._PADDING + 2
            metrics = opt.fontMetrics
            line = metrics.height()
            top = rect.top() + (rect.height() - 2 * line - 2) // 2
            width = rect.right() - left - self._PADDING
            name_font = QFont(opt.font)
            name_font.setBold(True)
            painter.setFont(name_font)
            painter.setPen(palette.color(group, text_role))
            painter.drawText(QRect(left, top, width, line), Qt.AlignmentFlag.AlignVCenter, name)
            painter.setFont(opt.font)
            summary_colour = (
                palette.color(group, text_role)
                if selected
                else palette.color(group, QPalette.ColorRole.PlaceholderText)
            )
            painter.setPen(summary_colour)
            elided = metrics.elidedText(summary, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRect(left, top + line + 2, width, line), Qt.AlignmentFlag.AlignVCenter, elided)
        finally:
            painter.restore()


class VenuePickerDialog(QDialog):
    """Choose the exchange for a new API key. ``pick()`` returns its id, or None if cancelled."""

    def __init__(self, parent: QWidget | None = None, *, kind: str = "") -> None:
        super().__init__(parent)
        self._wallets = kind == BLOCKCHAIN
        self.setObjectName("exchangePickerDialog")
        self.setMinimumSize(420, 380)
        self.resize(460, 460)
        if self._wallets:
            self.setWindowTitle(self.tr("Add wallet address"))
            intro = QLabel(self.tr("Choose the blockchain of your wallet."))
            search = self.tr("Search blockchains")
        else:
            self.setWindowTitle(self.tr("Manage your API keys"))
            if kind:
                intro = QLabel(self.tr("Choose the exchange your API key is from."))
                search = self.tr("Search exchanges")
            else:  # every venue: the blockchains are listed too
                intro = QLabel(
                    self.tr("Choose the exchange your API key is from, or the blockchain of your wallet.")
                )
                search = self.tr("Search exchanges and blockchains")
        intro.setWordWrap(True)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(search)
        self.search_edit.setAccessibleName(search)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._apply_filter)
        self.search_edit.returnPressed.connect(self._on_return_pressed)
        self.search_edit.installEventFilter(self)
        intro.setBuddy(self.search_edit)

        self.exchange_list = QListWidget()
        self.exchange_list.setObjectName("exchangeList")
        self.exchange_list.setAccessibleName(self.tr("Exchanges"))
        self.exchange_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.exchange_list.setUniformItemSizes(True)
        self.exchange_list.setIconSize(QSize(_BADGE_SIZE, _BADGE_SIZE))
        self.exchange_list.setItemDelegate(_ExchangeDelegate(self.exchange_list))
        self.exchange_list.itemDoubleClicked.connect(self._on_double_clicked)
        self.exchange_list.currentItemChanged.connect(self._update_buttons)
        self.exchange_list.itemSelectionChanged.connect(self._update_buttons)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # Same white box as the list, so the dialog does not jump when nothing matches.
        self.empty_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty_label.setAutoFillBackground(True)
        self.empty_label.setMargin(12)

        for info in venue_infos():
            if kind and info.kind != kind:
                continue
            name = venue_display_name(info)
            item = QListWidgetItem(exchange_badge(info.id), name)
            item.setData(_EXCHANGE_ID_ROLE, info.id)
            item.setData(_SUMMARY_ROLE, self._summary(info))
            item.setData(_SEARCH_ROLE, " ".join((name, info.name, info.name_ja, info.id)).casefold())
            item.setToolTip(f"{name} — {self._summary(info)}")
            if not info.supports_api:
                # API keys only make sense for exchanges with an API connector.
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
            self.exchange_list.addItem(item)

        self.buttons = QDialogButtonBox()
        self.next_button = QPushButton(self.tr("Next"))
        self.next_button.setObjectName("nextButton")
        self.next_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.buttons.addButton(self.next_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._accept_selection)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search_edit)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.exchange_list)
        self.stack.addWidget(self.empty_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.buttons)

        self._apply_filter("")
        self.search_edit.setFocus()

    # ------------------------------------------------------------------ API

    def selected_exchange_id(self) -> str | None:
        item = self._selected_item()
        return None if item is None else str(item.data(_EXCHANGE_ID_ROLE))

    @staticmethod
    def pick(parent: QWidget | None = None, *, kind: str = "") -> str | None:
        """The venue the user picked (None: cancelled); ``kind``: only exchanges or blockchains."""
        dialog = VenuePickerDialog(parent, kind=kind)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.selected_exchange_id()
            return None
        finally:
            dialog.deleteLater()

    # ------------------------------------------------------------------ internals

    def _summary(self, info: VenueInfo) -> str:
        if info.supports_api and info.supports_files:
            return self.tr("API sync and file upload")
        if info.supports_api:
            return self.tr("API sync")
        if info.supports_files:
            return self.tr("File upload only")
        return self.tr("Not supported yet")

    def _selected_item(self) -> QListWidgetItem | None:
        items = [i for i in self.exchange_list.selectedItems() if not i.isHidden()]
        if not items or not (items[0].flags() & Qt.ItemFlag.ItemIsEnabled):
            return None
        return items[0]

    def _visible_items(self) -> list[QListWidgetItem]:
        items = (self.exchange_list.item(row) for row in range(self.exchange_list.count()))
        return [i for i in items if i is not None and not i.isHidden()]

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.exchange_list.count()):
            item = self.exchange_list.item(row)
            item.setHidden(bool(needle) and needle not in str(item.data(_SEARCH_ROLE)))
        visible = [i for i in self._visible_items() if i.flags() & Qt.ItemFlag.ItemIsEnabled]
        current = self._selected_item()
        if current is None and visible:
            # Keep a selection on the first match so Enter and Next act on what the user sees.
            self.exchange_list.setCurrentItem(visible[0])
        elif not visible:
            self.exchange_list.clearSelection()
        has_any = bool(self._visible_items())
        self.stack.setCurrentWidget(self.exchange_list if has_any else self.empty_label)
        if not has_any and self._wallets:
            self.empty_label.setText(self.tr("No blockchain matches “{text}”.").format(text=text.strip()))
        elif not has_any:
            self.empty_label.setText(
                self.tr(
                    "No exchange matches “{text}”.\nThis app cannot read other exchanges' files yet: "
                    "upload them on Cryptact's own site instead."
                ).format(text=text.strip())
            )
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        self.next_button.setEnabled(self._selected_item() is not None)

    def _on_return_pressed(self) -> None:
        visible = [i for i in self._visible_items() if i.flags() & Qt.ItemFlag.ItemIsEnabled]
        if len(visible) == 1:
            self.exchange_list.setCurrentItem(visible[0])
        self._accept_selection()

    def _on_double_clicked(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.exchange_list.setCurrentItem(item)
            self._accept_selection()

    def _accept_selection(self) -> None:
        if self._selected_item() is not None:
            self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down in the search field move through the list, like a launcher.
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                QCoreApplication.sendEvent(self.exchange_list, event)
                return True
        return super().eventFilter(watched, event)
