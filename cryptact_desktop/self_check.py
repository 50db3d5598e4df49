"""``--self-check``, the part without Qt: is this installation (or frozen bundle) complete?

Each check returns a :class:`Check` (name, ok, detail, plus a ``warning`` flag). Nothing here
touches the user's database or keyring: the database is a fresh one in a temporary directory,
the sync runs against every built-in venue simulator on 127.0.0.1 with an in-memory keyring, and
the keyring check only *asks* which backend is active.

A missing or unusable system keyring is a **warning**, not a failure: it is a property of the
machine (a headless CI runner, a Linux session without GNOME Keyring/KWallet), not of the build,
and the app itself handles it by refusing to store keys and telling the user. What *is* a failure
is a bundle that lacks keyring's backends (no ``keyring.backends`` entry points or unimportable
backend modules): then even a machine with a keyring would get ``fail.Keyring``. ``--strict``
(see :mod:`cryptact_desktop.ui.self_check`) turns warnings into failures for release machines
that do have a keyring.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cryptact_desktop

# Not imported by the import check: the GUI (checked separately, with Qt), the Alembic scripts
# (loaded from files by the migration check) and the entry point itself.
_SKIPPED_PREFIXES = ("cryptact_desktop.ui", "cryptact_desktop.migrations", "cryptact_desktop.__main__")

SYNC_DAYS = 60  # the last two months of the simulated history: enough records, a few seconds


@dataclass(frozen=True)
class Check:
    """The outcome of one check. ``detail`` is safe to print (never holds a secret)."""

    name: str
    ok: bool
    detail: str
    warning: bool = False

    @property
    def label(self) -> str:
        if not self.ok:
            return "FAIL"
        return "WARN" if self.warning else "ok"


def guarded(name: str, check: Callable[[], Check]) -> Check:
    """Run ``check``; an exception becomes a failed :class:`Check` with the exception's summary."""
    try:
        return check()
    except Exception as exc:
        from cryptact_desktop.redaction import redact

        return Check(name, False, redact(f"{type(exc).__name__}: {exc}")[:500])


def core_module_names() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(cryptact_desktop.__path__, "cryptact_desktop."):
        if not info.name.startswith(_SKIPPED_PREFIXES):
            names.append(info.name)
    return names


def check_imports() -> Check:
    names = core_module_names()
    broken = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            broken.append(f"{name} ({type(exc).__name__}: {exc})")
    if broken:
        return Check("imports", False, "cannot import " + "; ".join(broken))
    if len(names) < 10:  # a frozen bundle that lost its module list
        return Check("imports", False, f"only {len(names)} core modules found")
    return Check("imports", True, f"{len(names)} core modules")


def check_certificates() -> Check:
    """The certificate bundle every HTTPS request is checked against is there and loads (a
    bundled app that lost it could not sync with any exchange)."""
    import ssl

    import certifi

    path = certifi.where()
    context = ssl.create_default_context(cafile=path)
    count = len(context.get_ca_certs())
    if count < 10:
        return Check("certificates", False, f"only {count} certificate authorities in {path}")
    return Check("certificates", True, f"{count} certificate authorities")


def check_data_dir(data_dir: str | None) -> Check:
    """The data directory (``--data-dir``, the environment variable or the platform default)
    exists or can be created, and is writable. Only a temporary file is written (and removed)."""
    from cryptact_desktop.paths import DataPaths, resolve_data_dir

    try:
        root = resolve_data_dir(data_dir)
        paths = DataPaths(root).ensure()
        with tempfile.TemporaryFile(dir=paths.root):
            pass
    except OSError as exc:
        where = data_dir if data_dir else "the default data directory"
        return Check("data directory", False, f"{where} is not usable: {exc.strerror or exc}")
    return Check("data directory", True, str(root))


def check_database(workdir: Path) -> Check:
    """A new database in ``workdir``, migrated to the newest revision."""
    from alembic.script import ScriptDirectory

    from cryptact_desktop.store import Store
    from cryptact_desktop.store.database import MIGRATIONS_DIR, alembic_config

    if not (MIGRATIONS_DIR / "env.py").is_file():
        return Check("database", False, f"migrations missing: {MIGRATIONS_DIR}/env.py")
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    store = Store(workdir / "self-check.db")
    try:
        with store.engine.connect() as connection:
            from sqlalchemy import text

            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            mode = connection.execute(text("PRAGMA journal_mode")).scalar()
    finally:
        store.close()
    if current != head:
        return Check("database", False, f"migrated to {current}, expected {head}")
    return Check("database", True, f"migrated to {head} (journal {mode})")


