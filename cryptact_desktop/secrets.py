"""The one place API credentials are stored: the OS keyring.

:class:`SecretStore` wraps ``keyring``: it serialises access, gives every keyring call a time
limit, refuses a backend that would keep secrets where other programs can read them unless the
user chose it explicitly, reports which backend is active (:meth:`SecretStore.status`, cheap
enough to call before a key form is shown), and turns every keyring failure into one
:class:`SecretStoreError` whose text is safe to show and log. Backend exception messages are never
copied into it (D-Bus errors can echo the stored value); only the exception class name is kept,
in ``detail``.

Which backends are trusted (:func:`backend_trust`): keyring's own system backends (Secret
Service, libsecret, KWallet, macOS Keychain, Windows Credential Locker) and the app's in-memory
one. keyring picks a backend by itself when nothing is configured; if it picks anything else (the
plaintext and encrypted-file backends of ``keyrings.alt``, an unknown third-party backend) the
store refuses to use it. The user may still choose such a backend explicitly through keyring's
own configuration (``keyringrc.cfg`` or ``PYTHON_KEYRING_BACKEND``): it is then used, and
:meth:`SecretStore.status` reports it as insecure so the GUI can show a permanent warning. The
fail and null backends store nothing and are never usable.
"""

from __future__ import annotations

import configparser
import contextlib
import enum
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer
from keyring.errors import PasswordDeleteError

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import Failure, FailureKind, describe
from cryptact_desktop.i18n import translate
from cryptact_desktop.memory_keyring import MemoryKeyring

DEFAULT_SERVICE = "cryptact-desktop"
DEFAULT_TIMEOUT_S = 30.0  # a keyring that has not answered by then is reported, not waited for
ENV_BACKEND = "PYTHON_KEYRING_BACKEND"

_T = TypeVar("_T")


def _t(text: str) -> str:
    return translate("secrets", text)


class SecretStoreProblem(enum.StrEnum):
    UNAVAILABLE = "unavailable"  # no usable keyring backend
    INSECURE = "insecure"  # keyring picked a backend by itself that keeps secrets unprotected
    LOCKED = "locked"
    MISSING = "missing"  # no entry for this key id
    UNREADABLE = "unreadable"  # an entry exists but is not ours / is corrupt
    TIMEOUT = "timeout"  # the keyring did not answer in time
    FAILED = "failed"  # any other backend error


class Operation(enum.StrEnum):
    """What the store was doing when a keyring call failed (the message says so)."""

    CHECK = "check"
    SAVE = "save"
    LOAD = "load"
    DELETE = "delete"


class BackendTrust(enum.StrEnum):
    SYSTEM = "system"  # the operating system's keyring through keyring's own backends
    APP = "app"  # the app's in-memory keyring (demo mode, tests)
    INSECURE = "insecure"  # keeps secrets in a file (keyrings.alt)
    UNKNOWN = "unknown"  # a third-party backend this app cannot vouch for
    NONE = "none"  # stores nothing (keyring's fail and null backends, an empty chain)


# keyring's own backends that hand secrets to the operating system's keyring.
_SYSTEM_MODULES = (
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
)
_NONE_MODULES = ("keyring.backends.fail", "keyring.backends.null")
_INSECURE_PACKAGES = ("keyrings.alt",)


