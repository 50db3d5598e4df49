"""An in-memory keyring backend for tests and the app's demo mode.

It is never chosen by keyring's auto-detection (``viable`` is False, so it is neither the
"best" backend nor part of the chainer), but it can be passed to :class:`SecretStore`
explicitly or named in ``PYTHON_KEYRING_BACKEND``. Nothing it holds survives the process.
"""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Thread-safe dict-backed keyring. Set ``locked = True`` to make every call fail as locked."""

    # Keep out of keyring's backend discovery (get_all_keyring / ChainerBackend): a process-local
    # store must never silently replace the user's real keyring.
    viable = False

    @properties.classproperty
    def priority(cls) -> float:
        return 0.5

    def __init__(self, *, locked: bool = False) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
        self.locked = locked
        self._entries: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def _check_locked(self) -> None:
        if self.locked:
            raise KeyringLocked("The in-memory keyring is locked")

    def get_password(self, service: str, username: str) -> str | None:
        self._check_locked()
        with self._lock:
            return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check_locked()
        with self._lock:
            self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check_locked()
        with self._lock:
            try:
                del self._entries[(service, username)]
            except KeyError:
                raise PasswordDeleteError("No such password") from None
