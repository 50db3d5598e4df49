"""The "API keys" page: the keys tree with a Sync/Cancel button on each key row, its header and
context menu, and the page shown instead while there is no key yet.

The tree shows :class:`~cryptact_desktop.ui.keys.tree_model.KeyTreeModel`; what the user asks for
(sync, edit, pause, remove...) goes to :class:`~cryptact_desktop.ui.main.key_commands.KeyCommands`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QAction, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from cryptact_desktop.imports import is_file_only
from cryptact_desktop.state import EndpointStatus
from cryptact_desktop.ui import icons
from cryptact_desktop.ui.keys.presenter import key_title
from cryptact_desktop.ui.keys.tree_model import Column, KeyTreeModel, Roles
from cryptact_desktop.ui.sync_controller import SyncController

if TYPE_CHECKING:
    from cryptact_desktop.ui.main.key_commands import KeyCommands

translate = QCoreApplication.translate

DETAILS_MIN_WIDTH = 300
SYNC_COLUMN_WIDTH = 96
COLUMN_WIDTHS = {Column.NAME: 300, Column.STATUS: 120, Column.LAST_SYNC: 130, Column.RECORDS: 75}
# New keys widen the key column up to this to show their whole names (Japanese ones are wider).
NAME_MAX_WIDTH = 440


class KeysTree(QTreeView):
    """The keys and their endpoints. ``key_actions`` (Sync, Edit, Remove of the selected key) get
    their shortcuts here only: Delete in a text field elsewhere must not remove a key."""

    def __init__(
        self,
        model: KeyTreeModel,
        controller: SyncController,
        commands: KeyCommands,
        manage_keys_action: QAction,
        key_actions: tuple[QAction, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._controller = controller
        self._commands = commands
        self._manage_keys_action = manage_keys_action
        self._shown_status: dict[int, EndpointStatus] = {}
        self._name_fit_pending = False
        self._names_fitted = 0  # the width the names wanted when last fitted
        self.setObjectName("keysTree")
        self.setAccessibleName(self.tr("API keys"))
        self.setModel(model)
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setIconSize(QSize(18, 18))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_context_menu)
        self.doubleClicked.connect(self._on_double_clicked)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setResizeContentsPrecision(0)
        header.setMinimumSectionSize(40)
        self.set_header_modes()
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.resizeSection(Column.SYNC, SYNC_COLUMN_WIDTH)
        for action in key_actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        header.sectionResized.connect(self._on_section_resized)
        self.viewport().installEventFilter(self)
        model.rowsInserted.connect(self._on_rows_inserted)
        self.expanded.connect(self.fit_name_column_soon)

    # ------------------------------------------------------------------ header

    def set_header_modes(self) -> None:
        """Every column resizable by the user except the buttons'; Details takes the rest
        (see ``_fit_details_column``). Applied again after restoring a saved header state."""
        header = self.header()
        for column in Column:
            fixed = column is Column.SYNC
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Fixed if fixed else QHeaderView.ResizeMode.Interactive
            )
        # The Sync buttons sit right after the key's name: a narrow window scrolls the details
        # sideways, never the button (the failure's full text is in the panel under the tree).
        if header.visualIndex(Column.SYNC) != 1:
            header.moveSection(header.visualIndex(Column.SYNC), 1)

    def restore_header(self, state: object) -> None:
        self.header().restoreState(state)  # type: ignore[arg-type]
        self.set_header_modes()
        self.header().resizeSection(Column.SYNC, SYNC_COLUMN_WIDTH)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_details_column()
        return super().eventFilter(watched, event)

    @Slot(int, int, int)
    def _on_section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != Column.DETAILS:
            self._fit_details_column()

    def fit_name_column_soon(self) -> None:
        """Fit the key column to the names (see ``_fit_name_column``) once, after the changes
        under way: keys added or renamed, keys expanded."""
        if not self._name_fit_pending:
            self._name_fit_pending = True
            QTimer.singleShot(0, self, self._fit_name_column)

    def _fit_name_column(self) -> None:
        """Widen the key column to the longest name shown, up to ``NAME_MAX_WIDTH``. Never
        narrow it (the user may have widened it, and the width is kept between runs), and widen
        it only when the names changed: a user who narrowed it keeps that until then."""
        self._name_fit_pending = False
        wanted = min(NAME_MAX_WIDTH, self._names_width())
        if wanted == self._names_fitted:
            return
        self._names_fitted = wanted
        header = self.header()
        if wanted > header.sectionSize(Column.NAME):
            header.resizeSection(Column.NAME, wanted)  # Details gives up the room

    def _names_width(self) -> int:
        """The key column's width that shows every key name whole, and the endpoint names of
        expanded keys. (The rows' fixed size hint keeps ``sizeHintForColumn`` from measuring.)"""
        model = self._model
        margin = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1)
        decoration = self.iconSize().width() + margin
        widest = 0
        pending = [(QModelIndex(), 1)]
        while pending:
            parent, depth = pending.pop()
            for row in range(model.rowCount(parent)):
                index = model.index(row, Column.NAME, parent)
                font = index.data(Qt.ItemDataRole.FontRole)
                metrics = QFontMetrics(font) if isinstance(font, QFont) else self.fontMetrics()
                text = metrics.horizontalAdvance(str(index.data() or ""))
                widest = max(widest, depth * self.indentation() + decoration + text + margin)
                if self.isExpanded(index):
                    pending.append((index, depth + 1))
        return widest

    def _fit_details_column(self) -> None:
        """Details fills the room the other columns leave, but never gets narrower than
        ``DETAILS_MIN_WIDTH``: on a narrow window the tree scrolls sideways instead of
        squeezing the one column that says what went wrong."""
        header = self.header()
        others = sum(header.sectionSize(c) for c in Column if c != Column.DETAILS)
        width = max(DETAILS_MIN_WIDTH, self.viewport().width() - others)
        if header.sectionSize(Column.DETAILS) != width:
            header.resizeSection(Column.DETAILS, width)  # _on_section_resized ignores DETAILS

    # ------------------------------------------------------------------ selection

    def selected_key_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        key_id = index.data(Roles.KeyIdRole)
        return int(key_id) if key_id is not None else None

    def select_key(self, key_id: int) -> None:
        index = self._model.key_index(key_id)
        if index.isValid():
            self.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.scrollTo(index)

    def expand_new_failures(self) -> None:
        """A key whose status just became "failed" shows its endpoints (and why) by itself."""
        shown: dict[int, EndpointStatus] = {}
        for key in self._model.all_keys():
            status = self._model.shown_status(key.id)
            if status is None:
                continue
            shown[key.id] = status
            if (
                status is EndpointStatus.FAILED
                and self._shown_status.get(key.id) is not EndpointStatus.FAILED
            ):
                self.expand(self._model.key_index(key.id))
        self._shown_status = shown

    # ------------------------------------------------------------------ sync buttons

    @Slot(QModelIndex, int, int)
    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        for row in range(first, last + 1):
            index = self._model.index(row, Column.SYNC)
            key_id = index.data(Roles.KeyIdRole)
            if key_id is not None:
                self.setIndexWidget(index, self._make_sync_button(int(key_id)))

    def _make_sync_button(self, key_id: int) -> QWidget:
        holder = QWidget()
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(4, 1, 6, 1)
        button = QToolButton(holder)
        button.setObjectName(f"syncButton_{key_id}")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setIconSize(QSize(14, 14))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        commands = self._commands
        button.clicked.connect(lambda: commands.on_sync_button(key_id))
        layout.addWidget(button)
        holder.setProperty("keyId", key_id)
        self._style_sync_button(button, key_id)
        return holder

    def sync_button(self, key_id: int) -> QToolButton | None:
        """The Sync/Cancel button on a key's row."""
        index = self._model.key_index(key_id, Column.SYNC)
        holder = self.indexWidget(index) if index.isValid() else None
        if holder is None:
            return None
        return holder.findChild(QToolButton, f"syncButton_{key_id}")

    def _style_sync_button(self, button: QToolButton, key_id: int) -> None:
        key = self._model.key(key_id)
        title = key_title(key) if key is not None else ""
        if self._controller.is_running(key_id):
            button.setText(self.tr("Cancel"))
            button.setIcon(icons.icon("stop"))
            button.setToolTip(self.tr("Stop this sync; what was fetched so far is kept"))
            button.setAccessibleName(self.tr("Cancel sync of {key}").format(key=title))
            button.setEnabled(True)
            return
        button.setText(self.tr("Sync"))
        button.setIcon(icons.icon("sync"))
        button.setAccessibleName(self.tr("Sync {key}").format(key=title))
        if key is None or not key.enabled_endpoints:
            button.setEnabled(False)
            button.setToolTip(self.tr("This key has no endpoints to sync"))
        else:
            button.setEnabled(True)
            button.setToolTip(
                self.tr("Fetch new history for this key (paused: only when you press this)")
                if key.paused
                else self.tr("Fetch new history for this key")
            )

    def update_sync_buttons(self) -> None:
        for key in self._model.all_keys():
            button = self.sync_button(key.id)
            if button is None:  # e.g. rows inserted before the view existed
                index = self._model.key_index(key.id, Column.SYNC)
                self.setIndexWidget(index, self._make_sync_button(key.id))
                button = self.sync_button(key.id)
            if button is not None:
                self._style_sync_button(button, key.id)

    # ------------------------------------------------------------------ menu and clicks

    @Slot(QPoint)
    def _show_context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            index = self.currentIndex()
        if not index.isValid():
            menu = QMenu(self)
            menu.addAction(self._manage_keys_action)
            menu.exec(self.viewport().mapToGlobal(pos))
            return
        self.setCurrentIndex(index)
        key_id = index.data(Roles.KeyIdRole)
        if key_id is None:
            return
        self.context_menu(int(key_id)).exec(self.viewport().mapToGlobal(pos))

    def context_menu(self, key_id: int) -> QMenu:
        """Sync (or Cancel), Edit, Pause/Resume, Show transactions, files, Remove — for one key."""
        menu = QMenu(self)
        menu.setObjectName("keyContextMenu")
        key = self._model.key(key_id)
        if key is None:
            return menu
        c, running = self._commands, self._controller.is_running(key_id)
        if is_file_only(key.host_id):
            # Only files so far: no API to sync, pause or edit until a key is attached.
            menu.addAction(self.tr("Attach API key…"), lambda: c.attach_key(key_id))
        elif running:
            menu.addAction(icons.icon("stop"), self.tr("Cancel sync"), lambda: c.cancel(key_id))
        else:
            sync = menu.addAction(icons.icon("sync"), self.tr("Sync"), lambda: c.sync_key(key_id))
            sync.setEnabled(bool(key.enabled_endpoints))
        if not is_file_only(key.host_id):
            edit = menu.addAction(self.tr("Edit…"), lambda: c.edit_key(key_id))
            edit.setEnabled(not running and bool(key.enabled_endpoints))
            pause = menu.addAction(
                self.tr("Resume") if key.paused else self.tr("Pause"), lambda: c.toggle_pause(key_id)
            )
            pause.setEnabled(bool(key.enabled_endpoints))
        menu.addAction(self.tr("Show transactions"), lambda: c.show_transactions(key_id))
        menu.addSeparator()
        menu.addAction(self.tr("Add transactions from a file…"), lambda: c.import_into(key_id))
        menu.addAction(self.tr("Reconcile with files…"), lambda: c.reconcile(key_id))
        menu.addAction(self.tr("Coverage…"), lambda: c.coverage(key_id))
        menu.addSeparator()
        menu.addAction(self.tr("Remove…"), lambda: c.remove_key(key_id))
        return menu

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.SYNC:
            return
        key_id = index.data(Roles.KeyIdRole)
        if key_id is None:
            return
        if index.data(Roles.StatusRole) == EndpointStatus.FAILED and not index.data(Roles.IsKeyRole):
            self._commands.edit_key(int(key_id))  # a failed endpoint: most fixes happen in the key dialog
        elif index.data(Roles.IsKeyRole):
            self._commands.show_transactions(int(key_id))


