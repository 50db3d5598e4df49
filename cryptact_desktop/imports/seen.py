"""What a file's earlier rows held, kept on disk while the file is read (memory stays flat).

:class:`SeenRows` answers "was this exchange id on an earlier row, and with which values?" and
"how many rows with these contents came before?" for a file read as a stream. It is a private
temporary SQLite database (deleted when closed), not the app's database.
"""

from __future__ import annotations

import sqlite3
from types import TracebackType


class SeenRows:
    def __init__(self) -> None:
        # "" = a private, temporary on-disk database, deleted when the connection closes.
        self._db = sqlite3.connect("", check_same_thread=False)
        self._db.execute(
            "CREATE TABLE ids (endpoint TEXT, id TEXT, line INTEGER, digest TEXT, "
            "PRIMARY KEY (endpoint, id)) WITHOUT ROWID"
        )
        self._db.execute("CREATE TABLE contents (digest TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")

    def first(self, endpoint: str, exchange_id: str, line: int, digest: str) -> tuple[int, str] | None:
        """(line, digest) of the earlier row with this id, or None (and this row is remembered)."""
        added = self._db.execute(
            "INSERT OR IGNORE INTO ids VALUES (?, ?, ?, ?)", (endpoint, exchange_id, line, digest)
        )
        if added.rowcount:
            return None
        found = self._db.execute(
            "SELECT line, digest FROM ids WHERE endpoint = ? AND id = ?", (endpoint, exchange_id)
        ).fetchone()
        return int(found[0]), str(found[1])

    def occurrence(self, digest: str) -> int:
        """1 for the first row with these contents, 2 for the second, ..."""
        (count,) = self._db.execute(
            "INSERT INTO contents VALUES (?, 1) ON CONFLICT (digest) DO UPDATE SET n = n + 1 RETURNING n",
            (digest,),
        ).fetchone()
        return int(count)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SeenRows:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
