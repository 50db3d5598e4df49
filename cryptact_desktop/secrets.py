"""The one place API credentials are stored: the OS keyring.

:class:`SecretStore` wraps ``keyring``: it serialises access, refuses to work without a real
keyring (never falling back to a file), reports which backend is active, and turns every keyring
failure into one :class:`SecretStoreError` whose text is safe to show and log. Backend exception
messages are never copied into it (D-Bus errors can echo the stored value); only the exception
class name is kept, in ``detail``.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from keyring.errors import PasswordDeleteError

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import Failure, FailureKind, describe
from cryptact_desktop.i18n import translate
from cryptact_desktop.memory_keyring import MemoryKeyring

DEFAULT_SERVICE = "cryptact-desktop"

_T = TypeVar("_T")


def _t(text: str) -> str:
    return translate("secrets", text)


class SecretStoreProblem(enum.StrEnum):
    UNAVAILABLE = "unavailable"  # no usable keyring backend
    LOCKED = "locked"
    MISSING = "missing"  # no entry for this key id
    UNREADABLE = "unreadable"  # an entry exists but is not ours / is corrupt
    FAILED = "failed"  # any other backend error


def _failure(problem: SecretStoreProblem) -> Failure:
    if problem is SecretStoreProblem.UNAVAILABLE:
        return Failure(
            FailureKind.KEYRING,
            _t("No secure keyring is available on this system"),
            _t(
                "Install and unlock a keyring service (GNOME Keyring or KWallet on Linux), "
                "then restart the app."
            ),
        )
    if problem is SecretStoreProblem.LOCKED:
        return Failure(
            FailureKind.KEYRING,
            _t("The system keyring is locked"),
            _t("Unlock your system keyring, then try again."),
        )
    if problem is SecretStoreProblem.MISSING:
        return Failure(
            FailureKind.KEYRING,
            _t("No secret stored for this key"),
            _t("Re-enter the API key and secret with Edit key."),
        )
    if problem is SecretStoreProblem.UNREADABLE:
        return Failure(
            FailureKind.KEYRING,
            _t("The secret stored for this key is unreadable"),
            _t("Re-enter the API key and secret with Edit key."),
        )
    return describe(FailureKind.KEYRING)


class SecretStoreError(Exception):
    """A keyring problem, ready to show. ``str()`` is ``failure.one_line()`` and holds no secret.

    ``detail`` is the class name of the backend exception (for the log), never its message.
    """

    def __init__(self, problem: SecretStoreProblem, *, detail: str = "") -> None:
        self.problem = problem
        self.failure = _failure(problem)
        self.detail = detail
        super().__init__(self.failure.one_line())


def _is_plaintext_backend(backend: KeyringBackend) -> bool:
    return any(cls.__name__ == "PlaintextKeyring" for cls in type(backend).__mro__)


class SecretStore:
    """Credentials per key id in the OS keyring: entry ``key-<id>`` of ``service``, JSON value."""

    def __init__(self, backend: KeyringBackend | None = None, service: str = DEFAULT_SERVICE) -> None:
        self._backend = backend
        self._service = service
        self._lock = threading.Lock()

    # -- backend ----------------------------------------------------------------------------

    def _resolve(self) -> KeyringBackend:
        """The backend; ``None`` at construction means keyring's configured one. Lock held."""
        if self._backend is None:
            try:
                self._backend = keyring.get_keyring()
            except Exception as exc:  # a broken keyringrc / PYTHON_KEYRING_BACKEND
                raise SecretStoreError(SecretStoreProblem.UNAVAILABLE, detail=type(exc).__name__) from None
        return self._backend

    def backend_name(self) -> str:
        """Dotted class name of the active backend, e.g. ``keyring.backends.SecretService.Keyring``."""
        with self._lock:
            try:
                backend = self._resolve()
            except SecretStoreError:
                return _t("(no keyring)")
        cls = type(backend)
        return f"{cls.__module__}.{cls.__qualname__}"

    def is_plaintext(self) -> bool:
        """True when secrets would land in an unencrypted file (keyrings.alt PlaintextKeyring).

        That is only ever the user's explicit choice (keyringrc / PYTHON_KEYRING_BACKEND); the UI
        should warn about it.
        """
        with self._lock:
            try:
                backend = self._resolve()
            except SecretStoreError:
                return False
            if isinstance(backend, chainer.ChainerBackend):
                chained = self._chained(backend)
                return bool(chained) and _is_plaintext_backend(chained[0])  # writes go to the first
            return _is_plaintext_backend(backend)

    @staticmethod
    def _chained(backend: chainer.ChainerBackend) -> list[KeyringBackend]:
        try:
            return list(backend.backends)
        except Exception:
            return []

    def check_usable(self) -> None:
        """Raise :class:`SecretStoreError` unless the backend can really store secrets."""
        with self._lock:
            self._check_usable_locked()

    def _check_usable_locked(self) -> None:
        backend = self._resolve()
        if isinstance(backend, MemoryKeyring):
            return
        if isinstance(backend, chainer.ChainerBackend):
            # Its priority is negative with a single chained backend, so judge by the chain.
            usable = bool(self._chained(backend))
        elif isinstance(backend, fail.Keyring):
            usable = False
        else:
            try:
                # <= 0: e.g. keyring.backends.null.Keyring, which silently stores nothing
                usable = float(type(backend).priority) > 0
            except Exception:  # backends say "not viable here" by raising from priority
                usable = False
        if not usable:
            raise SecretStoreError(SecretStoreProblem.UNAVAILABLE, detail=type(backend).__name__)

    # -- entries ----------------------------------------------------------------------------

    def _username(self, key_id: int) -> str:
        return f"key-{key_id}"

    def _call(self, operation: Callable[[KeyringBackend], _T]) -> _T:
        """Run ``operation`` on a usable backend under the lock, translating every failure."""
        with self._lock:
            self._check_usable_locked()
            backend = self._resolve()
            try:
                return operation(backend)
            except SecretStoreError:
                raise
            except keyring.errors.KeyringLocked:
                raise SecretStoreError(SecretStoreProblem.LOCKED, detail="KeyringLocked") from None
            except (keyring.errors.NoKeyringError, keyring.errors.InitError) as exc:
                raise SecretStoreError(SecretStoreProblem.UNAVAILABLE, detail=type(exc).__name__) from None
            except Exception as exc:  # KeyringError, D-Bus, OSError, ...: the message may hold a secret
                raise SecretStoreError(SecretStoreProblem.FAILED, detail=type(exc).__name__) from None

    def save(self, key_id: int, creds: Credentials) -> None:
        """Store (or replace) the credentials of ``key_id``. Never falls back to a file."""
        value = creds.to_json()
        self._call(lambda backend: backend.set_password(self._service, self._username(key_id), value))

    def load(self, key_id: int) -> Credentials:
        """The credentials of ``key_id``; :class:`SecretStoreError` (MISSING) if none are stored."""

        def operation(backend: KeyringBackend) -> Credentials:
            value = backend.get_password(self._service, self._username(key_id))
            if value is None:
                raise SecretStoreError(SecretStoreProblem.MISSING)
            try:
                return Credentials.from_json(value)
            except ValueError:
                raise SecretStoreError(SecretStoreProblem.UNREADABLE, detail="ValueError") from None

        return self._call(operation)

    def delete(self, key_id: int) -> None:
        """Remove the credentials of ``key_id``; nothing stored is fine."""

        def operation(backend: KeyringBackend) -> None:
            username = self._username(key_id)
            try:
                backend.delete_password(self._service, username)
            except PasswordDeleteError:
                # Most backends say "no such password" this way; anything still there is a failure.
                if backend.get_password(self._service, username) is not None:
                    raise

        self._call(operation)

    def has(self, key_id: int) -> bool:
        """Whether credentials are stored for ``key_id``."""
        return self._call(
            lambda backend: backend.get_password(self._service, self._username(key_id)) is not None
        )
