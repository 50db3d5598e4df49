"""The API keys tree: one row per key, one child row per enabled endpoint of the key.

The model only renders :class:`~cryptact_desktop.state.KeyConfig` values handed to it
(``set_keys`` diffs a fresh list from the store) plus the live overlay of running syncs
(``set_running`` / ``apply_progress``). It never reads the database itself, and every change is
signalled with ``dataChanged`` / ``rowsInserted`` / ``rowsRemoved`` — never a reset.

Every cell's values are written into C++ ``QStandardItem``s when they change, so the view paints
without calling Python (see :class:`KeyTreeModel` for why that matters during syncs). What a cell
holds comes from :mod:`.cells` and :mod:`.presenter`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel

from cryptact_desktop.state import EndpointStatus, KeyConfig
from cryptact_desktop.sync.engine import SyncProgress
from cryptact_desktop.ui import icons
from cryptact_desktop.ui.keys.cells import (
    HEADERS,
    ITEM_ROLES,
    PROGRESS_COLUMNS,
    PROGRESS_ROLES,
    Column,
    Roles,
    endpoint_cell,
    key_cell,
    same_value,
)
from cryptact_desktop.ui.keys.presenter import KeyNode, StreamProgress, key_status

__all__ = ["ROW_HEIGHT", "AnyIndex", "Column", "KeyTreeModel", "Roles"]

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 30


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
        self._nodes: list[KeyNode] = []
        self._rows: dict[int, int] = {}  # key id → row
        self._rendered: dict[tuple[int, str, int], dict[int, object]] = {}  # (key, endpoint, col)
        self._dirty: dict[int, set[str]] = {}  # key id → endpoints with new progress to show
        self._frame = 0
        self._ticker = QTimer(self)
        self._ticker.setInterval(self.REFRESH_MS)
        self._ticker.timeout.connect(self._tick)
        for column, text in HEADERS.items():
            self.setHeaderData(
                column,
                Qt.Orientation.Horizontal,
                QCoreApplication.translate("KeyTreeModel", text) if text else "",
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
            QCoreApplication.translate("KeyTreeModel", "Fetch new history for this key"),
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

    def node_at(self, index: AnyIndex) -> KeyNode | None:
        """The key (with its endpoints and sync state) of a key row or of an endpoint row."""
        key_id = index.data(Roles.KeyIdRole) if index.isValid() else None
        row = self._rows.get(int(key_id)) if key_id is not None else None
        return None if row is None else self._nodes[row]

    def key(self, key_id: int) -> KeyConfig | None:
        row = self._rows.get(key_id)
        return None if row is None else self._nodes[row].key

    def all_keys(self) -> list[KeyConfig]:
        return [node.key for node in self._nodes]

    def shown_status(self, key_id: int) -> EndpointStatus | None:
        row = self._rows.get(key_id)
        return None if row is None else key_status(self._nodes[row])

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
                node = KeyNode(key, [])
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

    def set_running(self, key_id: int, running: bool, *, render: bool = True) -> None:
        """Mark a key's sync as started (all its endpoints show "syncing") or ended.

        ``render=False``: the caller shows the row next (``update_key`` with what the sync
        stored), so it is drawn once: drawing a key of 16 endpoints takes 10-20 ms of the window's
        time, twice at the end of every sync before."""
        row = self._rows.get(key_id)
        if row is None:
            return
        node = self._nodes[row]
        node.running = running
        node.progress.clear()
        node.progress_texts.clear()
        if render:
            self._render(node)
        self._dirty.pop(key_id, None)
        self._update_ticker()

    def apply_progress(self, progress: SyncProgress) -> None:
        """Record one progress report; the rows show it at the next refresh tick."""
        row = self._rows.get(progress.key_id)
        if row is None:
            return
        node = self._nodes[row]
        if not node.running:
            return  # a late report after the result arrived
        stream = node.progress.setdefault(progress.endpoint, {}).setdefault(progress.stream, StreamProgress())
        stream.pages = progress.pages
        stream.new_records = progress.new_records
        if progress.reached_ms is not None:
            stream.reached_ms = progress.reached_ms
        stream.finished = stream.finished or progress.finished
        stream.seconds_left = 0.0 if stream.finished else progress.seconds_left
        node.progress_texts.pop(progress.endpoint, None)
        self._dirty.setdefault(progress.key_id, set()).add(progress.endpoint)

    def apply_progress_batch(self, batch: Sequence[SyncProgress]) -> None:
        for progress in batch:
            self.apply_progress(progress)

    def flush(self) -> None:
        """Render every row with pending progress now (the refresh tick does it otherwise)."""
        dirty, self._dirty = self._dirty, {}
        for key_id in dirty:
            row = self._rows.get(key_id)
            if row is not None:
                self._render(self._nodes[row], PROGRESS_COLUMNS, PROGRESS_ROLES)

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

    def _sync_children(self, node: KeyNode, key: KeyConfig) -> None:
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
        node: KeyNode,
        columns: Sequence[Column] = tuple(Column),
        roles: Sequence[int] = (),
        endpoints: Collection[str] | None = None,
        *,
        key_row: bool = True,
    ) -> None:
        """Write the current values of a key's row and its endpoint rows into the items
        (only ``columns``, only ``roles`` and only ``endpoints`` when given)."""
        row = self._rows[node.key.id]
        parent_item = self.item(row, 0)
        roles = roles or ITEM_ROLES
        if key_row:
            for column in columns:
                self._write(node, "", column, self.item(row, column), roles)
        for child, endpoint in enumerate(node.endpoints):
            if endpoints is not None and endpoint not in endpoints:
                continue
            for column in columns:
                item = parent_item.child(child, column)
                if item is not None:
                    self._write(node, endpoint, column, item, roles)

    def _write(
        self, node: KeyNode, endpoint: str, column: Column, item: QStandardItem, roles: Sequence[int]
    ) -> None:
        cache = self._rendered.setdefault((node.key.id, endpoint, column), {})
        changes: dict[int, object] = {}
        for role in roles:
            if endpoint:
                value = endpoint_cell(node, endpoint, column, role, self._frame)
            else:
                value = key_cell(node, column, role, self._frame)
            if role in cache and same_value(cache[role], value):
                continue
            cache[role] = value
            changes[role] = value
        # A cell's changed roles in one call (None clears a role, as setData does): each call into
        # Qt signals dataChanged and lets any other thread of the process take the interpreter
        # lock, which the window then waits to get back. Role by role, drawing a key of 10
        # endpoints took 5 ms alone and 87 ms beside one busy thread; cell by cell 3 and 14 ms.
        if changes:
            self.setItemData(item.index(), changes)

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
        dirty, self._dirty = self._dirty, {}
        turn = (Column.STATUS,), (Qt.ItemDataRole.DecorationRole,)
        for node in self._nodes:
            changed = dirty.get(node.key.id)
            if changed is not None:
                # The key row sums its endpoints; of those, only the ones reported since the
                # last tick have new text. The others only turn their arrows.
                self._render(node, PROGRESS_COLUMNS, PROGRESS_ROLES, changed)
                self._render(node, *turn, [e for e in node.endpoints if e not in changed], key_row=False)
            elif node.running:
                self._render(node, *turn)