def build_empty_page(parent: QWidget, on_add: Callable[[], object]) -> tuple[QWidget, QPushButton]:
    """The first-start page (no key yet): what the app does and one big "Add your first API key"."""
    page = QWidget(parent)
    page.setObjectName("emptyPage")
    layout = QVBoxLayout(page)
    layout.setContentsMargins(48, 48, 48, 48)
    layout.setSpacing(14)
    layout.addStretch(2)
    art = QLabel(page)
    art.setPixmap(icons.pixmap("app", 72))
    art.setAlignment(Qt.AlignmentFlag.AlignCenter)
    title = QLabel(translate("MainWindow", "Bring your exchange history to this computer"), page)
    title.setObjectName("emptyTitle")
    title_font = QFont(title.font())
    title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
    title_font.setBold(True)
    title.setFont(title_font)
    title.setAlignment(Qt.AlignmentFlag.AlignCenter)
    title.setWordWrap(True)
    body = QLabel(
        translate(
            "MainWindow",
            "Add a read-only API key of your exchange account. Cryptact Desktop fetches your "
            "trades, deposits, withdrawals and transfers into a database on this computer — "
            "only when you press Sync.",
        ),
        page,
    )
    body.setWordWrap(True)
    body.setAlignment(Qt.AlignmentFlag.AlignCenter)
    body.setMinimumWidth(380)
    body.setMaximumWidth(560)
    body_row = QHBoxLayout()  # no alignment flag: a wrapped label then gets its full height
    body_row.addStretch(1)
    body_row.addWidget(body, 4)
    body_row.addStretch(1)
    button = QPushButton(icons.icon("plus"), translate("MainWindow", "Add your first API key"), page)
    button.setObjectName("emptyAddButton")
    button.setAccessibleName(translate("MainWindow", "Add your first API key"))
    button.setIconSize(QSize(22, 22))
    button_font = QFont(button.font())
    button_font.setPointSizeF(button_font.pointSizeF() * 1.25)
    button.setFont(button_font)
    button.setMinimumHeight(46)
    button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    button.setDefault(True)
    button.clicked.connect(on_add)
    pointer = QLabel(
        translate("MainWindow", "Later, add more keys with the + button at the top left (Ctrl+N)."), page
    )
    pointer.setObjectName("emptyHint")
    pointer.setAlignment(Qt.AlignmentFlag.AlignCenter)
    pointer.setEnabled(False)
    pointer.setWordWrap(True)
    layout.addWidget(art)
    layout.addWidget(title)
    layout.addLayout(body_row)
    layout.addSpacing(10)
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
    layout.addWidget(pointer)
    layout.addStretch(3)
    return page, button
