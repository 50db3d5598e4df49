"""The application's use cases, shared by the CLI and the GUI: keys, verification, sync.

It ties the store (SQLite), the secret store (OS keyring), the connectors and the sync engine
together; callers pass plain values and get plain frozen data back. Nothing here blocks on a
GUI thread by itself: the GUI calls these methods from its workers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import Failure, FailureKind, SyncFailure, describe
from cryptact_desktop.imports.matching import link_file_rows
from cryptact_desktop.key_input import KeyInputError, clean_label
from cryptact_desktop.secrets import SecretStore, SecretStoreError
from cryptact_desktop.state import EndpointStatus, KeyConfig, NewKey, StreamRunStats
from cryptact_desktop.store import StorageError, Store
from cryptact_desktop.store.events import account_identity
from cryptact_desktop.store.file_rows import FILE_HOST_ID
from cryptact_desktop.sync.connector import Connector, KeyVerification
from cryptact_desktop.sync.engine import EndpointOutcome, SyncEngine, SyncProgress, SyncResult
from cryptact_desktop.sync.ratelimit import share_across_processes
from cryptact_desktop.sync_lock import KeyBusy, SyncLocks
from cryptact_desktop.venues.base import API_KEY, API_PASSPHRASE, API_SECRET, CredentialField
from cryptact_desktop.venues.registry import VENUES, make_connector, venue_info, venue_name

log = logging.getLogger(__name__)


def key_hint_of(exchange: str, credentials: Credentials) -> str:
    """What names a key without revealing it: a wallet's shortened address, an API key's first
    characters (the venue decides; a venue no longer in the app: the credentials' own hint)."""
    try:
        info = venue_info(exchange)
    except KeyError:
        return credentials.key_hint
    return info.key_hint(credentials.fields())


ConnectorFactory = Callable[[str, str, str, Credentials], Connector]
COUNTS_VERSION = "1"  # bump when store.events changes what the key list's counts leave out


class SameAccountKeyError(Exception):
    """The exchange account (and sub-account) a key reads already has a key here: a second one
    would fetch every record again. ``existing`` is that key; the GUI asks "replace it?", the CLI
    tells the user about ``keys add --replace``. ``message`` is ready to show."""

    def __init__(self, existing: KeyConfig, user_id: str) -> None:
        from cryptact_desktop.i18n import translate
        from cryptact_desktop.venues.registry import venue_name

        self.existing = existing
        self.user_id = user_id
        where = (
            translate("keys", "sub-account {name} of ").format(name=existing.subaccount)
            if existing.subaccount
            else ""
        )
        self.message = translate(
            "keys", "This {exchange} account ({where}UID {uid}) already has key {id} ({label})"
        ).format(
            exchange=venue_name(existing.exchange),
            where=where,
            uid=user_id,
            id=existing.id,
            label=existing.label,
        )
        super().__init__(self.message)


def clean_credential_fields(values: Mapping[str, str], fields: Sequence[CredentialField]) -> Credentials:
    """The credentials of a key from what the user pasted, checked against the venue's fields.

    ``values`` maps field names to the pasted text; ``fields`` are the venue's declared
    :class:`CredentialField` specs, checked in order. Pasted whitespace around a value is trimmed
    (around each line of a multi-line field, whose line breaks are kept); a single-line value with
    whitespace or invisible characters inside, a value the field's own ``check`` refuses (a wallet
    address with a bad checksum), a value outside the field's length bounds and a missing required
    field raise :class:`KeyInputError` naming the field. Values of undeclared names are ignored.
    Nothing is sent anywhere.
    """
    from cryptact_desktop.i18n import translate

    cleaned: dict[str, str] = {}
    for spec in fields:
        value = _trimmed(values.get(spec.name, ""), multiline=spec.multiline)
        if not value:
            if not spec.required:
                continue
            if spec.name == "passphrase":
                raise KeyInputError(spec.name, translate("keys", "This exchange needs the key's passphrase."))
            raise KeyInputError(spec.name, translate("keys", "This field is required."))
        if spec.multiline:
            if not all(line.isprintable() for line in value.split("\n")):
                raise KeyInputError(
                    spec.name, translate("keys", "Contains invisible characters: paste it again.")
                )
        elif any(ch.isspace() for ch in value) or not value.isprintable():
            raise KeyInputError(
                spec.name, translate("keys", "Contains spaces or invisible characters: paste it again.")
            )
        if spec.check is not None:
            try:
                value = spec.check(value)
            except ValueError as exc:
                raise KeyInputError(spec.name, str(exc)) from None
        if not spec.min_length <= len(value) <= spec.max_length:
            raise KeyInputError(
                spec.name, translate("keys", "Does not look like a complete key: paste it again.")
            )
        cleaned[spec.name] = value
    return Credentials.from_fields(cleaned)


def _trimmed(value: str, *, multiline: bool) -> str:
    if not multiline:
        return value.strip()
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def clean_credentials(
    api_key: str, secret: str, passphrase: str = "", *, needs_passphrase: bool = False
) -> Credentials:
    """:func:`clean_credential_fields` for the classic API key + secret (+ passphrase) fields."""
    fields = (API_KEY, API_SECRET, replace(API_PASSPHRASE, required=needs_passphrase))
    return clean_credential_fields({"api_key": api_key, "secret": secret, "passphrase": passphrase}, fields)


@dataclass
class AppService:
    store: Store
    secrets: SecretStore
    connector_factory: ConnectorFactory = make_connector
    locks: SyncLocks = field(init=False)

    def __post_init__(self) -> None:
        self.locks = SyncLocks.beside(self.store.database)
        share_rate_limits(self.store)
        self.refresh_entries()
        if self.store.setting("counts.version") != COUNTS_VERSION:
            self.store.refresh_counts()
            self.store.set_setting("counts.version", COUNTS_VERSION)

    def refresh_entries(self) -> int:
        """Entries stored by an older normaliser of a venue are re-derived from their raw records
        (a no-op once done: each venue's normaliser version is remembered)."""
        changed = 0
        for item in VENUES:
            changed += self.store.refresh_entries(item.id, item.normalizer_version, item.renormalize)
        if changed:
            log.info("re-derived %d stored entries for a newer normaliser", changed)
            self.store.refresh_counts()  # which rows are copies may have changed
        return changed

    def recover_interrupted_syncs(self) -> int:
        """At start-up: reset the 'syncing' flags a crashed process left behind — only for keys
        that no live process (another window, a cron ``sync``) is syncing right now."""
        stale = [
            k.id for k in self.store.list_keys() if any(e.status.value == "syncing" for e in k.endpoints)
        ]
        free = [key_id for key_id in stale if self.locks.is_free(key_id)]
        return self.store.reset_stale_syncing(free) if free else 0

    # ------------------------------------------------------------------ keys

    def verify(
        self,
        exchange: str,
        host_id: str,
        custom_url: str,
        credentials: Credentials,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> KeyVerification:
        """Ask the exchange about the key. Raises ``SyncFailure`` with a human message."""
        connector = self.connector_factory(exchange, host_id, custom_url, credentials)
        try:
            return connector.verify_key(should_stop)
        finally:
            connector.close()

    def same_account_key(
        self, exchange: str, user_id: str, subaccount: str, *, except_id: int | None = None
    ) -> KeyConfig | None:
        """The key that already reads this exchange account (user id as the exchange reported it
        on verification, and sub-account), if any. The GUI calls it after verifying a new key,
        before saving, to ask "this account already has key X — replace it?"."""
        wanted = account_identity(exchange, user_id, subaccount)
        if wanted is None:
            return None
        for key in self.store.list_keys():
            if key.id == except_id or key.host_id == FILE_HOST_ID:
                continue
            identity = account_identity(key.exchange, key.verification.exchange_user_id, key.subaccount)
            if identity == wanted:
                return key
        return None

    def add_key(
        self, new: NewKey, credentials: Credentials, verification: KeyVerification | None = None
    ) -> KeyConfig:
        """Save a key: the secret into the keyring (refusing if there is no usable keyring),
        everything else into the database. Nothing is left behind if either step fails.

        Raises :class:`SameAccountKeyError` when the verification shows that another key already
        reads this account (and sub-account): replace that key's credentials instead
        (:meth:`replace_credentials`), or remove it first.
        """
        new = replace(new, label=clean_label(new.label))
        self.secrets.check_usable()
        if not new.endpoints:
            raise KeyInputError("endpoints", "Tick at least one endpoint.")
        if verification is not None:
            existing = self.same_account_key(new.exchange, verification.user_id, new.subaccount)
            if existing is not None:
                raise SameAccountKeyError(existing, verification.user_id)
        key_id = self.store.add_key(replace(new, key_hint=key_hint_of(new.exchange, credentials)))
        try:
            self.secrets.save(key_id, credentials)
        except SecretStoreError:
            self.store.remove_key(key_id, delete_transactions=True)
            raise
        if verification is not None:
            self._record(key_id, verification)
        return self.store.get_key(key_id)

    def _record(self, key_id: int, verification: KeyVerification) -> None:
        self.store.record_verification(
            key_id,
            read_only=verification.read_only,
            permissions=verification.permissions,
            exchange_user_id=verification.user_id,
            is_master=verification.is_master,
            expires_at_ms=verification.expires_at_ms,
        )

    def replace_credentials(
        self, key_id: int, credentials: Credentials, verification: KeyVerification | None = None
    ) -> KeyConfig:
        """New credentials for a key (its history stays). Raises :class:`SameAccountKeyError`
        when they belong to an account another key already reads."""
        if verification is not None:
            key = self.store.get_key(key_id)
            existing = self.same_account_key(
                key.exchange, verification.user_id, key.subaccount, except_id=key_id
            )
            if existing is not None:
                raise SameAccountKeyError(existing, verification.user_id)
        self.secrets.save(key_id, credentials)
        exchange = self.store.get_key(key_id).exchange
        self.store.update_key(key_id, key_hint=key_hint_of(exchange, credentials))
        if verification is not None:
            self._record(key_id, verification)
        return self.store.get_key(key_id)

    def remove_key(self, key_id: int, *, delete_transactions: bool) -> None:
        """Remove the key's secret from the keyring, then the key. If the keyring cannot remove
        the secret, :class:`SecretStoreError` is raised and the key stays as it was (it never
        reads as removed while its secret stays behind). A file-only account has no secret."""
        try:
            file_only = self.store.get_key(key_id).host_id == FILE_HOST_ID
        except KeyError:
            file_only = False  # already gone: still make sure no secret is left
        if not file_only:
            self.secrets.delete(key_id)
        self.store.remove_key(key_id, delete_transactions=delete_transactions)

    # ------------------------------------------------------------------ sync

    def sync_key(
        self,
        key_id: int,
        *,
        endpoints: Sequence[str] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        on_progress: Callable[[SyncProgress], None] | None = None,
        in_child_process: bool = False,
    ) -> SyncResult:
        """Sync one key; ``in_child_process`` runs the work in a child process (the GUI's choice,
        see :mod:`cryptact_desktop.sync_process`) — the lock and the keyring stay in this one."""
        try:
            with self.locks.hold(key_id):
                return self._sync_locked(key_id, endpoints, should_stop, on_progress, in_child_process)
        except KeyBusy:
            key = self.store.get_key(key_id)
            busy = describe(FailureKind.BUSY)
            wanted = [e for e in key.enabled_endpoints if endpoints is None or e in endpoints]
            outcomes = tuple(EndpointOutcome(e, EndpointStatus.SYNCING, 0, 0, busy, None) for e in wanted)
            return SyncResult(key.id, 0, outcomes, cancelled=False)

    def _sync_locked(
        self,
        key_id: int,
        endpoints: Sequence[str] | None,
        should_stop: Callable[[], bool],
        on_progress: Callable[[SyncProgress], None] | None,
        in_child_process: bool,
    ) -> SyncResult:
        key = self.store.get_key(key_id)
        try:
            credentials = self.secrets.load(key_id)
        except SecretStoreError as exc:
            return _fail_all(self.store, key, exc.failure, endpoints)
        if in_child_process:
            from cryptact_desktop.sync_process import sync_in_process

            try:
                return sync_in_process(
                    self.store,
                    self.connector_factory,
                    key_id,
                    credentials,
                    endpoints,
                    should_stop,
                    on_progress,
                )
            except StorageError as exc:  # the database could not even record how the sync ended
                log.warning("sync of key %d stopped by the database: %s", key_id, exc.detail or exc.problem)
                return _storage_result(key, exc.failure, endpoints)
        return run_sync(
            self.store, self.connector_factory, key, credentials, endpoints, should_stop, on_progress
        )


def share_rate_limits(store: Store) -> None:
    """A venue's per-IP budget is shared with every other process of the app on this computer (the
    window, its sync processes and a cron sync) through the locks folder of the data directory."""
    memory = str(store.database) == ":memory:"
    share_across_processes(None if memory else SyncLocks.beside(store.database).directory)


def run_sync(
    store: Store,
    connector_factory: ConnectorFactory,
    key: KeyConfig,
    credentials: Credentials,
    endpoints: Sequence[str] | None,
    should_stop: Callable[[], bool],
    on_progress: Callable[[SyncProgress], None] | None,
) -> SyncResult:
    """One key's sync with its credentials already read (in this process or a child's). A
    database that cannot be written ends it with the storage problem on every endpoint."""
    try:
        connector = connector_factory(key.exchange, key.host_id, key.base_url, credentials)
    except KeyError:  # a venue no longer in the app
        return _fail_all(store, key, describe(FailureKind.REQUEST_REJECTED, detail=key.exchange), endpoints)
    except ValueError as exc:  # the key's custom API address is not one the app may use
        failure = describe(FailureKind.WRONG_URL, exchange=venue_name(key.exchange), detail=str(exc)[:120])
        return _fail_all(store, key, failure, endpoints)
    try:
        result = SyncEngine(store).run(
            key, connector, endpoints=endpoints, should_stop=should_stop, on_progress=on_progress
        )
        # Imported file rows without an exchange id are matched to the API rows just fetched, so
        # a trade that is both in a file and in the API is counted once; then the key list's
        # counts of the key's account are brought up to date (``Store.link_file_rows``).
        link_file_rows(store, key.id)
    except StorageError as exc:  # the database could not even record how the sync ended
        log.warning("sync of key %d stopped by the database: %s", key.id, exc.detail or exc.problem)
        return _storage_result(key, exc.failure, endpoints)
    finally:
        connector.close()
    return result


def _fail_all(store: Store, key: KeyConfig, failure: Failure, endpoints: Sequence[str] | None) -> SyncResult:
    """A sync that cannot even start (no secret, unknown host): every endpoint shows why."""
    try:
        return _record_failure(store, key, failure, endpoints)
    except StorageError as exc:
        return _storage_result(key, exc.failure, endpoints)


def _record_failure(
    store: Store, key: KeyConfig, failure: Failure, endpoints: Sequence[str] | None
) -> SyncResult:
    wanted = [e for e in key.enabled_endpoints if endpoints is None or e in endpoints]
    run_id = store.start_run(key.id)
    outcomes = []
    for endpoint in wanted:
        state = key.endpoint(endpoint)
        kept = (
            (state.unreachable_from_ms, state.unreachable_to_ms)
            if state.unreachable_from_ms is not None and state.unreachable_to_ms is not None
            else None
        )
        store.finish_endpoint(
            key.id,
            endpoint,
            status=EndpointStatus.FAILED,
            failure=failure,
            success_ms=None,
            unreachable=kept,
        )
        outcomes.append(EndpointOutcome(endpoint, EndpointStatus.FAILED, 0, 0, failure, None))
    store.finish_run(
        run_id,
        "failed",
        [StreamRunStats(endpoint=e, stream="", status="failed", failure=failure) for e in wanted],
    )
    return SyncResult(key.id, run_id, tuple(outcomes), cancelled=False)


def _storage_result(key: KeyConfig, failure: Failure, endpoints: Sequence[str] | None) -> SyncResult:
    """Every endpoint of a sync that the database stopped, failed with the storage problem (nothing
    can be recorded in the database itself: the result says it)."""
    wanted = [e for e in key.enabled_endpoints if endpoints is None or e in endpoints]
    outcomes = tuple(EndpointOutcome(e, EndpointStatus.FAILED, 0, 0, failure, None) for e in wanted)
    return SyncResult(key.id, 0, outcomes, cancelled=False)


__all__ = [
    "AppService",
    "KeyInputError",
    "SameAccountKeyError",
    "SyncFailure",
    "clean_credential_fields",
    "clean_credentials",
    "run_sync",
    "share_rate_limits",
]
