"""The API keys tree: one row per key, one child row per enabled endpoint of the key.

The model only renders :class:`~cryptact_desktop.state.KeyConfig` values handed to it
(``set_keys`` diffs a fresh list from the store) plus the live overlay of running syncs
(``set_running`` / ``apply_progress``). It never reads the database itself, and every change is
signalled with ``dataChanged`` / ``rowsInserted`` / ``rowsRemoved`` — never a reset.

Every cell's values are written into C++ ``QStandardItem``s when they change, so the view paints
without calling Python (see :class:`KeyTreeModel` for why that matters during syncs).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)

from cryptact_desktop.errors import Failure
from cryptact_desktop.state import EndpointState, EndpointStatus, KeyConfig
from cryptact_desktop.sync.engine import SyncProgress
from cryptact_desktop.ui import icons
from cryptact_desktop.venues.base import VenueInfo
from cryptact_desktop.venues.registry import venue_info

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 30
_INVALID = QModelIndex()


translate = QCoreApplication.translate  # pyside6-lupdate finds translate("KeyTreeModel", "…") calls


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


def local_datetime(ms: int) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(ms)).toLocalTime()


def format_local(ms: int) -> str:
    """A moment in the user's local time and locale format, e.g. "2025/03/04 14:05" (ja_JP).

    Without a real locale ("C", e.g. LANG=C.UTF-8) Qt's short format is "24 11 2026 08:53";
    ISO reads better there: "2026-11-24 08:53".
    """
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return local_datetime(ms).toString("yyyy-MM-dd HH:mm")
    return locale.toString(local_datetime(ms), QLocale.FormatType.ShortFormat)


def format_date(ms: int) -> str:
    """A day in ISO form (unambiguous in every locale): "2025-03-04" (local time)."""
    return local_datetime(ms).date().toString(Qt.DateFormat.ISODate)


def format_both(ms: int) -> str:
    """Absolute UTC and local time, for tooltips."""
    utc = datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    local = QLocale().toString(local_datetime(ms), QLocale.FormatType.LongFormat)
    return translate("KeyTreeModel", "{utc}\n{local} (local time)").format(utc=utc, local=local)


def _display_status(state: EndpointState) -> EndpointStatus:
    """An endpoint's status when no sync of its key runs in this app: "syncing" left in the
    database by a crashed run means nothing, so show what it was before (as the store's
    ``reset_stale_syncing`` would)."""
    if state.status is not EndpointStatus.SYNCING:
        return state.status
    if state.failure is not None:
        return EndpointStatus.FAILED
    return EndpointStatus.OK if state.last_success_ms else EndpointStatus.NEVER


@dataclass
class _StreamProgress:
    pages: int = 0
    new_records: int = 0
    reached_ms: int | None = None
    finished: bool = False


@dataclass
class _KeyNode:
    key: KeyConfig
    endpoints: list[str]  # enabled endpoint ids, in row order
    running: bool = False
    progress: dict[str, dict[str, _StreamProgress]] = field(default_factory=dict)  # endpoint → stream

    @property
    def info(self) -> VenueInfo | None:
        try:
            return venue_info(self.key.exchange)
        except KeyError:
            return None


def _failure_text(failure: Failure) -> str:
    """ "Invalid API key — check that the key was copied whole…": the problem and its fix."""
    if not failure.hint:
        return failure.message
    hint = failure.hint[:1].lower() + failure.hint[1:] if failure.hint[1:2].islower() else failure.hint
    return f"{failure.message} — {hint}"


def _status_text(status: EndpointStatus, paused: bool = False, *, partial: bool = False) -> str:
    """``partial``: never completed, but some history was fetched (e.g. a cancelled first sync)."""
    if paused and status is not EndpointStatus.SYNCING:
        return translate("KeyTreeModel", "Paused")
    if partial and status is EndpointStatus.NEVER:
        return translate("KeyTreeModel", "Incomplete")
    return {
        EndpointStatus.OK: translate("KeyTreeModel", "Up to date"),
        EndpointStatus.FAILED: translate("KeyTreeModel", "Failed"),
        EndpointStatus.NEVER: translate("KeyTreeModel", "Not synced yet"),
        EndpointStatus.SYNCING: translate("KeyTreeModel", "Syncing…"),
    }[status]


class KeyTreeModel(QStandardItemModel):
    """Keys and their endpoints, with the live state of running syncs.

    The values live in C++ ``QStandardItem``s: painting the tree never calls into Python. That
    matters while syncs run: every call from Qt into Python must take the GIL from the sync
    threads, and a Python ``data()`` is called ~15 times per cell per repaint (measured: ~900
    GIL round trips per repaint starved the event loop for 150–400 ms). Rows are (re)rendered
    here in Python only when their state changes, at most ``REFRESH_MS`` apart while syncing.
    """

    REFRESH_MS = 125  # progress text and the syncing clouds' animation: 8 frames per second

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(Column), parent)
        self._nodes: list[_KeyNode] = []
        self._rows: dict[int, int] = {}  # key id → row
        self._rendered: dict[tuple[int, str, int], dict[int, object]] = {}  # (key, endpoint, col)
        self._dirty: set[int] = set()  # key ids whose rows must be rendered again
        self._frame = 0
        self._ticker = QTimer(self)
        self._ticker.setInterval(self.REFRESH_MS)
        self._ticker.timeout.connect(self._tick)
        for column, text in HEADERS.items():
            self.setHeaderData(
                column, Qt.Orientation.Horizontal, translate("KeyTreeModel", text) if text else ""
            )
        self.setHeaderData(
            Column.RECORDS,
            Qt.Orientation.Horizontal,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            Qt.ItemDataRole.TextAlignmentRole,
        )
        self.setHeaderData(
            Column.SYNC,
            Qt.Orientation.Horizontal,
            translate("KeyTreeModel", "Fetch new history for this key"),
            Qt.ItemDataRole.ToolTipRole,
        )

    # ------------------------------------------------------------------ lookup

    def key_index(self, key_id: int, column: int = 0) -> QModelIndex:
        row = self._rows.get(key_id)
        return QModelIndex() if row is None else self.index(row, column)

    def endpoint_index(self, key_id: int, endpoint: str, column: int = 0) -> QModelIndex:
        row = self._rows.get(key_id)
        if row is None:
            return QModelIndex()
        try:
            child_row = self._nodes[row].endpoints.index(endpoint)
        except ValueError:
            return QModelIndex()
        return self.index(child_row, column, self.index(row, 0))

    def key_at(self, index: AnyIndex) -> KeyConfig | None:
        key_id = index.data(Roles.KeyIdRole) if index.isValid() else None
        return None if key_id is None else self.key(int(key_id))

    def key(self, key_id: int) -> KeyConfig | None:
        row = self._rows.get(key_id)
        return None if row is None else self._nodes[row].key

    def all_keys(self) -> list[KeyConfig]:
        return [node.key for node in self._nodes]

    def shown_status(self, key_id: int) -> EndpointStatus | None:
        row = self._rows.get(key_id)
        return None if row is None else self._key_status(self._nodes[row])

    def is_running(self, key_id: int) -> bool:
        row = self._rows.get(key_id)
        return row is not None and self._nodes[row].running

    # ------------------------------------------------------------------ updates

    def set_keys(self, keys: Sequence[KeyConfig]) -> None:
        """Show ``keys`` (in this order), with the minimal inserts, removals and changes."""
        wanted = {k.id for k in keys}
        for index in reversed(range(len(self._nodes))):
            gone = self._nodes[index]
            if gone.key.id not in wanted:
                del self._nodes[index]
                self._reindex()
                self._forget_rendered(gone.key.id)
                self.removeRow(index)
        for position, key in enumerate(keys):
            row = self._rows.get(key.id)
            if row is None:
                node = _KeyNode(key, [])
                self._nodes.insert(position, node)
                self._reindex()
                self.insertRow(position, self._new_items(key.id, ""))
                self._sync_children(node, key)
                continue
            if row != position:  # keys are sorted by id, so this does not happen in practice
                self._nodes.insert(position, self._nodes.pop(row))
                self._reindex()
                self.insertRow(position, self.takeRow(row))
            self.update_key(key)
        self._update_ticker()

    def update_key(self, key: KeyConfig) -> None:
        """Replace one key's data (its enabled endpoints may have changed)."""
        row = self._rows.get(key.id)
        if row is None:
            return
        self._sync_children(self._nodes[row], key)

    def set_running(self, key_id: int, running: bool) -> None:
        """Mark a key's sync as started (all its endpoints show "syncing") or ended."""
        row = self._rows.get(key_id)
        if row is None:
            return
        node = self._nodes[row]
        node.running = running
        node.progress.clear()
        self._render(node)
        self._dirty.discard(key_id)
        self._update_ticker()

    def apply_progress(self, progress: SyncProgress) -> None:
        """Record one progress report; the rows show it at the next refresh tick."""
        row = self._rows.get(progress.key_id)
        if row is None:
            return
        node = self._nodes[row]
        if not node.running:
            return  # a late report after the result arrived
        stream = node.progress.setdefault(progress.endpoint, {}).setdefault(
            progress.stream, _StreamProgress()
        )
        stream.pages = progress.pages
        stream.new_records = progress.new_records
        if progress.reached_ms is not None:
            stream.reached_ms = progress.reached_ms
        stream.finished = stream.finished or progress.finished
        self._dirty.add(progress.key_id)

    def apply_progress_batch(self, batch: Sequence[SyncProgress]) -> None:
        for progress in batch:
            self.apply_progress(progress)

    def flush(self) -> None:
        """Render every row with pending progress now (the refresh tick does it otherwise)."""
        dirty, self._dirty = self._dirty, set()
        for key_id in dirty:
            row = self._rows.get(key_id)
            if row is not None:
                self._render(self._nodes[row], _PROGRESS_COLUMNS, _PROGRESS_ROLES)

    # ------------------------------------------------------------------ items

    def _reindex(self) -> None:
        self._rows = {node.key.id: row for row, node in enumerate(self._nodes)}

    def _forget_rendered(self, key_id: int, endpoint: str | None = None) -> None:
        for cache_key in [
            k for k in self._rendered if k[0] == key_id and (endpoint is None or k[1] == endpoint)
        ]:
            del self._rendered[cache_key]

    @staticmethod
    def _new_items(key_id: int, endpoint: str) -> list[QStandardItem]:
        items = []
        for column in Column:
            item = QStandardItem()
            if column is Column.NAME:
                # Roomy rows (the Sync buttons sit in them), without a Python delegate in paint.
                item.setData(QSize(220, ROW_HEIGHT), Qt.ItemDataRole.SizeHintRole)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if endpoint:
                flags |= Qt.ItemFlag.ItemNeverHasChildren
            item.setFlags(flags)
            item.setData(key_id, Roles.KeyIdRole)
            item.setData(endpoint, Roles.EndpointIdRole)
            items.append(item)
        return items

    def _sync_children(self, node: _KeyNode, key: KeyConfig) -> None:
        """Make the endpoint rows match ``key``'s enabled endpoints, then render the key."""
        row = self._rows[node.key.id]
        parent_item = self.item(row, 0)
        wanted = list(key.enabled_endpoints)
        # Remove rows while the old key still describes them, insert once the new one does.
        for child in reversed(range(len(node.endpoints))):
            endpoint = node.endpoints[child]
            if endpoint not in wanted:
                del node.endpoints[child]
                self._forget_rendered(key.id, endpoint)
                parent_item.removeRow(child)
        node.key = key
        for position, endpoint in enumerate(wanted):
            if position < len(node.endpoints) and node.endpoints[position] == endpoint:
                continue
            if endpoint in node.endpoints:
                current = node.endpoints.index(endpoint)
                node.endpoints.insert(position, node.endpoints.pop(current))
                parent_item.insertRow(position, parent_item.takeRow(current))
            else:
                node.endpoints.insert(position, endpoint)
                parent_item.insertRow(position, self._new_items(key.id, endpoint))
        self._render(node)

    def _render(
        self,
        node: _KeyNode,
        columns: Sequence[Column] = tuple(Column),
        roles: Sequence[int] = (),
    ) -> None:
        """Write the current values of a key's row and its endpoint rows into the items
        (only ``columns``, and only ``roles`` when given)."""
        row = self._rows[node.key.id]
        parent_item = self.item(row, 0)
        roles = roles or _ITEM_ROLES
        for column in columns:
            self._write(node, "", column, self.item(row, column), roles)
        for child, endpoint in enumerate(node.endpoints):
            for column in columns:
                item = parent_item.child(child, column)
                if item is not None:
                    self._write(node, endpoint, column, item, roles)

    def _write(
        self, node: _KeyNode, endpoint: str, column: Column, item: QStandardItem, roles: Sequence[int]
    ) -> None:
        cache = self._rendered.setdefault((node.key.id, endpoint, column), {})
        for role in roles:
            if endpoint:
                value = self._endpoint_data(node, endpoint, column, role)
            else:
                value = self._key_data(node, column, role)
            if role in cache and _same(cache[role], value):
                continue
            cache[role] = value
            item.setData(value, role)

    # ------------------------------------------------------------------ refresh tick

    def _update_ticker(self) -> None:
        if any(node.running for node in self._nodes):
            if not self._ticker.isActive():
                self._ticker.start()
        else:
            self._ticker.stop()
            self.flush()

    def _tick(self) -> None:
        """While syncing: turn the clouds' arrows, show the progress reported since the last tick.

        Only the cells that change are computed: this runs on the GUI thread while the sync
        threads compete for the GIL, so it must stay short (measured during a sync: 5–8 ms of
        wall time per tick, against 10–13 ms for rendering whole rows).
        """
        self._frame = (self._frame + 1) % icons.SYNC_FRAMES
        dirty, self._dirty = self._dirty, set()
        for node in self._nodes:
            if node.key.id in dirty:
                self._render(node, _PROGRESS_COLUMNS, _PROGRESS_ROLES)
            elif node.running:
                self._render(node, (Column.STATUS,), (Qt.ItemDataRole.DecorationRole,))

    def _endpoint_running(self, node: _KeyNode, endpoint: str) -> bool:
        if not node.running:
            return False
        streams = node.progress.get(endpoint)
        return not streams or not all(s.finished for s in streams.values())

    def _endpoint_status(self, node: _KeyNode, endpoint: str) -> EndpointStatus:
        if node.running:
            return EndpointStatus.SYNCING
        try:
            return _display_status(node.key.endpoint(endpoint))
        except KeyError:
            return EndpointStatus.NEVER

    def _key_status(self, node: _KeyNode) -> EndpointStatus:
        if node.running:
            return EndpointStatus.SYNCING
        states = [_display_status(node.key.endpoint(e)) for e in node.endpoints]
        if not states:
            return EndpointStatus.NEVER
        for status in (EndpointStatus.FAILED, EndpointStatus.NEVER):
            if status in states:
                return status
        return EndpointStatus.OK

    def _new_records(self, node: _KeyNode, endpoint: str | None = None) -> int:
        items = node.progress.items() if endpoint is None else [(endpoint, node.progress.get(endpoint, {}))]
        return sum(s.new_records for _, streams in items for s in streams.values())

    def _progress_text(self, node: _KeyNode, endpoint: str) -> str:
        streams = node.progress.get(endpoint)
        if not streams:
            return translate("KeyTreeModel", "Waiting…")
        pages = sum(s.pages for s in streams.values())
        new = sum(s.new_records for s in streams.values())
        if all(s.finished for s in streams.values()):
            return translate("KeyTreeModel", "Fetched {new} new · finishing…").format(
                new=QLocale().toString(new)
            )
        parts = [translate("KeyTreeModel", "page {pages}").format(pages=QLocale().toString(pages))]
        if new:
            parts.append(translate("KeyTreeModel", "{new} new").format(new=QLocale().toString(new)))
        reached = [s.reached_ms for s in streams.values() if s.reached_ms is not None and not s.finished]
        if reached:
            parts.append(translate("KeyTreeModel", "reached {date}").format(date=format_date(min(reached))))
        return " · ".join(parts)

    def _key_progress_text(self, node: _KeyNode) -> str:
        total = len(node.endpoints)
        done = sum(1 for e in node.endpoints if not self._endpoint_running(node, e))
        new = self._new_records(node)
        text = translate("KeyTreeModel", "Syncing: {done} of {total} done").format(done=done, total=total)
        if new:
            text += " · " + translate("KeyTreeModel", "{new} new").format(new=QLocale().toString(new))
        return text

    def _unreachable_text(self, node: _KeyNode, state: EndpointState) -> str:
        if state.unreachable_to_ms is None:
            return ""
        info = node.info
        name = info.name if info else node.key.exchange
        text = translate(
            "KeyTreeModel",
            "History before {date} cannot be fetched via the API — import {exchange}'s export file",
        )
        return text.format(date=format_date(state.unreachable_to_ms + 1), exchange=name)

    def _key_details(self, node: _KeyNode) -> str:
        if node.running:
            return self._key_progress_text(node)
        key = node.key
        if not node.endpoints:
            return translate("KeyTreeModel", "No endpoints enabled")
        failed = [e for e in node.endpoints if _display_status(key.endpoint(e)) is EndpointStatus.FAILED]
        if failed:
            failures = [f for e in failed if (f := key.endpoint(e).failure) is not None]
            if failures and len(failed) == len(node.endpoints) and len({f.message for f in failures}) == 1:
                return _failure_text(failures[0])  # one cause for the whole key: say how to fix it
            if len({f.message for f in failures}) == 1:
                return failures[0].message
            return translate("KeyTreeModel", "{failed} of {total} endpoints failed").format(
                failed=len(failed), total=len(node.endpoints)
            )
        if key.paused:
            return translate("KeyTreeModel", "Paused: not included in Sync all")
        if all(key.endpoint(e).status is EndpointStatus.NEVER for e in node.endpoints):
            return translate("KeyTreeModel", "Press Sync to fetch this key's history")
        return ""

    def _endpoint_details(self, node: _KeyNode, endpoint: str) -> tuple[str, str]:
        """(text, tooltip) of an endpoint row's details column."""
        if node.running:
            text = self._progress_text(node, endpoint)
            return text, text
        state = node.key.endpoint(endpoint)
        status = _display_status(state)
        if status is EndpointStatus.FAILED and state.failure is not None:
            failure = state.failure
            text = _failure_text(failure)
            tooltip = failure.message
            if failure.hint:
                tooltip += "\n" + failure.hint
            if failure.code:
                tooltip += "\n" + translate("KeyTreeModel", "Error code: {code}").format(code=failure.code)
            return text, tooltip
        unreachable = self._unreachable_text(node, state)
        if unreachable:
            return unreachable, unreachable
        info = node.info
        if status is EndpointStatus.NEVER and info is not None:
            try:
                lookback = info.endpoint(endpoint).display_lookback()
            except KeyError:
                lookback = ""
            return lookback, lookback
        return "", ""

    def _endpoint_name(self, node: _KeyNode, endpoint: str) -> str:
        info = node.info
        if info is None:
            return endpoint
        try:
            return info.endpoint(endpoint).display_name()
        except KeyError:
            return endpoint

    def _key_name(self, key: KeyConfig, info: VenueInfo | None) -> str:
        name = info.name if info else key.exchange
        label = key.label or name
        text = f"{name} · {label}" if label != name else name
        if key.subaccount:
            text += f" ({key.subaccount})"
        return text

    def _key_tooltip(self, key: KeyConfig, info: VenueInfo | None) -> str:
        lines = [self._key_name(key, info)]
        if key.subaccount:
            lines.append(translate("KeyTreeModel", "Sub-account: {name}").format(name=key.subaccount))
        if key.key_hint:
            lines.append(translate("KeyTreeModel", "API key: {hint}").format(hint=key.key_hint))
        if info is not None:
            try:
                host = info.host(key.host_id)
                site = QCoreApplication.translate("catalogue", host.label)
                lines.append(translate("KeyTreeModel", "Site: {site}").format(site=site))
            except KeyError:
                if key.base_url:
                    lines.append(translate("KeyTreeModel", "API address: {url}").format(url=key.base_url))
        if key.verification.read_only is False:
            lines.append(
                translate("KeyTreeModel", "Warning: this key can trade or withdraw — use a read-only key")
            )
        return "\n".join(lines)

    # ------------------------------------------------------------------ data

    def _common(self, node: _KeyNode, endpoint: str | None, role: int) -> tuple[bool, object]:
        key = node.key
        if role == Roles.KeyIdRole:
            return True, key.id
        if role == Roles.EndpointIdRole:
            return True, endpoint or ""
        if role == Roles.IsKeyRole:
            return True, endpoint is None
        if role == Roles.PausedRole:
            return True, key.paused
        return False, None

    def _key_data(self, node: _KeyNode, column: Column, role: int) -> object:
        handled, value = self._common(node, None, role)
        if handled:
            return value
        key, info = node.key, node.info
        status = self._key_status(node)
        partial = key.record_count > 0 or any(key.endpoint(e).last_success_ms for e in node.endpoints)
        if role == Roles.StatusRole:
            return status
        if role == Roles.LastSyncMsRole:
            return key.last_success_ms
        if role == Roles.RecordCountRole:
            return key.record_count + self._new_records(node)
        if role == Roles.FailureRole:
            return None
        if role == Roles.ProgressTextRole:
            return self._key_progress_text(node) if node.running else ""
        if column is Column.NAME:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._key_name(key, info)
            if role == Qt.ItemDataRole.DecorationRole:
                return icons.exchange_badge(key.exchange)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._key_tooltip(key, info)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return translate("KeyTreeModel", "{name}, {status}").format(
                    name=self._key_name(key, info), status=_status_text(status, key.paused, partial=partial)
                )
        elif column is Column.STATUS:
            if role == Qt.ItemDataRole.DisplayRole:
                return _status_text(status, key.paused, partial=partial)
            if role == Qt.ItemDataRole.DecorationRole:
                if key.paused and status is not EndpointStatus.SYNCING:
                    return icons.icon("cloud-paused")
                return icons.status_icon(status, self._frame if node.running else None)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._key_details(node) or _status_text(status, key.paused, partial=partial)
        elif column is Column.LAST_SYNC:
            complete = all(key.endpoint(e).last_success_ms is not None for e in node.endpoints)
            if not complete and partial:
                if role == Qt.ItemDataRole.DisplayRole:
                    return "—"
                if role == Qt.ItemDataRole.ToolTipRole:
                    return translate("KeyTreeModel", "Not every endpoint has completed a sync yet")
                return None
            return self._time_data(key.last_success_ms if complete else None, role, never=not node.running)
        elif column is Column.RECORDS:
            return self._count_data(key.record_count + self._new_records(node), role)
        elif column is Column.DETAILS:
            text = self._key_details(node)
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return text
            failed = status is EndpointStatus.FAILED and not node.running
            if role == Qt.ItemDataRole.ForegroundRole and failed:
                return _error_brush()
        elif column is Column.SYNC and role == Qt.ItemDataRole.ToolTipRole:
            return translate("KeyTreeModel", "Fetch new history for this key")
        return None

    def _endpoint_data(self, node: _KeyNode, endpoint: str, column: Column, role: int) -> object:
        handled, value = self._common(node, endpoint, role)
        if handled:
            return value
        try:
            state = node.key.endpoint(endpoint)
        except KeyError:
            return None
        status = self._endpoint_status(node, endpoint)
        running = self._endpoint_running(node, endpoint)
        partial = state.record_count > 0
        if role == Roles.StatusRole:
            return status
        if role == Roles.LastSyncMsRole:
            return state.last_success_ms
        if role == Roles.RecordCountRole:
            return state.record_count + self._new_records(node, endpoint)
        if role == Roles.FailureRole:
            return None if node.running else state.failure
        if role == Roles.ProgressTextRole:
            return self._progress_text(node, endpoint) if node.running else ""
        if column is Column.NAME:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self._endpoint_name(node, endpoint)
            if role == Qt.ItemDataRole.ToolTipRole:
                info = node.info
                try:
                    return info.endpoint(endpoint).display_lookback() if info else None
                except KeyError:
                    return None
        elif column is Column.STATUS:
            if role == Qt.ItemDataRole.DisplayRole:
                return (
                    _status_text(status, partial=partial)
                    if running or not node.running
                    else translate("KeyTreeModel", "Fetched")
                )
            if role == Qt.ItemDataRole.DecorationRole:
                if node.running and not running:
                    return icons.icon("cloud-ok")  # its streams are done; the result decides
                return icons.status_icon(status, self._frame if running else None)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._endpoint_details(node, endpoint)[1] or _status_text(status, partial=partial)
        elif column is Column.LAST_SYNC:
            return self._time_data(state.last_success_ms, role, never=True)
        elif column is Column.RECORDS:
            return self._count_data(state.record_count + self._new_records(node, endpoint), role)
        elif column is Column.DETAILS:
            text, tooltip = self._endpoint_details(node, endpoint)
            if role == Qt.ItemDataRole.DisplayRole:
                return text
            if role == Qt.ItemDataRole.ToolTipRole:
                return tooltip or None
            if role == Qt.ItemDataRole.ForegroundRole:
                if status is EndpointStatus.FAILED:
                    return _error_brush()
                if not node.running and state.unreachable_to_ms is None:
                    return _muted_brush()
        return None

    @staticmethod
    def _time_data(ms: int | None, role: int, *, never: bool) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if ms is None:
                return translate("KeyTreeModel", "Never") if never else ""
            return format_local(ms)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                format_both(ms) if ms is not None else translate("KeyTreeModel", "Not synced completely yet")
            )
        return None

    @staticmethod
    def _count_data(count: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return QLocale().toString(count)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _error_brush() -> QBrush:
    """A red that reads on the current palette (lighter on dark backgrounds)."""
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    return QBrush(QColor("#FF8A80") if base.lightnessF() < 0.5 else QColor("#B3261E"))


def _muted_brush() -> QBrush:
    palette = QGuiApplication.palette()
    return QBrush(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText))


_ITEM_ROLES: tuple[int, ...] = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Roles.StatusRole,
    Roles.IsKeyRole,
    Roles.LastSyncMsRole,
    Roles.RecordCountRole,
    Roles.FailureRole,
    Roles.PausedRole,
    Roles.ProgressTextRole,
)

# What progress changes: status, record count and details (and their tooltips).
_PROGRESS_COLUMNS: tuple[Column, ...] = (Column.STATUS, Column.RECORDS, Column.DETAILS)
_PROGRESS_ROLES: tuple[int, ...] = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole,
    Roles.RecordCountRole,
    Roles.ProgressTextRole,
)


def _same(old: object, new: object) -> bool:
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
