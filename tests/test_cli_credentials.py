"""Credential fields declared by the venue: cleaning them in the core, reading them in the CLI."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from test_cli import API_KEY as API_KEY_VALUE
from test_cli import SECRET, UID, Cli, Result

import cryptact_desktop
from cryptact_desktop import cli, redaction
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.service import KeyInputError, clean_credential_fields, clean_credentials
from cryptact_desktop.venues import registry
from cryptact_desktop.venues.base import API_KEY, API_SECRET, CredentialField
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account
from cryptact_desktop.venues.venue import Venue

PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIGx0ZXN0a2V5MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3\n"
    "-----END PRIVATE KEY-----"
)
PRIVATE_KEY = CredentialField("private_key", "Private key", multiline=True, min_length=40, max_length=4096)
ADDRESS = CredentialField(
    "address", "Wallet address", secret=False, required=False, min_length=20, max_length=64
)
FIELDS = (API_KEY, PRIVATE_KEY, ADDRESS)


# -- the core: clean_credential_fields ----------------------------------------------------------


def test_fields_are_trimmed_and_a_multiline_field_keeps_its_line_breaks() -> None:
    pasted = "  " + PEM.replace("\n", "\r\n  ") + "\r\n\r\n"
    creds = clean_credential_fields({"api_key": " KEY0000001\n", "private_key": pasted}, FIELDS)
    assert creds.api_key == "KEY0000001"
    assert creds.get("private_key") == PEM
    assert creds.get("address") == ""  # optional and not given
    assert creds == Credentials.from_fields({"api_key": "KEY0000001", "private_key": PEM})


def test_each_rule_names_the_field() -> None:
    def problem(values: dict[str, str]) -> tuple[str, str]:
        with pytest.raises(KeyInputError) as info:
            clean_credential_fields(values, FIELDS)
        return info.value.field_name, info.value.message

    base = {"api_key": "KEY0000001", "private_key": PEM}
    assert problem({**base, "api_key": "   "}) == ("api_key", "This field is required.")
    assert problem({"api_key": "KEY0000001"}) == ("private_key", "This field is required.")
    assert problem({**base, "api_key": "KEY 0000001"})[0] == "api_key"
    assert "spaces" in problem({**base, "api_key": "KEY\u200b0000001"})[1]
    assert problem({**base, "api_key": "KEY1"}) == (
        "api_key",
        "Does not look like a complete key: paste it again.",
    )
    assert problem({**base, "private_key": "x" * 39})[0] == "private_key"
    assert problem({**base, "private_key": PEM.replace("BEGIN", "BE\tGIN")}) == (
        "private_key",
        "Contains invisible characters: paste it again.",
    )
    assert problem({**base, "address": "0xabc def0123456789abcdef"})[0] == "address"
    assert problem({**base, "address": "0x" + "a" * 63})[1].startswith("Does not look")
    # Spaces inside a multi-line field are its own text (PEM headers have them).
    assert clean_credential_fields(base, FIELDS).get("private_key").startswith("-----BEGIN PRIVATE KEY")


def test_the_classic_wrapper_keeps_its_rules_and_messages() -> None:
    creds = clean_credentials(" KEY0000001 ", "\tSECRET0000001\n")
    assert (creds.api_key, creds.secret, creds.passphrase) == ("KEY0000001", "SECRET0000001", "")
    with pytest.raises(KeyInputError) as missing:
        clean_credentials("KEY0000001", "SECRET0000001", needs_passphrase=True)
    assert (missing.value.field_name, missing.value.message) == (
        "passphrase",
        "This exchange needs the key's passphrase.",
    )
    assert (
        clean_credentials("KEY0000001", "SECRET0000001", " pass ", needs_passphrase=True).passphrase == "pass"
    )
    with pytest.raises(KeyInputError) as short:
        clean_credentials("KEY0000001", "short")
    assert short.value.field_name == "secret"
    assert clean_credentials("KEY0000001", "SECRET0000001") == clean_credential_fields(
        {"api_key": "KEY0000001", "secret": "SECRET0000001", "ignored": "x"}, (API_KEY, API_SECRET)
    )


# -- the CLI: the venue's fields, from a pipe, the environment or a terminal ----------------------

PEM_ESCAPED = PEM.replace("\n", "\\n")
PEM_BODY = PEM.splitlines()[1]
ADDRESS_VALUE = "0x1234567890abcdef1234"
PEM_VENUE = Venue(
    info=replace(registry.venue_info("bybit"), id="pemvenue", name="PEM Venue", credentials=FIELDS),
    connect=registry.venue("bybit").connect,
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    sim = BybitSimulator(
        accounts=[generate_account(seed=7, size="tiny", uid=UID)],
        keys=[SimulatedKey(API_KEY_VALUE, SECRET, UID)],
        rate_limit_scale=100,
    )
    base = sim.start()
    try:
        yield base
    finally:
        sim.stop()


@pytest.fixture(autouse=True)
def _clean_process_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (
        cli.ENV_API_KEY,
        cli.ENV_API_SECRET,
        cli.ENV_API_PASSPHRASE,
        "CRYPTACT_PRIVATE_KEY",
        "CRYPTACT_ADDRESS",
        "CRYPTACT_DESKTOP_DATA_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    yield
    redaction.reset_logging()
    for value in (API_KEY_VALUE, SECRET, PEM, PEM_BODY):
        redaction.forget_secret(value)


@pytest.fixture
def run(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "data")


@pytest.fixture
def pem_venue(monkeypatch: pytest.MonkeyPatch) -> Venue:
    """A venue whose key is an API key, a PEM private key and an optional address (in the registry
    for this test only; its keys are saved without asking it: --no-verify)."""
    monkeypatch.setattr(registry, "VENUES", (*registry.VENUES, PEM_VENUE))
    return PEM_VENUE


def add_pem_key(run: Cli, label: str = "Pem", stdin: str = "") -> Result:
    return run("keys", "add", "--exchange", "pemvenue", "--label", label, "--no-verify", stdin=stdin)


def assert_nothing_leaked(run: Cli) -> None:
    blobs = [p.read_bytes() for p in run.data_dir.rglob("*") if p.is_file()]
    for value in (PEM_BODY, SECRET):
        assert all(value not in text for text in run.transcript)
        assert all(value.encode() not in blob for blob in blobs)


def test_a_pipe_gives_the_venues_fields_one_per_line_in_order(run: Cli, pem_venue: Venue) -> None:
    added = add_pem_key(run, stdin=f"KEY0000001\n{PEM_ESCAPED}\n{ADDRESS_VALUE}\n")
    assert added.code == 0, added.err
    creds = run.secrets.load(1)
    assert creds.api_key == "KEY0000001"
    assert creds.get("private_key") == PEM  # the \n escapes became line breaks
    assert creds.get("address") == ADDRESS_VALUE
    (key,) = run("keys", "list", "--json").json()  # type: ignore[misc]
    assert key["exchange"] == "pemvenue" and key["key_hint"] == "KEY0…"

    # The optional last field may be left out; a line-broken PEM in a pipe is read as lines.
    assert add_pem_key(run, "NoAddress", stdin=f"KEY0000002\n{PEM_ESCAPED}\n").code == 0
    assert run.secrets.load(2).get("address") == ""
    assert_nothing_leaked(run)


def test_fields_in_the_wrong_order_name_the_field_and_the_line(run: Cli, pem_venue: Venue) -> None:
    swapped = add_pem_key(run, stdin=f"{PEM_ESCAPED}\nKEY0000001\n")
    assert swapped.code == 2
    assert "API key: Contains spaces or invisible characters" in swapped.err
    assert "line 1 of standard input" in swapped.err
    assert "API key, Private key, Wallet address" in swapped.err
    short = add_pem_key(run, stdin="KEY0000001\n-----BEGIN-----\n")
    assert short.code == 2 and "Private key: Does not look like a complete key" in short.err
    assert "line 2" in short.err
    empty = add_pem_key(run, stdin="\n\n")
    assert empty.code == 2 and "No API key and secret given" in empty.err
    assert "CRYPTACT_PRIVATE_KEY" in empty.err
    assert run("keys", "list", "--json").json() == []
    assert_nothing_leaked(run)


def test_environment_variables_are_derived_from_the_field_names(
    run: Cli, pem_venue: Venue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRYPTACT_PRIVATE_KEY", PEM_ESCAPED)
    partial = add_pem_key(run, stdin=f"KEY0000001\n{PEM_ESCAPED}\n")
    assert partial.code == 2
    assert "Only some of the credential variables are set; missing: CRYPTACT_API_KEY" in partial.err
    assert run("keys", "list", "--json").json() == []

    monkeypatch.setenv(cli.ENV_API_KEY, "KEY0000001")
    monkeypatch.setenv("CRYPTACT_ADDRESS", "0x1")
    bad = add_pem_key(run, stdin="ignored\n")
    assert bad.code == 2 and "Wallet address: Does not look like a complete key" in bad.err
    assert "It was read from CRYPTACT_ADDRESS" in bad.err

    monkeypatch.setenv("CRYPTACT_ADDRESS", f" {ADDRESS_VALUE} ")
    added = add_pem_key(run, stdin="ignored\n")
    assert added.code == 0, added.err
    creds = run.secrets.load(1)
    assert (creds.api_key, creds.get("private_key"), creds.get("address")) == (
        "KEY0000001",
        PEM,
        ADDRESS_VALUE,
    )

    # keys edit --credentials reads the same fields; a real line break in a variable is kept too.
    monkeypatch.setenv(cli.ENV_API_KEY, "KEY0000009")
    monkeypatch.setenv("CRYPTACT_PRIVATE_KEY", PEM.replace("\n", "\r\n") + "\n")
    monkeypatch.delenv("CRYPTACT_ADDRESS")
    edited = run("keys", "edit", "Pem", "--credentials", "--no-verify")
    assert edited.code == 0, edited.err
    assert "replaced" in edited.out
    creds = run.secrets.load(1)
    assert (creds.api_key, creds.get("private_key"), creds.get("address")) == ("KEY0000009", PEM, "")
    assert run("keys", "list", "--json").json()[0]["key_hint"] == "KEY0…"  # type: ignore[index]
    assert_nothing_leaked(run)


def test_help_documents_each_venues_fields_and_the_line_order(run: Cli, pem_venue: Venue) -> None:
    for command in (("keys", "add", "--help"), ("keys", "edit", "--help")):
        text = " ".join(run(*command).out.split())  # argparse wraps lines
        assert "one field per line in the order listed below" in text
        assert "with \\n for each line break" in text
        assert "bybit: API key (CRYPTACT_API_KEY), Secret key (CRYPTACT_API_SECRET)" in text
        assert (
            "pemvenue: API key (CRYPTACT_API_KEY), Private key (CRYPTACT_PRIVATE_KEY, multi-line), "
            "Wallet address (CRYPTACT_ADDRESS, optional)"
        ) in text
    assert "--credentials" in run("keys", "edit", "--help").out


@pytest.mark.skipif(not hasattr(pty, "fork"), reason="needs a pseudo-terminal")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_terminal_asks_for_each_field_by_its_label(tmp_path: Path, base_url: str) -> None:
    """The real entry point on a pseudo-terminal: the API key is echoed, the secret is not."""
    argv = [sys.executable, "-m", "cryptact_desktop", "--data-dir", str(tmp_path / "data")]
    argv += ["keys", "add", "--exchange", "bybit", "--label", "Tty", "--base-url", base_url]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTACT_", "LANGUAGE"))}
    env["LC_ALL"] = "C.UTF-8"  # the prompts are read in English
    env["PYTHON_KEYRING_BACKEND"] = "cryptact_desktop.memory_keyring.MemoryKeyring"
    cwd = str(Path(cryptact_desktop.__file__).parent.parent)
    pid, fd = pty.fork()
    if pid == 0:  # the child: exec at once
        try:
            os.chdir(cwd)
            os.execve(sys.executable, argv, env)
        finally:
            os._exit(127)
    answers = [("API key: ", API_KEY_VALUE), ("Secret key: ", SECRET)]
    output = b""
    answered_at = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child has exited (EIO)
                break
            if not chunk:
                break
            output += chunk
        if answers and answers[0][0].encode() in output[answered_at:]:
            _prompt, value = answers.pop(0)
            answered_at = len(output)
            os.write(fd, value.encode() + b"\r")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    text = output.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert not answers, text
    assert "API key: " in text and "Secret key: " in text
    assert API_KEY_VALUE in text  # not a secret field: echoed
    assert SECRET not in text  # a secret field: read through getpass, without echo
    assert "Key verified with Bybit" in text and "Saved key 1: Tty" in text
