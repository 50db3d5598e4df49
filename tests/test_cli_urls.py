"""Custom API URLs on the command line: the app's one address rule (api_urls.check_api_url),
checked before any request is sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_cli import API_KEY, SECRET, STDIN_OK, UID, Cli

from cryptact_desktop import cli, redaction
from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account


@pytest.fixture(scope="module")
def sim() -> Iterator[BybitSimulator]:
    simulator = BybitSimulator(
        accounts=[generate_account(seed=7, size="tiny", uid=UID)],
        keys=[SimulatedKey(API_KEY, SECRET, UID)],
        rate_limit_scale=100,
    )
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture(autouse=True)
def _clean_process_state(monkeypatch: pytest.MonkeyPatch, sim: BybitSimulator) -> Iterator[None]:
    for name in (cli.ENV_API_KEY, cli.ENV_API_SECRET, cli.ENV_API_PASSPHRASE, "CRYPTACT_DESKTOP_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    sim.reset_log()
    yield
    redaction.reset_logging()
    for value in (API_KEY, SECRET):
        redaction.forget_secret(value)


@pytest.fixture
def run(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "data")


def add(run: Cli, url: str, *extra: str) -> tuple[int, str, str]:
    result = run(
        "keys", "add", "--exchange", "bybit", "--label", "Main", "--base-url", url, *extra, stdin=STDIN_OK
    )
    return result.code, result.out, result.err


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://localhost.evil.example", "must use https://"),
        ("http://localhost.evil.example:8080/", "must use https://"),
        ("http://127.0.0.1@evil.example", "must not contain a user name or an @"),
        ("http://127.0.0.1:8080@evil.example/v5", "must not contain a user name or an @"),
        ("ftp://127.0.0.1", "must start with https://"),
    ],
)
def test_a_url_that_only_looks_local_is_refused(run: Cli, sim: BybitSimulator, url: str, reason: str) -> None:
    code, out, err = add(run, url)
    assert code == 2, err
    assert "The custom API URL is refused" in err and reason in err
    assert "evil.example" not in err + out  # the address itself is not echoed
    assert "Traceback" not in err
    assert run("keys", "list", "--json").json() == []
    assert sim.request_log == []


def test_nothing_is_sent_to_a_refused_url_even_when_it_would_reach_a_server(
    run: Cli, sim: BybitSimulator
) -> None:
    """A user name in front of the simulator's own address: refused before the key is read."""
    host, port = sim.address
    code, _, err = add(run, f"http://user:{SECRET}@{host}:{port}")
    assert code == 2 and "must not contain a user name or an @" in err
    assert SECRET not in err
    assert sim.request_log == []
    assert run("keys", "list", "--json").json() == []


def test_keys_edit_checks_the_url_the_same_way(run: Cli, sim: BybitSimulator) -> None:
    assert add(run, sim.base_url, "--no-verify")[0] == 0
    for url in ("http://localhost.evil.example", "http://127.0.0.1@evil.example"):
        result = run("keys", "edit", "Main", "--host", "custom", "--base-url", url)
        assert result.code == 2 and "The custom API URL is refused" in result.err
    (key,) = run("keys", "list", "--json").json()  # type: ignore[misc]
    assert key["base_url"] == sim.base_url.rstrip("/")


def test_https_and_a_loopback_port_are_accepted(run: Cli, sim: BybitSimulator) -> None:
    code, _, err = add(run, "https://api.example.com/", "--no-verify")
    assert code == 0, err
    assert sim.request_log == []  # --no-verify: nothing asked
    host, port = sim.address
    assert host == "127.0.0.1"
    result = run(
        "keys",
        "add",
        "--exchange",
        "bybit",
        "--label",
        "Local",
        "--base-url",
        f"http://127.0.0.1:{port}",
        stdin=STDIN_OK,
    )
    assert result.code == 0, result.err
    assert "Key verified with Bybit" in result.out
    assert sim.request_log and {entry.api_key for entry in sim.request_log} == {API_KEY}
    urls = {k["label"]: k["base_url"] for k in run("keys", "list", "--json").json()}  # type: ignore[union-attr]
    assert urls == {"Main": "https://api.example.com", "Local": f"http://127.0.0.1:{port}"}
