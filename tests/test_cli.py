"""The headless CLI end to end, against the Bybit simulator on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from keyring.backends import fail

from cryptact_desktop import cli, i18n, redaction
from cryptact_desktop.__main__ import main as module_main
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.paths import DataPaths
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.state import TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account

API_KEY = "CLIKEY000001"
SECRET = "CLISECRET0000000000000001"
WRONG_SECRET = "CLIWRONG00000000000000009"
UID = 1001
STDIN_OK = f"{API_KEY}\n{SECRET}\n"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    sim = BybitSimulator(
        accounts=[generate_account(seed=7, size="tiny", uid=UID)],
        keys=[SimulatedKey(API_KEY, SECRET, UID)],
        rate_limit_scale=100,
    )
    base = sim.start()
    try:
        yield base
    finally:
        sim.stop()


@pytest.fixture(autouse=True)
def _clean_process_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (cli.ENV_API_KEY, cli.ENV_API_SECRET, cli.ENV_API_PASSPHRASE, "CRYPTACT_DESKTOP_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    yield
    redaction.reset_logging()
    for value in (API_KEY, SECRET, WRONG_SECRET):
        redaction.forget_secret(value)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


class Cli:
    """Runs ``cli.main`` on one data directory and one in-memory keyring; remembers all output."""

    def __init__(self, data_dir: Path, secrets: SecretStore | None = None) -> None:
        self.data_dir = data_dir
        self.secrets = secrets if secrets is not None else SecretStore(MemoryKeyring())
        self.transcript: list[str] = []

    def __call__(self, *args: str, stdin: str = "", stderr: io.StringIO | None = None) -> Result:
        out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
        code = cli.main(
            ["--data-dir", str(self.data_dir), *args],
            secrets=self.secrets,
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=err,
        )
        result = Result(code, out.getvalue(), err.getvalue())
        self.transcript += [result.out, result.err]
        return result

    def add(self, base_url: str, label: str = "Main", *extra: str, stdin: str = STDIN_OK) -> Result:
        return self(
            "keys",
            "add",
            "--exchange",
            "bybit",
            "--label",
            label,
            "--host",
            "custom",
            "--base-url",
            base_url,
            *extra,
            stdin=stdin,
        )

    def store(self) -> Store:
        return Store(DataPaths(self.data_dir).database)

    def assert_no_secret_anywhere(self, *files: Path) -> None:
        """Neither the output, the database (and its WAL), the log nor the given files hold a secret."""
        texts = [*self.transcript]
        blobs = [p.read_bytes() for p in self.data_dir.rglob("*") if p.is_file()]
        blobs += [p.read_bytes() for p in files]
        assert (DataPaths(self.data_dir).log_file).exists()
        for value in (SECRET, WRONG_SECRET, API_KEY):
            for text in texts:
                assert value not in text
            for blob in blobs:
                assert value.encode() not in blob


@pytest.fixture
def run(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "data")


# -- keys add ---------------------------------------------------------------------------------


def test_keys_add_reads_secrets_from_stdin_and_shows_the_verification(run: Cli, base_url: str) -> None:
    result = run.add(base_url, "Main", "--sync-from", "2024-01-01")
    assert result.code == 0, result.err
    assert "Key verified with Bybit" in result.out
    assert "Read-only:" in result.out and "Permissions:" in result.out
    assert str(UID) in result.out
    assert "Saved key 1: Main" in result.out

    listed = run("keys", "list", "--json").json()
    assert isinstance(listed, list) and len(listed) == 1
    key = listed[0]
    assert key["label"] == "Main" and key["host"] == "custom" and key["base_url"] == base_url.rstrip("/")
    assert key["sync_from_utc"] == "2024-01-01T00:00:00.000Z"
    assert key["key_hint"] == "CLIK…"
    assert key["verification"]["user_id"] == str(UID)
    assert "spot" in key["endpoints"] and "deposits" in key["endpoints"]
    assert run.secrets.load(1).secret == SECRET
    run.assert_no_secret_anywhere()


def test_keys_add_reads_secrets_from_the_environment(
    run: Cli, base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cli.ENV_API_KEY, API_KEY)
    monkeypatch.setenv(cli.ENV_API_SECRET, f"  {SECRET}\n")  # pasted whitespace is trimmed
    result = run("--json", "keys", "add", "--exchange", "bybit", "--label", "Env", "--base-url", base_url)
    assert result.code == 0, result.err
    data = result.json()
    assert isinstance(data, dict)
    assert data["id"] == 1 and data["key"]["host"] == "custom"
    assert data["verification"]["user_id"] == str(UID)
    assert isinstance(data["verification"]["read_only"], bool)
    assert run.secrets.load(1).api_key == API_KEY
    run.assert_no_secret_anywhere()


def test_only_one_secret_variable_set_is_an_error(
    run: Cli, base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cli.ENV_API_KEY, API_KEY)
    result = run.add(base_url, stdin="")
    assert result.code == 2
    assert cli.ENV_API_SECRET in result.err


def test_missing_or_malformed_secret_is_an_input_error(run: Cli, base_url: str) -> None:
    empty = run.add(base_url, stdin="")
    assert empty.code == 2 and "No API key and secret given" in empty.err
    short = run.add(base_url, stdin=f"{API_KEY}\nabc\n")
    assert short.code == 2 and "API secret" in short.err
    assert run("keys", "list", "--json").json() == []


def test_a_secret_cannot_be_passed_as_an_argument(run: Cli, base_url: str) -> None:
    for extra in (("--secret", SECRET), (f"--api-secret={SECRET}",), ("--api-key", API_KEY), (SECRET,)):
        result = run.add(base_url, "Main", *extra)
        assert result.code == 2
        assert "never taken from the command line" in result.err
    for command in (("keys", "add", "--help"), ("keys", "edit", "--help")):
        helptext = run(*command).out
        assert "--secret" not in helptext and "--api-key" not in helptext and "--api-secret" not in helptext
    assert run("keys", "list", "--json").json() == []
    run.assert_no_secret_anywhere()


def test_keys_add_with_a_wrong_secret_is_refused_and_nothing_saved(run: Cli, base_url: str) -> None:
    result = run.add(base_url, stdin=f"{API_KEY}\n{WRONG_SECRET}\n")
    assert result.code == 3
    assert "secret key does not match" in result.err.lower()
    assert run("keys", "list", "--json").json() == []
    run.assert_no_secret_anywhere()


def test_keys_add_validates_endpoints_hosts_and_dates(run: Cli, base_url: str) -> None:
    bad = run.add(base_url, "Main", "--endpoints", "spot,futures", "--no-verify")
    assert bad.code == 2
    assert "futures" in bad.err and "transaction_log" in bad.err and "deposits" in bad.err
    host = run("keys", "add", "--exchange", "bybit", "--label", "X", "--host", "mars", stdin=STDIN_OK)
    assert host.code == 2 and "global" in host.err and "testnet" in host.err
    url = run.add("http://example.com", "X", "--no-verify")
    assert url.code == 2 and "https://" in url.err
    date = run.add(base_url, "X", "--sync-from", "yesterday", "--no-verify")
    assert date.code == 2 and "2024-01-01" in date.err
    assert run("keys", "list", "--json").json() == []


def test_keys_add_refuses_an_unusable_keyring(tmp_path: Path, base_url: str) -> None:
    run = Cli(tmp_path / "data", SecretStore(fail.Keyring()))
    result = run.add(base_url)
    assert result.code == 3
    assert "keyring" in result.err.lower()
    assert run("keys", "list", "--json").json() == []


# -- keys list / edit / remove ----------------------------------------------------------------


def test_list_edit_pause_and_remove(run: Cli, base_url: str) -> None:
    assert run.add(base_url, "Main", "--no-verify", "--endpoints", "spot,deposits").code == 0
    assert run.add(base_url, "Second", "--no-verify", "--subaccount", "sub1").code == 0

    table = run("keys", "list")
    assert table.code == 0
    assert "Main" in table.out and "Second" in table.out and "sub1" in table.out
    assert "spot,deposits" in table.out

    edited = run(
        "keys",
        "edit",
        "Main",
        "--label",
        "Renamed",
        "--endpoints",
        "spot,linear",
        "--sync-from",
        "2024-03-01T12:00:00Z",
        "--pause",
    )
    assert edited.code == 0, edited.err
    key = next(k for k in run("keys", "list", "--json").json() if k["id"] == 1)  # type: ignore[union-attr]
    assert key["label"] == "Renamed" and key["paused"] is True
    assert key["endpoints"] == ["spot", "linear"]
    assert key["sync_from_utc"] == "2024-03-01T12:00:00.000Z"

    assert run("keys", "edit", "1", "--resume", "--clear-sync-from").code == 0
    key = next(k for k in run("keys", "list", "--json").json() if k["id"] == 1)  # type: ignore[union-attr]
    assert key["paused"] is False and key["sync_from_utc"] is None

    assert run("keys", "edit", "Renamed").code == 2  # nothing to change
    assert run("keys", "edit", "Renamed", "--label", "Second").code == 2  # labels are unique
    assert run("keys", "edit", "Renamed", "--pause", "--resume").code == 2
    assert run("keys", "edit", "Renamed", "--endpoints", "nope").code == 2
    unknown = run("keys", "edit", "Nobody", "--pause")
    assert unknown.code == 2 and "No key with the id or label 'Nobody'" in unknown.err

    # Removing needs an explicit choice about the transactions.
    no_choice = run("keys", "remove", "Renamed")
    assert no_choice.code == 2 and "--keep-transactions" in no_choice.err
    assert run.secrets.has(1)
    kept = run("keys", "remove", "Renamed", "--keep-transactions")
    assert kept.code == 0, kept.err
    assert not run.secrets.has(1)
    labels = {k["label"]: k for k in run("keys", "list", "--json").json()}  # type: ignore[union-attr]
    assert labels["Renamed (removed)"]["paused"] is True
    assert labels["Renamed (removed)"]["endpoints"] == []

    deleted = run("keys", "remove", "2", "--delete-transactions")
    assert deleted.code == 0 and not run.secrets.has(2)
    assert [k["id"] for k in run("keys", "list", "--json").json()] == [1]  # type: ignore[union-attr]


def test_replace_secret_verifies_the_new_one(run: Cli, base_url: str) -> None:
    assert run.add(base_url, "Main", "--no-verify", stdin=f"{API_KEY}\n{WRONG_SECRET}\n").code == 0
    refused = run("keys", "edit", "Main", "--replace-secret", stdin=f"{API_KEY}\n{WRONG_SECRET}\n")
    assert refused.code == 3 and "does not match" in refused.err
    assert run.secrets.load(1).secret == WRONG_SECRET
    replaced = run("keys", "edit", "Main", "--replace-secret", stdin=STDIN_OK)
    assert replaced.code == 0, replaced.err
    assert "Key verified" in replaced.out and "replaced" in replaced.out
    assert run.secrets.load(1).secret == SECRET
    run.assert_no_secret_anywhere()


# -- sync, status, runs, export ---------------------------------------------------------------


def test_sync_status_runs_and_export(run: Cli, base_url: str, tmp_path: Path) -> None:
    assert run.add(base_url, "Main").code == 0

    first = run("sync")
    assert first.code == 0, first.out + first.err
    assert "Key 1 (Main)" in first.out
    assert "pages" in first.err and "new rows" in first.err  # progress lines on stderr

    status = run("status", "--json")
    assert status.code == 0, status.out
    data = status.json()
    assert isinstance(data, dict)
    (key,) = data["keys"]
    assert key["records"] > 0
    states = key["endpoint_states"]
    assert states and all(e["status"] == "ok" for e in states)
    assert all(e["last_success_utc"].endswith("Z") for e in states)
    text = run("status", "Main")
    assert text.code == 0 and "last success" in text.out

    store = run.store()
    try:
        total = store.count_transactions()  # one row per event, what the key list counts
        stored = store.count_transactions(TransactionFilter(with_sources=True))
    finally:
        store.close()
    assert total == key["records"]

    second = run("sync", "--json", "--quiet", "Main")
    assert second.code == 0
    summary = second.json()
    assert isinstance(summary, dict)
    assert summary["cancelled"] is False
    assert summary["keys"][0]["new_records"] == 0
    assert second.err == ""

    runs = run("runs", "Main", "--limit", "5")
    assert runs.code == 0
    assert runs.out.count("Run ") == 2
    assert "execution_spot" in runs.out and "Requests" in runs.out
    runs_json = run("runs", "1", "--json").json()
    assert isinstance(runs_json, dict)
    newest, oldest = runs_json["runs"]
    assert oldest["outcome"] == "ok" and sum(s["new_rows"] for s in oldest["streams"]) == stored
    assert sum(s["new_rows"] for s in newest["streams"]) == 0
    assert all(s["requests"] > 0 for s in oldest["streams"])

    output = tmp_path / "export.csv"
    exported = run("export", "--format", "csv", "--output", str(output))
    assert exported.code == 0, exported.err
    assert f"Exported {total} transactions" in exported.out
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:7] == [
        "key_id",
        "key_label",
        "exchange",
        "endpoint",
        "stream",
        "exchange_id",
        "timestamp_utc",
    ]
    assert rows[0][-1] == "raw_json"
    assert len(rows) - 1 == total
    header = rows[0]
    ids = {(r[header.index("endpoint")], r[header.index("exchange_id")]) for r in rows[1:]}
    store = run.store()
    try:
        copies = {
            (t.endpoint, t.exchange_id) for t in store.transactions(TransactionFilter(with_sources=True))
        }
        copies -= {(t.endpoint, t.exchange_id) for t in store.transactions()}
        assert copies and ids == store.transaction_identities(1) - copies  # one row per event
    finally:
        store.close()
    with_sources = run("export", "--format", "csv", "-o", str(tmp_path / "sources.csv"), "--with-sources")
    assert f"Exported {stored} transactions" in with_sources.out
    assert all(
        r[header.index("exchange")] == "bybit" and r[header.index("key_label")] == "Main" for r in rows[1:]
    )
    assert all(r[header.index("timestamp_utc")].endswith("Z") for r in rows[1:])
    assert all(json.loads(r[header.index("raw_json")]) for r in rows[1:])
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    only = run("export", "--format", "csv", "-o", str(tmp_path / "one.csv"), "--key", "Main", "--json").json()
    assert only == {"format": "csv", "path": str(tmp_path / "one.csv"), "rows": total}

    run.assert_no_secret_anywhere(output)


def test_export_refuses_unknown_formats_and_unwritable_paths(run: Cli, tmp_path: Path) -> None:
    result = run("export", "--format", "xlsx", "--output", str(tmp_path / "x.csv"))
    assert result.code == 2 and "csv" in result.err and "cryptact" in result.err
    assert not (tmp_path / "x.csv").exists()
    missing = run("export", "--format", "csv", "--output", str(tmp_path / "no" / "such" / "x.csv"))
    assert missing.code == 1 and "Cannot write" in missing.err and "Traceback" not in missing.err


def test_paused_keys_sync_only_when_named(run: Cli, base_url: str) -> None:
    assert run.add(base_url, "Main", "--endpoints", "deposits").code == 0
    assert run("keys", "edit", "Main", "--pause").code == 0
    skipped = run("sync")
    assert skipped.code == 0 and "No keys to sync" in skipped.out
    named = run("sync", "--quiet", "Main")
    assert named.code == 0, named.out
    assert "deposits" in named.out


def test_a_wrong_secret_fails_the_sync_with_exit_3(run: Cli, base_url: str) -> None:
    added = run.add(base_url, "Bad", "--no-verify", stdin=f"{API_KEY}\n{WRONG_SECRET}\n")
    assert added.code == 0, added.err
    result = run("sync", "--quiet")
    assert result.code == 3
    assert "secret key does not match" in result.out.lower()
    assert "Paste the secret again" in result.out  # the hint

    status = run("status")
    assert status.code == 3
    assert "does not match" in status.out
    as_json = run("sync", "--json", "--quiet", "Bad")
    assert as_json.code == 3
    data = as_json.json()
    assert isinstance(data, dict)
    failures = [e["failure"] for e in data["keys"][0]["endpoints"] if e["failure"]]
    assert failures and failures[0]["kind"] == "signature"
    run.assert_no_secret_anywhere()


class _InterruptOnFirstProgress(io.StringIO):
    """A stderr that presses Ctrl-C (SIGINT to this process) when the first progress line comes."""

    def __init__(self) -> None:
        super().__init__()
        self.fired = threading.Event()

    def write(self, text: str) -> int:
        if "pages" in text and not self.fired.is_set():
            self.fired.set()
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.5)  # the main thread turns it into KeyboardInterrupt meanwhile
        return super().write(text)


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="needs SIGINT")
def test_ctrl_c_cancels_cleanly_with_exit_4(run: Cli, base_url: str) -> None:
    assert run.add(base_url, "Main").code == 0
    stderr = _InterruptOnFirstProgress()
    result = run("sync", stderr=stderr)
    assert stderr.fired.is_set()
    assert result.code == 4, result.out + result.err
    assert "Stopping" in result.err
    assert "cancelled" in result.out.lower()
    runs = run("runs", "Main", "--json").json()
    assert isinstance(runs, dict) and runs["runs"][0]["outcome"] == "cancelled"
    # Nothing is left "syncing", and the next sync completes the rest.
    assert all(e["status"] != "syncing" for e in run("status", "--json").json()["keys"][0]["endpoint_states"])  # type: ignore[index]
    again = run("sync", "--quiet")
    assert again.code == 0, again.out


def test_status_without_a_sync_is_exit_3_and_unknown_key_exit_2(run: Cli, base_url: str) -> None:
    assert run("status").code == 0  # no keys at all
    assert run.add(base_url, "Main", "--no-verify").code == 0
    never = run("status")
    assert never.code == 3 and "never synced" in never.out
    assert run("status", "Ghost").code == 2
    assert run("runs", "Ghost").code == 2
    assert run("sync", "Ghost").code == 2


# -- entry points -----------------------------------------------------------------------------


def test_cli_invocations_are_recognised() -> None:
    assert cli.is_cli_invocation(["sync"])
    assert cli.is_cli_invocation(["--data-dir", "/x", "--json", "keys", "list"])
    assert cli.is_cli_invocation(["--data-dir=/x", "status"])
    assert cli.is_cli_invocation(["demo-server", "--port", "0"])
    assert cli.is_cli_invocation(["--help"])
    assert not cli.is_cli_invocation([])
    assert not cli.is_cli_invocation(["--data-dir", "/x"])
    assert not cli.is_cli_invocation(["-style", "fusion"])
    assert not cli.is_cli_invocation(["--data-dir", "sync"])  # "sync" is the directory here


def test_module_main_routes_commands_to_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        "sys.argv", ["cryptact-desktop", "--data-dir", str(tmp_path), "keys", "list", "--json"]
    )
    try:
        assert module_main() == 0
    finally:
        i18n.install_translator(None)  # the entry point translates as the system's language asks
    assert json.loads(capsys.readouterr().out) == []


def test_a_failed_export_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptact_desktop import export_csv

    store = Store(tmp_path / "db.sqlite")
    target = tmp_path / "out.csv"
    target.write_text("previous export\n", encoding="utf-8")

    def broken(*_args: object, **_kwargs: object) -> Iterator[object]:
        raise OSError("disk full")
        yield  # pragma: no cover

    monkeypatch.setattr(store, "iter_transactions", broken)
    try:
        with pytest.raises(OSError):
            export_csv.write_transactions_csv(store, target)
    finally:
        store.close()
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert export_csv.iso_utc_ms(1_704_067_200_123) == "2024-01-01T00:00:00.123Z"


def test_export_cryptact_custom_file(run: Cli, base_url: str, tmp_path: Path) -> None:
    assert run.add(base_url, "Main").code == 0
    assert run("sync", "--quiet").code == 0
    target = tmp_path / "cryptact.csv"
    result = run("export", "--format", "cryptact", "--tz", "Asia/Tokyo", "-o", str(target))
    assert result.code == 0, result.err
    lines = target.read_text().splitlines()
    assert lines[0] == "Timestamp,Action,Source,Base,Volume,Price,Counter,Fee,FeeCcy,Comment"
    assert len(lines) > 10 and "Rows written" in result.out
    assert run("export", "--format", "cryptact", "--tz", "Mars/Base", "-o", str(target)).code == 2
    run.assert_no_secret_anywhere(target)
