from __future__ import annotations

import json
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import pytest
from keyring.backends import chainer, fail, null
from keyring.compat import properties
from keyring.errors import KeyringLocked, PasswordDeleteError
from plain_file_keyring import PlainFileKeyring

from cryptact_desktop import redaction
from cryptact_desktop.errors import FailureKind
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import (
    Credentials,
    SecretStore,
    SecretStoreError,
    SecretStoreProblem,
)

API_KEY = "AbCdTESTKEY1234567"
SECRET = "s3cr3t-CANARY-9f8e7d6c5b4a"
PASSPHRASE = "pass-CANARY-phrase"
LEAKED = "XYZ-leaked-secret-42"


@pytest.fixture(autouse=True)
def _forget_registered() -> Iterator[None]:
    yield
    for value in (API_KEY, SECRET, PASSPHRASE, LEAKED):
        redaction.forget_secret(value)


@pytest.fixture
def creds() -> Credentials:
    return Credentials(api_key=API_KEY, secret=SECRET, passphrase=PASSPHRASE)


def assert_no_secret(text: str) -> None:
    for value in (SECRET, PASSPHRASE, API_KEY, LEAKED):
        assert value not in text


# -- Credentials ------------------------------------------------------------------------------


def test_credentials_repr_and_str_hide_secrets(creds: Credentials) -> None:
    assert repr(creds) == "Credentials(api_key='AbCd…', secret=***, passphrase=***)"
    assert str(creds) == repr(creds)
    assert_no_secret(repr(creds))
    assert_no_secret(f"{creds}")
    assert_no_secret(repr([creds]))
    assert creds.key_hint == "AbCd…"
    assert repr(Credentials(api_key=API_KEY, secret=SECRET)) == "Credentials(api_key='AbCd…', secret=***)"


def test_short_api_key_hint_reveals_nothing() -> None:
    assert Credentials(api_key="abc", secret="x").key_hint == "…"


def test_creating_credentials_registers_values_for_redaction() -> None:
    before = f"key {API_KEY} secret {SECRET} pass {PASSPHRASE}"
    assert redaction.redact(before) == before  # nothing registered yet
    Credentials(api_key=API_KEY, secret=SECRET, passphrase=PASSPHRASE)
    assert redaction.redact(before) == "key *** secret *** pass ***"


def test_json_round_trip(creds: Credentials) -> None:
    text = creds.to_json()
    assert json.loads(text) == {"api_key": API_KEY, "secret": SECRET, "passphrase": PASSPHRASE}
    assert Credentials.from_json(text) == creds


@pytest.mark.parametrize(
    "text", [f"not json {SECRET}", json.dumps([SECRET]), json.dumps({"api_key": API_KEY, "secret": 5})]
)
def test_from_json_rejects_malformed_without_quoting_it(text: str) -> None:
    with pytest.raises(ValueError) as info:
        Credentials.from_json(text)
    assert_no_secret(str(info.value))
    assert info.value.__cause__ is None


# -- MemoryKeyring ----------------------------------------------------------------------------


def test_memory_keyring_basics() -> None:
    kr = MemoryKeyring()
    assert kr.get_password("svc", "u") is None
    kr.set_password("svc", "u", "pw")
    assert kr.get_password("svc", "u") == "pw"
    assert kr.get_password("other", "u") is None
    kr.delete_password("svc", "u")
    assert kr.get_password("svc", "u") is None
    with pytest.raises(PasswordDeleteError):
        kr.delete_password("svc", "u")


def test_locked_memory_keyring_refuses_everything() -> None:
    kr = MemoryKeyring()
    kr.set_password("svc", "u", "pw")
    kr.locked = True
    with pytest.raises(KeyringLocked):
        kr.get_password("svc", "u")
    with pytest.raises(KeyringLocked):
        kr.set_password("svc", "u", "pw2")
    with pytest.raises(KeyringLocked):
        kr.delete_password("svc", "u")
    kr.locked = False
    assert kr.get_password("svc", "u") == "pw"