def dotted_name(backend: KeyringBackend | type[KeyringBackend]) -> str:
    cls = backend if isinstance(backend, type) else type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _in_module(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def backend_trust(backend: KeyringBackend | type[KeyringBackend]) -> BackendTrust:
    """How far a backend can be trusted with secrets, judged by its class (never by calling it)."""
    cls = backend if isinstance(backend, type) else type(backend)
    if issubclass(cls, MemoryKeyring):
        return BackendTrust.APP
    if issubclass(cls, chainer.ChainerBackend):
        return BackendTrust.UNKNOWN  # judged by its members, see SecretStore._pick
    for klass in cls.__mro__:
        module = klass.__module__
        if _in_module(module, _NONE_MODULES):
            return BackendTrust.NONE
        if _in_module(module, _INSECURE_PACKAGES):
            return BackendTrust.INSECURE
    if _in_module(cls.__module__, _SYSTEM_MODULES):
        return BackendTrust.SYSTEM
    return BackendTrust.UNKNOWN


@dataclass(frozen=True, slots=True)
class KeyringStatus:
    """What :meth:`SecretStore.status` found: can secrets be stored, and how safely.

    ``usable``: keys can be saved. ``insecure``: they would be kept outside the system keyring
    (only ever the user's explicit choice: show a permanent warning). ``explicit``: the backend
    was chosen in keyring's configuration (or handed over by the app), not picked by keyring.
    ``source``: where the choice came from ("app", "PYTHON_KEYRING_BACKEND", the keyringrc.cfg
    path, or "automatic"). ``message``/``hint``: ready to show; ``hint`` is "" when all is well.
    """

    usable: bool
    insecure: bool
    explicit: bool
    backend: str
    trust: BackendTrust
    source: str
    message: str
    hint: str
    problem: SecretStoreProblem | None = None

    def failure(self) -> Failure:
        return Failure(FailureKind.KEYRING, self.message, self.hint)


_UNLOCK_OR_CHOOSE = (
    "Start and unlock your system keyring (GNOME Keyring or KWallet on Linux), then restart the app. "
    "To use this backend anyway, choose it explicitly in keyring's configuration "
    "(keyringrc.cfg, or the PYTHON_KEYRING_BACKEND environment variable)."
)


def _failure(problem: SecretStoreProblem, operation: Operation) -> Failure:
    if problem is SecretStoreProblem.UNAVAILABLE:
        return Failure(
            FailureKind.KEYRING,
            _t("No secure keyring is available on this system"),
            _t(
                "Install and unlock a keyring service (GNOME Keyring or KWallet on Linux), "
                "then restart the app."
            ),
        )
    if problem is SecretStoreProblem.INSECURE:
        return Failure(
            FailureKind.KEYRING,
            _t("The keyring found is not safe for API secrets"),
            _t(_UNLOCK_OR_CHOOSE),
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
    if problem is SecretStoreProblem.TIMEOUT:
        return Failure(
            FailureKind.KEYRING,
            _t("The system keyring is not answering"),
            _t(
                "If a window asks to unlock the keyring, unlock it; otherwise restart the keyring "
                "service (or log out and back in), then try again."
            ),
        )
    if operation is Operation.SAVE:
        return Failure(
            FailureKind.KEYRING,
            _t("The secret could not be saved in the system keyring"),
            _t("Nothing was saved. Check that the system keyring is running and unlocked, then try again."),
        )
    if operation is Operation.DELETE:
        return Failure(
            FailureKind.KEYRING,
            _t("The secret could not be removed from the system keyring"),
            _t("The key was not removed. Unlock the system keyring, then remove the key again."),
        )
    return describe(FailureKind.KEYRING)


class SecretStoreError(Exception):
    """A keyring problem, ready to show. ``str()`` is ``failure.one_line()`` and holds no secret.

    ``detail`` is the class name of the backend exception (for the log), never its message.
    """

    def __init__(
        self,
        problem: SecretStoreProblem,
        *,
        detail: str = "",
        operation: Operation = Operation.LOAD,
        failure: Failure | None = None,
    ) -> None:
        self.problem = problem
        self.operation = operation
        self.failure = failure or _failure(problem, operation)
        self.detail = detail
        super().__init__(self.failure.one_line())


def configured_backend_name(environ: dict[str, str] | None = None) -> tuple[str, str] | None:
    """(backend class name, where it is configured) when the user chose a keyring backend in
    keyring's own configuration: ``PYTHON_KEYRING_BACKEND``, else ``keyringrc.cfg``."""
    env = os.environ if environ is None else environ
    name = env.get(ENV_BACKEND, "").strip()
    if name:
        return name, ENV_BACKEND
    try:
        from keyring.util import platform_

        path = platform_.config_root() / "keyringrc.cfg"
        if not path.is_file():
            return None
        config = configparser.RawConfigParser()
        config.read(path, encoding="utf-8")
        name = config.get("backend", "default-keyring", fallback="").strip()
    except (OSError, configparser.Error, UnicodeDecodeError):
        return None
    return (name, str(path)) if name else None


@dataclass(frozen=True, slots=True)
class _Resolved:
    backend: KeyringBackend
    explicit: bool
    source: str


class SecretStore:
    """Credentials per key id in the OS keyring: entry ``key-<id>`` of ``service``, JSON value.

    ``backend``: the app's own choice (demo mode, tests); None means keyring's configured or
    detected one. ``timeout``: seconds any keyring call may take before it is reported as not
    answering (the call itself cannot be interrupted; further calls fail at once until it ends).
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        service: str = DEFAULT_SERVICE,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._given = backend
        self._service = service
        self._timeout = timeout
        self._lock = threading.Lock()
        self._resolved: _Resolved | None = None
        self._stuck: threading.Thread | None = None

    # -- running a keyring call with a time limit ------------------------------------------

    def _timed(self, call: Callable[[], _T], operation: Operation) -> _T:
        """Run ``call`` in a helper thread and wait at most ``timeout`` seconds. Lock held."""
        if self._stuck is not None:
            if self._stuck.is_alive():
                raise SecretStoreError(
                    SecretStoreProblem.TIMEOUT, detail="still waiting", operation=operation
                )
            self._stuck = None
        box: dict[str, object] = {}

        def target() -> None:
            try:
                box["value"] = call()
            except BaseException as exc:  # handed to the waiting thread
                box["error"] = exc

        worker = threading.Thread(target=target, name="keyring-call", daemon=True)
        worker.start()
        worker.join(self._timeout)
        if worker.is_alive():
            self._stuck = worker
            raise SecretStoreError(SecretStoreProblem.TIMEOUT, detail="timeout", operation=operation)
        if "error" in box:
            error = box["error"]
            assert isinstance(error, BaseException)
            raise error
        return box["value"]  # type: ignore[return-value]  # set by target() when no error

    # -- backend ----------------------------------------------------------------------------

    def _resolve(self) -> _Resolved:
        """The backend and whether it was chosen explicitly. Lock held."""
        if self._resolved is not None:
            return self._resolved
        if self._given is not None:
            self._resolved = _Resolved(self._given, True, "app")
            return self._resolved
        configured = configured_backend_name()
        try:
            backend = self._timed(keyring.get_keyring, Operation.CHECK)
        except SecretStoreError:
            raise
        except Exception as exc:  # a broken keyringrc / PYTHON_KEYRING_BACKEND
            raise SecretStoreError(
                SecretStoreProblem.UNAVAILABLE, detail=type(exc).__name__, operation=Operation.CHECK
            ) from None
        if configured is not None and configured[0] == dotted_name(backend):
            self._resolved = _Resolved(backend, True, configured[1])
        else:
            self._resolved = _Resolved(self._pick(backend), False, "automatic")
        return self._resolved

    def _pick(self, backend: KeyringBackend) -> KeyringBackend:
        """What to use of a backend keyring picked by itself: of a chain, its best system
        keyring (so that nothing falls through to a file backend behind it), else the chain's
        first member (judged, and refused, as it is)."""
        if not isinstance(backend, chainer.ChainerBackend):
            return backend
        members = self._chained(backend)
        for member in members:
            if backend_trust(member) is BackendTrust.SYSTEM:
                return member
        return members[0] if members else backend

    @staticmethod
    def _chained(backend: chainer.ChainerBackend) -> list[KeyringBackend]:
        try:
            return list(backend.backends)
        except Exception:
            return []

    def _judge(self, resolved: _Resolved) -> KeyringStatus:
        backend = resolved.backend
        name = dotted_name(backend)
        trust = backend_trust(backend)
        if isinstance(backend, chainer.ChainerBackend):
            trust = BackendTrust.NONE  # an empty chain (members are picked in _pick)
        viable = True
        if trust not in (BackendTrust.APP, BackendTrust.NONE):
            try:
                # <= 0 means "not viable here" (keyring's own convention); some backends raise
                viable = float(type(backend).priority) > 0
            except Exception:
                viable = False
        if trust is BackendTrust.NONE or not viable:
            failure = _failure(SecretStoreProblem.UNAVAILABLE, Operation.CHECK)
            return KeyringStatus(
                False,
                False,
                resolved.explicit,
                name,
                trust,
                resolved.source,
                failure.message,
                failure.hint,
                SecretStoreProblem.UNAVAILABLE,
            )
        if trust in (BackendTrust.SYSTEM, BackendTrust.APP):
            return KeyringStatus(
                True,
                False,
                resolved.explicit,
                name,
                trust,
                resolved.source,
                _t("API secrets are kept in {backend}").format(backend=name),
                "",
            )
        why = (
            _t("it keeps them in a file instead of the system keyring")
            if trust is BackendTrust.INSECURE
            else _t("it is not a system keyring this app knows, so how it protects them cannot be checked")
        )
        if not resolved.explicit:
            return KeyringStatus(
                False,
                True,
                False,
                name,
                trust,
                resolved.source,
                _t(
                    "keyring picked {backend} by itself; API secrets are not stored there because {why}"
                ).format(backend=name, why=why),
                _t(_UNLOCK_OR_CHOOSE),
                SecretStoreProblem.INSECURE,
            )
        return KeyringStatus(
            True,
            True,
            True,
            name,
            trust,
            resolved.source,
            _t("API secrets are kept in {backend}, as chosen in {source}, although {why}").format(
                backend=name, source=resolved.source, why=why
            ),
            _t(
                "For safety, remove that choice from keyring's configuration and use your "
                "system keyring (GNOME Keyring, KWallet, Keychain or Credential Locker)."
            ),
        )

    def status(self) -> KeyringStatus:
        """Whether keys can be saved, and how safely — without touching any stored secret.

        Cheap (the backend is resolved once and remembered): call it before showing a key form.
        """
        with self._lock:
            try:
                resolved = self._resolve()
            except SecretStoreError as exc:
                return KeyringStatus(
                    False,
                    False,
                    False,
                    _t("(no keyring)"),
                    BackendTrust.NONE,
                    "",
                    exc.failure.message,
                    exc.failure.hint,
                    exc.problem,
                )
            return self._judge(resolved)

    def backend_name(self) -> str:
        """Dotted class name of the backend in use, e.g. ``keyring.backends.SecretService.Keyring``."""
        return self.status().backend

    def is_plaintext(self) -> bool:
        """True when secrets would be kept outside the system keyring (the user's explicit choice
        of e.g. a keyrings.alt file backend); the UI should warn about it permanently."""
        status = self.status()
        return status.usable and status.insecure

    def check_usable(self) -> None:
        """Raise :class:`SecretStoreError` unless the backend can really store secrets."""
        with self._lock:
            self._usable_locked(Operation.CHECK)

    def _usable_locked(self, operation: Operation) -> KeyringBackend:
        resolved = self._resolve()
        status = self._judge(resolved)
        if not status.usable:
            problem = status.problem or SecretStoreProblem.UNAVAILABLE
            raise SecretStoreError(
                problem,
                detail=type(resolved.backend).__name__,
                operation=operation,
                failure=status.failure(),
            )
        return resolved.backend

    # -- entries ----------------------------------------------------------------------------

    def _username(self, key_id: int) -> str:
        return f"key-{key_id}"

    def _call(self, operation: Operation, action: Callable[[KeyringBackend], _T]) -> _T:
        """Run ``action`` on a usable backend under the lock and the time limit, translating
        every failure."""
        with self._lock:
            backend = self._usable_locked(operation)
            try:
                return self._timed(lambda: action(backend), operation)
            except SecretStoreError:
                raise
            except keyring.errors.KeyringLocked:
                raise SecretStoreError(
                    SecretStoreProblem.LOCKED, detail="KeyringLocked", operation=operation
                ) from None
            except (keyring.errors.NoKeyringError, keyring.errors.InitError) as exc:
                raise SecretStoreError(
                    SecretStoreProblem.UNAVAILABLE, detail=type(exc).__name__, operation=operation
                ) from None
            except Exception as exc:  # KeyringError, D-Bus, OSError, ...: the message may hold a secret
                raise SecretStoreError(
                    SecretStoreProblem.FAILED, detail=type(exc).__name__, operation=operation
                ) from None

    def save(self, key_id: int, creds: Credentials) -> None:
        """Store (or replace) the credentials of ``key_id``. Never falls back to a file."""
        value = creds.to_json()
        self._call(
            Operation.SAVE,
            lambda backend: backend.set_password(self._service, self._username(key_id), value),
        )

    def load(self, key_id: int) -> Credentials:
        """The credentials of ``key_id``; :class:`SecretStoreError` (MISSING) if none are stored."""

        def action(backend: KeyringBackend) -> Credentials:
            value = backend.get_password(self._service, self._username(key_id))
            if value is None:
                raise SecretStoreError(SecretStoreProblem.MISSING)
            try:
                return Credentials.from_json(value)
            except ValueError:
                raise SecretStoreError(SecretStoreProblem.UNREADABLE, detail="ValueError") from None

        return self._call(Operation.LOAD, action)

    def delete(self, key_id: int) -> None:
        """Remove the credentials of ``key_id``; nothing stored is fine. Raises unless the entry
        is really gone afterwards."""

        def action(backend: KeyringBackend) -> None:
            username = self._username(key_id)
            # Most backends say "no such password" by raising this: what counts is checked below.
            with contextlib.suppress(PasswordDeleteError):
                backend.delete_password(self._service, username)
            if backend.get_password(self._service, username) is not None:
                raise PasswordDeleteError("the entry is still there")

        self._call(Operation.DELETE, action)

    def has(self, key_id: int) -> bool:
        """Whether credentials are stored for ``key_id``."""
        return self._call(
            Operation.LOAD,
            lambda backend: backend.get_password(self._service, self._username(key_id)) is not None,
        )
