"""The keys tree's columns and roles, and the value of every (row, column, role) cell.

``key_cell`` and ``endpoint_cell`` answer what a Qt ``data()`` would: the role first (roles that
do not depend on the column), then one small function per column. The texts come from
:mod:`.presenter`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPalette

from cryptact_desktop.state import EndpointState, EndpointStatus
from cryptact_desktop.ui import icons
from cryptact_desktop.ui.keys import presenter as p
from cryptact_desktop.ui.keys.presenter import KeyNode

translate = QCoreApplication.translate  # pyside6-lupdate finds translate("KeyTreeModel", "…") calls

Role = Qt.ItemDataRole


class Column(enum.IntEnum):
    NAME = 0
    STATUS = 1
    LAST_SYNC = 2
    RECORDS = 3
    DETAILS = 4
    SYNC = 5


class Roles(enum.IntEnum):
    KeyIdRole = Qt.ItemDataRole.UserRole + 1  # int: the key's id (key and endpoint rows)
    EndpointIdRole = Qt.ItemDataRole.UserRole + 2  # str: the endpoint id ("" on key rows)
    StatusRole = Qt.ItemDataRole.UserRole + 3  # EndpointStatus as shown (running overlay applied)
    IsKeyRole = Qt.ItemDataRole.UserRole + 4  # bool
    LastSyncMsRole = Qt.ItemDataRole.UserRole + 5  # int | None (epoch ms)
    RecordCountRole = Qt.ItemDataRole.UserRole + 6  # int (stored + fetched in the running sync)
    FailureRole = Qt.ItemDataRole.UserRole + 7  # Failure | None (endpoint rows)
    PausedRole = Qt.ItemDataRole.UserRole + 8  # bool
    ProgressTextRole = Qt.ItemDataRole.UserRole + 9  # str: "page 12 · reached 2025-03-04" or ""


HEADERS: dict[Column, str] = {
    Column.NAME: str(QT_TRANSLATE_NOOP("KeyTreeModel", "Key")),
    Column.STATUS: str(QT_TRANSLATE_NOOP("KeyTreeModel", "Status")),
    Column.LAST_SYNC: str(QT_TRANSLATE_NOOP("KeyTreeModel", "Last sync")),
    Column.RECORDS: str(QT_TRANSLATE_NOOP("KeyTreeModel", "Records")),
    Column.DETAILS: str(QT_TRANSLATE_NOOP("KeyTreeModel", "Details")),
    Column.SYNC: "",
}

# Every role the items hold (written when it changes).
ITEM_ROLES: tuple[int, ...] = (
    Role.DisplayRole,
    Role.DecorationRole,
    Role.ToolTipRole,
    Role.FontRole,
    Role.ForegroundRole,
    Role.TextAlignmentRole,
    Role.AccessibleTextRole,
    Roles.StatusRole,
    Roles.IsKeyRole,
    Roles.LastSyncMsRole,
    Roles.RecordCountRole,
    Roles.FailureRole,
    Roles.PausedRole,
    Roles.ProgressTextRole,
)

# What progress changes: status, record count and details (and their tooltips).
PROGRESS_COLUMNS: tuple[Column, ...] = (Column.STATUS, Column.RECORDS, Column.DETAILS)
PROGRESS_ROLES: tuple[int, ...] = (
    Role.DisplayRole,
    Role.DecorationRole,
    Role.ToolTipRole,
    Roles.RecordCountRole,
    Roles.ProgressTextRole,
)


def error_brush() -> QBrush:
    """A red that reads on the current palette (lighter on dark backgrounds)."""
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    return QBrush(QColor("#FF8A80") if base.lightnessF() < 0.5 else QColor("#B3261E"))


def muted_brush() -> QBrush:
    palette = QGuiApplication.palette()
    return QBrush(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText))


def same_value(old: object, new: object) -> bool:
    """Whether writing ``new`` over ``old`` would change nothing (icons by cache key, brushes by
    colour: Qt value types without a usable ``==``)."""
    if isinstance(old, QIcon) and isinstance(new, QIcon):
        return old.cacheKey() == new.cacheKey()
    if isinstance(old, QBrush) and isinstance(new, QBrush):
        return old.color() == new.color()
    if type(old) is not type(new):
        return False
    try:
        return bool(old == new)
    except Exception:  # Qt value types without a usable ==
        return False


def time_data(ms: int | None, role: int, *, never: bool) -> object:
    if role == Role.DisplayRole:
        if ms is None:
            return translate("KeyTreeModel", "Never") if never else ""
        return p.format_local(ms)
    if role == Role.ToolTipRole:
        return p.format_both(ms) if ms is not None else translate("KeyTreeModel", "Not synced completely yet")
    return None


def count_data(count: int, role: int) -> object:
    if role == Role.DisplayRole:
        return QLocale().toString(count)
    if role == Role.TextAlignmentRole:
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return None


def _common(node: KeyNode, endpoint: str | None, role: int) -> tuple[bool, object]:
    """Roles every cell of a row answers alike."""
    if role == Roles.KeyIdRole:
        return True, node.key.id
    if role == Roles.EndpointIdRole:
        return True, endpoint or ""
    if role == Roles.IsKeyRole:
        return True, endpoint is None
    if role == Roles.PausedRole:
        return True, node.key.paused
    return False, None


# --------------------------------------------------------------------------- key rows


def _key_role(node: KeyNode, role: int) -> tuple[bool, object]:
    """Custom roles of a key row (the same in every column)."""
    key = node.key
    if role == Roles.StatusRole:
        return True, p.key_status(node)
    if role == Roles.LastSyncMsRole:
        return True, key.last_success_ms
    if role == Roles.RecordCountRole:
        return True, key.record_count + p.new_records(node)
    if role == Roles.FailureRole:
        return True, None
    if role == Roles.ProgressTextRole:
        return True, p.key_progress_text(node) if node.running else ""
    return False, None


def _key_status_text(node: KeyNode) -> str:
    return p.status_text(p.key_status(node), node.key.paused, partial=p.key_partial(node))


def _key_name_cell(node: KeyNode, role: int, _frame: int) -> object:
    key, info = node.key, node.info
    if role == Role.DisplayRole:
        return p.key_name(key, info)
    if role == Role.DecorationRole:
        return icons.exchange_badge(key.exchange)
    if role == Role.ToolTipRole:
        return p.key_tooltip(key, info)
    if role == Role.FontRole:
        font = QFont()
        font.setBold(True)
        return font
    if role == Role.AccessibleTextRole:
        return translate("KeyTreeModel", "{name}, {status}").format(
            name=p.key_name(key, info), status=_key_status_text(node)
        )
    return None


def _key_status_cell(node: KeyNode, role: int, frame: int) -> object:
    status = p.key_status(node)
    if role == Role.DisplayRole:
        return _key_status_text(node)
    if role == Role.DecorationRole:
        if node.key.paused and status is not EndpointStatus.SYNCING:
            return icons.icon("cloud-paused")
        return icons.status_icon(status, frame if node.running else None)
    if role == Role.ToolTipRole:
        return p.key_details(node) or _key_status_text(node)
    return None


def _key_last_sync_cell(node: KeyNode, role: int, _frame: int) -> object:
    key = node.key
    complete = all(key.endpoint(e).last_success_ms is not None for e in node.endpoints)
    if not complete and p.key_partial(node):
        if role == Role.DisplayRole:
            return "—"
        if role == Role.ToolTipRole:
            return translate("KeyTreeModel", "Not every endpoint has completed a sync yet")
        return None
    return time_data(key.last_success_ms if complete else None, role, never=not node.running)


def _key_records_cell(node: KeyNode, role: int, _frame: int) -> object:
    return count_data(node.key.record_count + p.new_records(node), role)


def _key_details_cell(node: KeyNode, role: int, _frame: int) -> object:
    if role in (Role.DisplayRole, Role.ToolTipRole):
        return p.key_details(node)
    failed = p.key_status(node) is EndpointStatus.FAILED and not node.running
    if role == Role.ForegroundRole and failed:
        return error_brush()
    return None


def _key_sync_cell(_node: KeyNode, role: int, _frame: int) -> object:
    if role == Role.ToolTipRole:
        return translate("KeyTreeModel", "Fetch new history for this key")
    return None


_KEY_CELLS: dict[Column, Callable[[KeyNode, int, int], object]] = {
    Column.NAME: _key_name_cell,
    Column.STATUS: _key_status_cell,
    Column.LAST_SYNC: _key_last_sync_cell,
    Column.RECORDS: _key_records_cell,
    Column.DETAILS: _key_details_cell,
    Column.SYNC: _key_sync_cell,
}


def key_cell(node: KeyNode, column: Column, role: int, frame: int) -> object:
    """The value of a key row's cell; ``frame`` is the step of the syncing clouds' animation."""
    for answer in (_common(node, None, role), _key_role(node, role)):
        if answer[0]:
            return answer[1]
    return _KEY_CELLS[column](node, role, frame)


# --------------------------------------------------------------------------- endpoint rows


@dataclass(frozen=True, slots=True)
class EndpointCell:
    """What every cell of one endpoint row is computed from."""

    node: KeyNode
    endpoint: str
    state: EndpointState
    frame: int

    @property
    def status(self) -> EndpointStatus:
        return p.endpoint_status(self.node, self.endpoint)

    @property
    def running(self) -> bool:
        """This endpoint is still being fetched (the key's sync may go on for others)."""
        return p.endpoint_running(self.node, self.endpoint)

    @property
    def count(self) -> int:
        return self.state.record_count + p.new_records(self.node, self.endpoint)

    def status_text(self) -> str:
        return p.status_text(self.status, partial=self.state.record_count > 0)


def _endpoint_role(cell: EndpointCell, role: int) -> tuple[bool, object]:
    """Custom roles of an endpoint row (the same in every column)."""
    node = cell.node
    if role == Roles.StatusRole:
        return True, cell.status
    if role == Roles.LastSyncMsRole:
        return True, cell.state.last_success_ms
    if role == Roles.RecordCountRole:
        return True, cell.count
    if role == Roles.FailureRole:
        return True, None if node.running else cell.state.failure
    if role == Roles.ProgressTextRole:
        return True, p.progress_text(node, cell.endpoint) if node.running else ""
    return False, None


def _endpoint_name_cell(cell: EndpointCell, role: int) -> object:
    if role in (Role.DisplayRole, Role.AccessibleTextRole):
        return p.endpoint_name(cell.node, cell.endpoint)
    return p.endpoint_lookback(cell.node, cell.endpoint) if role == Role.ToolTipRole else None


def _endpoint_status_cell(cell: EndpointCell, role: int) -> object:
    node, running = cell.node, cell.running
    if role == Role.DisplayRole:
        return cell.status_text() if running or not node.running else translate("KeyTreeModel", "Fetched")
    if role == Role.DecorationRole:
        if node.running and not running:
            return icons.icon("cloud-ok")  # its streams are done; the result decides
        return icons.status_icon(cell.status, cell.frame if running else None)
    if role == Role.ToolTipRole:
        return p.endpoint_details(node, cell.endpoint)[1] or cell.status_text()
    return None


def _endpoint_last_sync_cell(cell: EndpointCell, role: int) -> object:
    return time_data(cell.state.last_success_ms, role, never=True)


def _endpoint_records_cell(cell: EndpointCell, role: int) -> object:
    return count_data(cell.count, role)


def _endpoint_details_cell(cell: EndpointCell, role: int) -> object:
    if role in (Role.DisplayRole, Role.ToolTipRole):
        text, tooltip = p.endpoint_details(cell.node, cell.endpoint)
        return text if role == Role.DisplayRole else tooltip or None
    if role == Role.ForegroundRole:
        if cell.status is EndpointStatus.FAILED:
            return error_brush()
        if not cell.node.running and cell.state.unreachable_to_ms is None:
            return muted_brush()
    return None


def _endpoint_sync_cell(_cell: EndpointCell, _role: int) -> object:
    return None


_ENDPOINT_CELLS: dict[Column, Callable[[EndpointCell, int], object]] = {
    Column.NAME: _endpoint_name_cell,
    Column.STATUS: _endpoint_status_cell,
    Column.LAST_SYNC: _endpoint_last_sync_cell,
    Column.RECORDS: _endpoint_records_cell,
    Column.DETAILS: _endpoint_details_cell,
    Column.SYNC: _endpoint_sync_cell,
}


def endpoint_cell(node: KeyNode, endpoint: str, column: Column, role: int, frame: int) -> object:
    """The value of an endpoint row's cell."""
    handled, value = _common(node, endpoint, role)
    if handled:
        return value
    try:
        cell = EndpointCell(node, endpoint, node.key.endpoint(endpoint), frame)
    except KeyError:
        return None
    handled, value = _endpoint_role(cell, role)
    if handled:
        return value
    return _ENDPOINT_CELLS[column](cell, role)