def test_memory_keyring_is_never_auto_selected() -> None:
    assert MemoryKeyring.priority == 0.5
    assert MemoryKeyring not in set(keyring.backend.KeyringBackend.get_viable_backends())


# -- SecretStore on working backends ----------------------------------------------------------


def test_save_load_has_delete(creds: Credentials) -> None:
    kr = MemoryKeyring()
    store = SecretStore(kr, service="svc-test")
    assert not store.has(7)
    store.save(7, creds)
    assert store.has(7)
    assert not store.has(8)
    assert store.load(7) == creds
    assert json.loads(kr.get_password("svc-test", "key-7") or "") == {
        "api_key": API_KEY,
        "secret": SECRET,
        "passphrase": PASSPHRASE,
    }
    replacement = Credentials(api_key="NewKeyNewKey", secret="new-secret-value")
    store.save(7, replacement)
    assert store.load(7) == replacement
    store.delete(7)
    assert not store.has(7)
    assert kr.get_password("svc-test", "key-7") is None
    store.delete(7)  # absent is fine


def test_load_missing_is_a_keyring_failure() -> None:
    store = SecretStore(MemoryKeyring())
    with pytest.raises(SecretStoreError) as info:
        store.load(3)
    err = info.value
    assert err.problem is SecretStoreProblem.MISSING
    assert err.failure.kind is FailureKind.KEYRING
    assert err.failure.message == "No secret stored for this key"
    assert "Edit key" in err.failure.hint
    assert str(err) == err.failure.one_line()


def test_load_corrupt_entry_is_unreadable() -> None:
    kr = MemoryKeyring()
    kr.set_password("cryptact-desktop", "key-1", f"garbage {SECRET}")
    with pytest.raises(SecretStoreError) as info:
        SecretStore(kr).load(1)
    assert info.value.problem is SecretStoreProblem.UNREADABLE
    assert_no_secret(str(info.value))


def test_a_file_backend_handed_over_by_the_app_is_allowed_but_flagged(
    tmp_path: Path, creds: Credentials
) -> None:
    kr = PlainFileKeyring(tmp_path / "keyring.json")
    store = SecretStore(kr)
    assert store.backend_name() == "plain_file_keyring.PlainFileKeyring"
    assert store.is_plaintext()
    status = store.status()
    assert status.usable and status.insecure and status.explicit and status.source == "app"
    store.check_usable()
    store.save(5, creds)
    assert (tmp_path / "keyring.json").is_file()
    assert SecretStore(kr).load(5) == creds
    store.delete(5)
    assert not store.has(5)


def test_memory_keyring_is_not_plaintext() -> None:
    store = SecretStore(MemoryKeyring())
    assert not store.is_plaintext()
    assert store.backend_name() == "cryptact_desktop.memory_keyring.MemoryKeyring"


# -- refusals and failures --------------------------------------------------------------------


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_unusable_backend_is_refused(backend: keyring.backend.KeyringBackend, creds: Credentials) -> None:
    store = SecretStore(backend)
    with pytest.raises(SecretStoreError) as info:
        store.check_usable()
    assert info.value.problem is SecretStoreProblem.UNAVAILABLE
    assert info.value.failure.message == "No secure keyring is available on this system"
    assert "GNOME Keyring" in info.value.failure.hint
    for call in (lambda: store.save(1, creds), lambda: store.load(1), lambda: store.has(1)):
        with pytest.raises(SecretStoreError) as again:
            call()
        assert again.value.problem is SecretStoreProblem.UNAVAILABLE


def test_empty_chainer_is_refused(monkeypatch: pytest.MonkeyPatch, creds: Credentials) -> None:
    monkeypatch.setattr(keyring.backend, "_limit", lambda _backend: False)
    backend = chainer.ChainerBackend()
    assert list(backend.backends) == []
    with pytest.raises(SecretStoreError) as info:
        SecretStore(backend).save(1, creds)
    assert info.value.problem is SecretStoreProblem.UNAVAILABLE


