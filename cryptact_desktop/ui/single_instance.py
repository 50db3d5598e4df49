"""One running app per data directory: a second launch raises the first window and exits.

Two processes writing the same database (and syncing the same keys) would fight over it, so the
first process to start on a data directory *claims* it:

* a :class:`~PySide6.QtCore.QLockFile` decides who is first (it is released by the OS when the
  process dies, and a lock left by a crashed process is detected as stale), and
* the first process listens on a :class:`~PySide6.QtNetwork.QLocalServer` whose name is derived
  from the user and the data directory. A later process connects to it, sends ``raise`` and
  exits; the first process emits :attr:`SingleInstance.raiseRequested`.

The lock and the socket live in the temporary directory, not in the data directory, so that a
demo start (which empties its data directory) cannot delete them.

Start-up takes the lock before the window is shown but may listen only after its first paint
(``claim(..., listen=False)``, then :meth:`SingleInstance.listen`): QtNetwork is not imported
before then. A second launch in that moment finds the lock taken and retries its connection
(``CONNECT_ATTEMPTS`` times, ``RETRY_DELAY_S`` apart), as it always could.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # imported when first used: the window's first paint does not need them
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE_MESSAGE = b"raise\n"
CONNECT_TIMEOUT_MS = 1000
# The first process may hold the lock but not listen yet (it listens once its window has painted,
# a fraction of a second after taking the lock; longer on a busy machine): retry for ~2 s.
CONNECT_ATTEMPTS = 10
RETRY_DELAY_S = 0.2


def instance_key(data_dir: Path) -> str:
    """A short name, unique per user and data directory, usable as a socket / pipe name."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment (some containers)
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    resolved = os.path.normcase(str(Path(data_dir).expanduser().resolve()))
    digest = hashlib.sha256(f"{user}\0{resolved}".encode()).hexdigest()[:20]
    return f"cryptact-desktop-{digest}"


def raise_window(window: QWidget) -> None:
    """Bring ``window`` to the front: un-minimise, show (it may be hidden in the tray), focus."""
    if window.isMinimized():
        window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()


class SingleInstance(QObject):
    """Claim a data directory for this process; see the module documentation."""

    raiseRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None
        self.key = ""

    def claim(self, data_dir: Path, *, listen: bool = True) -> bool:
        """True if this process now owns ``data_dir``; False if another process does — that one
        has then been asked to raise its window, and this one should exit. Without ``listen``,
        call :meth:`listen` soon after (later launches wait for it for about a second)."""
        if self._lock is not None:
            return True
        self.key = instance_key(data_dir)
        lock = QLockFile(str(Path(tempfile.gettempdir()) / f"{self.key}.lock"))
        lock.setStaleLockTime(0)  # stale only when its process is gone, never because it is old
        if not lock.tryLock(0):
            if lock.error() == QLockFile.LockError.LockFailedError:
                self._ask_to_raise()
                return False
            # The lock file cannot be written at all (read-only temp dir...): do not refuse to
            # start over it, but the protection is off.
            log.warning("single-instance lock unavailable (%s); continuing", lock.error().name)
        self._lock = lock
        if listen:
            self.listen()
        return True

    @Slot()
    def listen(self) -> None:
        """Answer later launches on this data directory (after a successful claim; idempotent)."""
        if self._lock is None or self._server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.key)  # a socket file left by a crashed process (Unix)
        if not server.listen(self.key):
            log.warning("single-instance server not listening: %s", server.errorString())
        server.newConnection.connect(self._on_new_connection)
        self._server = server

    def release(self) -> None:
        """Stop listening and drop the lock (at shutdown; also done when the process ends)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _ask_to_raise(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        for _attempt in range(CONNECT_ATTEMPTS):
            socket = QLocalSocket()
            socket.connectToServer(self.key)
            if socket.waitForConnected(CONNECT_TIMEOUT_MS):
                socket.write(RAISE_MESSAGE)
                socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
                socket.disconnectFromServer()
                if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
                    socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
                return
            socket.abort()
            time.sleep(RETRY_DELAY_S)
        log.warning("another instance holds the data directory but does not answer")

    @Slot()
    def _on_new_connection(self) -> None:
        server = self._server
        if server is None:
            return
        while server.hasPendingConnections():
            connection = server.nextPendingConnection()
            if connection is None:
                break
            connection.readyRead.connect(self._on_ready_read)
            if connection.bytesAvailable():
                self._read(connection)

    @Slot()
    def _on_ready_read(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        connection = self.sender()
        if isinstance(connection, QLocalSocket):
            self._read(connection)

    def _read(self, connection: QLocalSocket) -> None:
        if not connection.canReadLine():
            return
        line = bytes(connection.readLine().data())
        connection.readyRead.disconnect(self._on_ready_read)
        connection.abort()
        connection.deleteLater()
        if line == RAISE_MESSAGE:
            self.raiseRequested.emit()