def check_keyring_backends() -> Check:
    """keyring's backends are installed with their entry-point metadata (the frozen-app trap)."""
    entry_points = importlib.metadata.entry_points(group="keyring.backends")
    if not entry_points:
        return Check("keyring backends", False, "no keyring.backends entry points (keyring metadata missing)")
    broken = []
    for entry_point in entry_points:
        try:
            entry_point.load()
        except Exception as exc:
            broken.append(f"{entry_point.name} ({type(exc).__name__})")
    names = ", ".join(sorted(ep.name for ep in entry_points))
    if broken:
        return Check("keyring backends", False, "cannot load " + ", ".join(broken))
    return Check("keyring backends", True, names)


def check_keyring() -> Check:
    """The backend keyring would use for real keys, and whether it can store secrets."""
    from cryptact_desktop.secrets import SecretStore, SecretStoreError

    secrets = SecretStore()
    name = secrets.backend_name()
    try:
        secrets.check_usable()
    except SecretStoreError as exc:
        return Check("keyring", True, f"{name}: {exc} (API keys cannot be saved)", warning=True)
    if secrets.is_plaintext():
        return Check("keyring", True, f"{name}: stores secrets UNENCRYPTED", warning=True)
    return Check("keyring", True, name)


def check_sync(workdir: Path) -> Check:
    """For every venue with a simulator: add a key for a "tiny" simulated account and sync it over
    127.0.0.1 (the whole path: registry, connector, signing, engine, store)."""
    from functools import partial

    from cryptact_desktop.credentials import Credentials
    from cryptact_desktop.memory_keyring import MemoryKeyring
    from cryptact_desktop.secrets import SecretStore
    from cryptact_desktop.service import AppService
    from cryptact_desktop.state import NewKey
    from cryptact_desktop.store import Store
    from cryptact_desktop.venues.registry import CUSTOM_HOST, VENUES, make_connector

    started = time.perf_counter()
    done: list[str] = []
    for item in VENUES:
        if item.harness is None:
            continue
        harness = item.harness()
        simulated = harness.start(seed=11, size="tiny")
        store = Store(workdir / f"self-check-{item.id}.db")
        try:
            factory = partial(make_connector, rate_limit_scale=harness.rate_limit_scale)
            service = AppService(store, SecretStore(MemoryKeyring()), connector_factory=factory)
            credentials = Credentials.from_fields(simulated.credentials)
            key = service.add_key(
                NewKey(
                    exchange=item.id,
                    label="Self-check",
                    host_id=CUSTOM_HOST,
                    endpoints=tuple(e.id for e in item.info.endpoints if e.default_enabled),
                    base_url=simulated.base_url,
                    sync_from_ms=int(time.time() * 1000) - SYNC_DAYS * 86_400_000,
                    key_hint=credentials.key_hint,
                ),
                credentials,
            )
            result = service.sync_key(key.id)
            stored = store.count_transactions()
        finally:
            store.close()
            simulated.stop()
        if not result.ok:
            failed = [
                f"{o.endpoint}: {o.failure.one_line() if o.failure else o.status.value}"
                for o in result.outcomes
                if o.status.value != "ok"
            ]
            return Check("sync", False, f"{item.info.name}: " + ("; ".join(failed) or "cancelled"))
        if stored == 0:
            return Check("sync", False, f"{item.info.name}: the simulated account synced no records")
        done.append(f"{item.info.name} {stored}")
    if not done:
        return Check("sync", False, "no venue has a simulator to check against")
    elapsed = time.perf_counter() - started
    return Check("sync", True, f"records from the simulators ({', '.join(done)}) in {elapsed:.1f} s")


def preflight_checks(workdir: Path, data_dir: str | None = None) -> Iterator[Check]:
    """The checks before the sync, each yielded as soon as it is done."""
    yield guarded("imports", check_imports)
    yield guarded("certificates", check_certificates)
    yield guarded("data directory", lambda: check_data_dir(data_dir))
    yield guarded("database", lambda: check_database(workdir))
    yield guarded("keyring backends", check_keyring_backends)
    yield guarded("keyring", check_keyring)


def run_core_checks(workdir: Path, data_dir: str | None = None) -> list[Check]:
    """Every check that needs no Qt, in order; ``workdir`` is an empty temporary directory."""
    return [*preflight_checks(workdir, data_dir), guarded("sync", lambda: check_sync(workdir))]