def test_locked_keyring(creds: Credentials) -> None:
    kr = MemoryKeyring()
    store = SecretStore(kr)
    store.save(1, creds)
    kr.locked = True
    for call in (lambda: store.save(1, creds), lambda: store.load(1), lambda: store.has(1)):
        with pytest.raises(SecretStoreError) as info:
            call()
        assert info.value.problem is SecretStoreProblem.LOCKED
        assert info.value.failure.message == "The system keyring is locked"
        assert info.value.detail == "KeyringLocked"
    kr.locked = False
    assert store.load(1) == creds


class LeakyKeyring(keyring.backend.KeyringBackend):
    """Fails the way a D-Bus backend can: with the stored value echoed in the message."""

    viable = False  # keep this test class out of keyring's auto-detection

    @properties.classproperty
    def priority(cls) -> float:
        return 1

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError(f"org.freedesktop.DBus.Error.Failed: item {username} secret={LEAKED} broken")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise OSError(f"cannot store {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError(f"cannot delete secret={LEAKED}")


def test_backend_error_messages_are_not_leaked(creds: Credentials) -> None:
    store = SecretStore(LeakyKeyring())
    calls = {
        "load": (lambda: store.load(1), "RuntimeError"),
        "has": (lambda: store.has(1), "RuntimeError"),
        "save": (lambda: store.save(1, creds), "OSError"),
        "delete": (lambda: store.delete(1), "RuntimeError"),  # the fallback existence check fails
    }
    for name, (call, detail) in calls.items():
        with pytest.raises(SecretStoreError) as info:
            call()
        err = info.value
        assert err.problem is SecretStoreProblem.FAILED, name
        assert err.detail == detail, name
        assert err.failure.kind is FailureKind.KEYRING
        assert err.__cause__ is None
        assert err.__suppress_context__
        rendered = "".join(traceback.format_exception(err))
        for text in (str(err), repr(err), err.failure.one_line(), rendered):
            assert_no_secret(text)
            assert "DBus" not in text


def test_access_is_serialised(creds: Credentials) -> None:
    class SlowKeyring(MemoryKeyring):
        def __init__(self) -> None:
            super().__init__()
            self.active = 0
            self.max_active = 0

        def set_password(self, service: str, username: str, password: str) -> None:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            time.sleep(0.005)
            super().set_password(service, username, password)
            self.active -= 1

    kr = SlowKeyring()
    store = SecretStore(kr)
    threads = [threading.Thread(target=store.save, args=(i, creds)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert kr.max_active == 1
    assert all(store.has(i) for i in range(8))


# -- keyring's configured backend -------------------------------------------------------------


@pytest.fixture
def fresh_keyring_core(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Forget keyring's cached backend for this test (monkeypatch restores it afterwards)."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.setattr(keyring.backend, "_limit", None)
    return monkeypatch


def test_env_configured_fail_keyring_refuses_to_save(
    fresh_keyring_core: pytest.MonkeyPatch, creds: Credentials
) -> None:
    fresh_keyring_core.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    store = SecretStore()
    assert store.backend_name() == "keyring.backends.fail.Keyring"
    with pytest.raises(SecretStoreError) as info:
        store.save(1, creds)
    assert info.value.problem is SecretStoreProblem.UNAVAILABLE
    assert not store.is_plaintext()


def test_env_configured_memory_keyring_works(
    fresh_keyring_core: pytest.MonkeyPatch, creds: Credentials
) -> None:
    fresh_keyring_core.setenv("PYTHON_KEYRING_BACKEND", "cryptact_desktop.memory_keyring.MemoryKeyring")
    store = SecretStore()
    assert store.backend_name() == "cryptact_desktop.memory_keyring.MemoryKeyring"
    store.save(2, creds)
    assert store.load(2) == creds
    assert keyring.get_password("cryptact-desktop", "key-2") == creds.to_json()


def test_broken_backend_configuration_is_unavailable(fresh_keyring_core: pytest.MonkeyPatch) -> None:
    fresh_keyring_core.setenv("PYTHON_KEYRING_BACKEND", "no_such_module_xyz.Keyring")
    store = SecretStore()
    assert store.backend_name() == "(no keyring)"
    with pytest.raises(SecretStoreError) as info:
        store.check_usable()
    assert info.value.problem is SecretStoreProblem.UNAVAILABLE
    assert info.value.detail == "ModuleNotFoundError"


# -- which backend may hold secrets (issue: secrets silently in plaintext) ----------------------


@pytest.fixture
def no_keyring_choice(fresh_keyring_core: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No PYTHON_KEYRING_BACKEND and an empty keyring configuration folder: keyring decides."""
    fresh_keyring_core.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    fresh_keyring_core.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return fresh_keyring_core


def test_a_file_backend_keyring_picked_by_itself_is_refused_before_the_form(
    no_keyring_choice: pytest.MonkeyPatch, tmp_path: Path, creds: Credentials
) -> None:
    secret_file = tmp_path / "plain.json"
    keyring.set_keyring(PlainFileKeyring(secret_file))  # what keyring's detection returned
    store = SecretStore()
    status = store.status()
    assert not status.usable
    assert status.insecure and not status.explicit and status.source == "automatic"
    assert status.problem is SecretStoreProblem.INSECURE
    assert "plain_file_keyring.PlainFileKeyring" in status.message
    assert "keyringrc.cfg" in status.hint and "PYTHON_KEYRING_BACKEND" in status.hint
    assert "unlock your system keyring" in status.hint
    assert not store.is_plaintext()  # not in use at all
    with pytest.raises(SecretStoreError) as info:
        store.check_usable()
    assert info.value.problem is SecretStoreProblem.INSECURE
    assert info.value.failure.hint == status.hint
    with pytest.raises(SecretStoreError):
        store.save(1, creds)
    assert not secret_file.exists()


def test_a_file_backend_chosen_in_the_environment_is_used_and_reported_insecure(
    no_keyring_choice: pytest.MonkeyPatch, tmp_path: Path, creds: Credentials
) -> None:
    no_keyring_choice.setenv("PYTHON_KEYRING_BACKEND", "plain_file_keyring.PlainFileKeyring")
    no_keyring_choice.setenv("PLAIN_FILE_KEYRING", str(tmp_path / "plain.json"))
    store = SecretStore()
    status = store.status()
    assert status.usable and status.insecure and status.explicit
    assert status.source == "PYTHON_KEYRING_BACKEND"
    assert "file" in status.message and status.hint
    assert store.is_plaintext()
    store.save(1, creds)
    assert store.load(1) == creds


def test_a_file_backend_chosen_in_keyringrc_is_explicit(
    no_keyring_choice: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config" / "python_keyring"
    config.mkdir(parents=True)
    (config / "keyringrc.cfg").write_text("[backend]\ndefault-keyring=plain_file_keyring.PlainFileKeyring\n")
    no_keyring_choice.chdir(tmp_path)
    status = SecretStore().status()
    assert status.usable and status.insecure and status.explicit
    assert status.source == str(config / "keyringrc.cfg")


def test_keyring_backends_are_judged_by_class() -> None:
    from keyring.backends import SecretService, kwallet

    from cryptact_desktop.secrets import BackendTrust, backend_trust

    alt_plaintext = type(
        "PlaintextKeyring", (keyring.backend.KeyringBackend,), {"__module__": "keyrings.alt.file"}
    )
    alt_encrypted = type("EncryptedKeyring", (alt_plaintext,), {"__module__": "keyrings.alt.file"})
    assert backend_trust(SecretService.Keyring) is BackendTrust.SYSTEM
    assert backend_trust(kwallet.DBusKeyring) is BackendTrust.SYSTEM
    assert backend_trust(alt_plaintext) is BackendTrust.INSECURE
    assert backend_trust(alt_encrypted) is BackendTrust.INSECURE
    assert backend_trust(fail.Keyring) is BackendTrust.NONE
    assert backend_trust(null.Keyring) is BackendTrust.NONE
    assert backend_trust(MemoryKeyring) is BackendTrust.APP
    assert backend_trust(PlainFileKeyring) is BackendTrust.UNKNOWN


@pytest.mark.parametrize("backend", ["keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"])
def test_backends_that_store_nothing_are_refused_even_when_chosen(
    no_keyring_choice: pytest.MonkeyPatch, backend: str
) -> None:
    no_keyring_choice.setenv("PYTHON_KEYRING_BACKEND", backend)
    status = SecretStore().status()
    assert not status.usable and status.explicit
    assert status.problem is SecretStoreProblem.UNAVAILABLE


def test_the_test_extra_installs_no_keyring_backend() -> None:
    """Installing ``.[test]`` into the app's environment must not change the keyring it uses."""
    import importlib.metadata
    import re
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    test_extra = pyproject["project"]["optional-dependencies"]["test"]
    names = {re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower() for requirement in test_extra}
    assert "keyrings.alt" not in names
    for name in names:
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        assert not [ep for ep in distribution.entry_points if ep.group == "keyring.backends"], name


# -- time limits and honest failures ------------------------------------------------------------


class HangingKeyring(MemoryKeyring):
    """Blocks every call until ``release`` is set: a keyring daemon that stopped answering."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(10)
        return super().get_password(service, username)


def test_a_hanging_keyring_is_reported_not_waited_for(creds: Credentials) -> None:
    kr = HangingKeyring()
    kr.set_password("cryptact-desktop", "key-1", creds.to_json())
    store = SecretStore(kr, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(SecretStoreError) as info:
        store.load(1)
    assert time.monotonic() - started < 3
    assert info.value.problem is SecretStoreProblem.TIMEOUT
    assert info.value.failure.message == "The system keyring is not answering"
    started = time.monotonic()
    with pytest.raises(SecretStoreError) as again:  # still stuck: fail at once, no second caller
        store.has(1)
    assert again.value.problem is SecretStoreProblem.TIMEOUT
    assert time.monotonic() - started < 0.2
    kr.release.set()
    deadline = time.monotonic() + 5
    while True:
        try:
            assert store.load(1) == creds
            break
        except SecretStoreError:
            assert time.monotonic() < deadline
            time.sleep(0.05)


class BrokenWrites(MemoryKeyring):
    """Reads work; writing and deleting fail (a keyring daemon refusing changes)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise OSError("write refused")

    def delete_password(self, service: str, username: str) -> None:
        raise OSError("delete refused")


def test_a_failed_save_is_reported_as_a_save_failure(creds: Credentials) -> None:
    with pytest.raises(SecretStoreError) as info:
        SecretStore(BrokenWrites()).save(1, creds)
    assert info.value.problem is SecretStoreProblem.FAILED
    assert info.value.failure.message == "The secret could not be saved in the system keyring"
    assert "cannot be read" not in str(info.value)


class SilentDelete(MemoryKeyring):
    """Says it deleted, but the entry stays (seen with a chained keyring)."""

    def delete_password(self, service: str, username: str) -> None:
        return None


@pytest.mark.parametrize("backend_class", [BrokenWrites, SilentDelete])
def test_a_failed_delete_keeps_the_key(
    tmp_path: Path, creds: Credentials, backend_class: type[MemoryKeyring]
) -> None:
    from cryptact_desktop.service import AppService
    from cryptact_desktop.state import NewKey
    from cryptact_desktop.store import Store

    kr = backend_class()
    store = Store(tmp_path / "db.sqlite")
    try:
        service = AppService(store, SecretStore(kr))
        key_id = store.add_key(NewKey("bybit", "Main", "mainnet", ("spot",)))
        MemoryKeyring.set_password(kr, "cryptact-desktop", f"key-{key_id}", creds.to_json())
        with pytest.raises(SecretStoreError) as info:
            service.remove_key(key_id, delete_transactions=True)
        assert info.value.failure.message == "The secret could not be removed from the system keyring"
        assert store.get_key(key_id).label == "Main"  # not removed while its secret stays behind
        assert kr.get_password("cryptact-desktop", f"key-{key_id}") is not None
    finally:
        store.close()
