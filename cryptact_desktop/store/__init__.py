"""All reads and writes of the local database, behind one :class:`Store`. Returns plain frozen
data (see ``state``); only this package touches the ORM models (``store.models``).

The store is assembled from parts named for what they hold: keys (:mod:`.keys`), what each stream
has fetched (:mod:`.sync_state`, whose ``commit_page`` is the crash-safety rule), transactions
(:mod:`.transactions`), imported files and their matches (:mod:`.files`), the user's transfer classifications
(:mod:`.transfer_classes`) and settings
(:mod:`.settings`). Imports and exports reach the database only through a :class:`Store`.
"""

from __future__ import annotations

from cryptact_desktop.store.backups import BackupInfo, list_backups, restore_backup
from cryptact_desktop.store.faults import StorageError, StorageProblem
from cryptact_desktop.store.files import FilesStore
from cryptact_desktop.store.gateway import UNSET, now_ms
from cryptact_desktop.store.keys import KeysStore
from cryptact_desktop.store.ranges import Range, intersect_ranges, merge_ranges, missing_ranges
from cryptact_desktop.store.rows import transaction_values, transaction_view
from cryptact_desktop.store.settings import SettingsStore
from cryptact_desktop.store.sync_state import SyncStateStore
from cryptact_desktop.store.transactions import TransactionsStore
from cryptact_desktop.store.transfer_classes import TransferClassesStore


class Store(KeysStore, SyncStateStore, TransactionsStore, FilesStore, TransferClassesStore, SettingsStore):
    """The database of one data directory (thread-safe: each call uses its own session)."""


__all__ = [
    "UNSET",
    "BackupInfo",
    "Range",
    "StorageError",
    "StorageProblem",
    "Store",
    "intersect_ranges",
    "list_backups",
    "merge_ranges",
    "missing_ranges",
    "now_ms",
    "restore_backup",
    "transaction_values",
    "transaction_view",
]
