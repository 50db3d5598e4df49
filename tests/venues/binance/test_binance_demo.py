"""``demo-server --exchange binance`` (Venue.serve) and the demo mode (Venue.demo)."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

import pytest

import cryptact_desktop
from cryptact_desktop import cli, redaction
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import FailureKind, SyncFailure
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.sync.engine import SyncProgress
from cryptact_desktop.venues.binance.catalogue import BINANCE
from cryptact_desktop.venues.binance.simulator import DEMO_ACCOUNT
from cryptact_desktop.venues.binance.streams import parser
from cryptact_desktop.venues.binance.truth import client_lists, reachable
from cryptact_desktop.venues.registry import CUSTOM_HOST, make_connector, venue

ROOT = Path(cryptact_desktop.__file__).parent.parent


def test_the_demo_mode_offers_a_working_key_and_a_broken_one() -> None:
    factory = venue("binance").demo
    assert factory is not None
    demo = factory(50.0)
    try:
        good, broken = demo.accounts
        checked = make_connector(
            "binance",
            "custom",
            demo.base_url,
            Credentials.from_fields(good.credentials),
            rate_limit_scale=50.0,
        ).verify_key()
        assert checked.valid and checked.read_only is True
        with pytest.raises(SyncFailure) as refused:
            make_connector(
                "binance",
                "custom",
                demo.base_url,
                Credentials.from_fields(broken.credentials),
                rate_limit_scale=50.0,
            ).verify_key()
        assert refused.value.kind is FailureKind.SIGNATURE
    finally:
        demo.stop()


def test_the_demo_keys_sync_from_the_accounts_opening_and_miss_nothing(tmp_path: Path) -> None:
    # Binance allows two fiat requests a minute, reaching back to January 2019: a demo key that
    # synced from there waited minutes for them. The demo keys sync from the account's opening, as
    # the endpoint's hint advises, and still get every record the account holds.
    speed = 10.0  # the GUI demo's
    demo = venue("binance").demo(speed)  # type: ignore[misc]
    store = Store(tmp_path / "demo.db")
    try:
        simulator = demo._simulator  # type: ignore[attr-defined]
        account = simulator.accounts[DEMO_ACCOUNT]
        good = demo.accounts[0]
        assert good.sync_from_ms == account.activity.plan.start_ms
        assert all(other.sync_from_ms == good.sync_from_ms for other in demo.accounts)
        service = AppService(
            store,
            SecretStore(MemoryKeyring()),
            connector_factory=partial(make_connector, rate_limit_scale=speed),
        )
        endpoints = tuple(e.id for e in BINANCE.endpoints if e.default_enabled)
        credentials = Credentials.from_fields(good.credentials)
        new = NewKey(
            "binance",
            good.label,
            CUSTOM_HOST,
            endpoints,
            base_url=demo.base_url,
            sync_from_ms=good.sync_from_ms,
            key_hint=credentials.key_hint,
        )
        key = service.add_key(new, credentials).id
        simulator.request_log.clear()
        result = service.sync_key(key)
        assert result.ok, [(o.endpoint, o.failure) for o in result.outcomes if o.failure]
        fiat_requests = sum(1 for entry in simulator.request_log if "/sapi/v1/fiat/orders" in entry.path)
        assert 0 < fiat_requests <= 20  # within the first minute's budget at demo speed: no wait
        stored = store.transaction_identities(key)
        wanted: set[tuple[str, str]] = set()
        for endpoint in endpoints:
            for stream_id, records in client_lists(account, endpoint).items():
                parse = parser(stream_id)
                for raw, _time_ms in reachable(account, stream_id, records, simulator.server_time_ms()):
                    parsed = parse(raw).record
                    if parsed is not None:
                        wanted.add((endpoint, parsed.exchange_id))
        assert any(endpoint == "fiat" for endpoint, _ in wanted)
        assert stored == wanted
    finally:
        store.close()
        demo.stop()


def test_a_long_wait_for_the_fiat_rate_limit_is_reported_while_it_lasts(tmp_path: Path) -> None:
    # From January 2019 the fiat history is ~33 windows a stream, two requests a minute (twenty at
    # the demo's speed): the progress says how long at least, so "syncing" does not look stuck.
    speed = 10.0
    demo = venue("binance").demo(speed)  # type: ignore[misc]
    store = Store(tmp_path / "wait.db")
    try:
        service = AppService(
            store,
            SecretStore(MemoryKeyring()),
            connector_factory=partial(make_connector, rate_limit_scale=speed),
        )
        credentials = Credentials.from_fields(demo.accounts[0].credentials)
        new = NewKey("binance", "from 2019", CUSTOM_HOST, ("fiat",), base_url=demo.base_url)
        key = service.add_key(new, credentials).id
        seen: list[SyncProgress] = []
        result = service.sync_key(
            key,
            on_progress=seen.append,
            should_stop=lambda: any(p.seconds_left >= 60 for p in seen),
        )
        waits = [p.seconds_left for p in seen if p.seconds_left > 0]
        assert waits and all(p.endpoint == "fiat" for p in seen if p.seconds_left > 0)
        # 2 x 33 windows, the first minute's 20 requests at once: about 2 minutes at the least.
        assert 60 <= max(waits) <= 140
        assert result.cancelled  # stopped here (what it fetched is kept, a resync resumes)
    finally:
        store.close()
        demo.stop()


def _banner(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    done = threading.Event()

    def reader() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "Ctrl-C to stop." in line:
                break
        done.set()

    threading.Thread(target=reader, daemon=True).start()
    done.wait(90)
    return "".join(lines)


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="needs SIGINT")
def test_demo_server_runs_binances_simulator_and_the_cli_can_use_it(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "cryptact_desktop", "demo-server", "--exchange", "binance"]
    argv += ["--port", "0", "--size", "tiny", "--rate-limit-scale", "50"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRYPTACT_")}
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        banner = _banner(process)
        url = re.search(r"simulator on (http://127\.0\.0\.1:\d+)", banner)
        api_key = re.search(r"api key: (\S+)", banner)
        secret = re.search(r"secret: +(\S+)", banner)
        assert url and api_key and secret, banner
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(
            [
                "--data-dir",
                str(tmp_path / "data"),
                "keys",
                "add",
                "--exchange",
                "binance",
                "--label",
                "Demo",
                "--host",
                "custom",
                "--base-url",
                url[1],
            ],
            secrets=SecretStore(MemoryKeyring()),
            stdin=io.StringIO(f"{api_key[1]}\n{secret[1]}\n"),
            stdout=out,
            stderr=err,
        )
        assert code == 0, err.getvalue()
        assert "Key verified with Binance" in out.getvalue()
        redaction.forget_secret(api_key[1])
        redaction.forget_secret(secret[1])
    finally:
        process.send_signal(signal.SIGINT)
        try:
            exit_code = process.wait(timeout=30)
        finally:
            process.kill()
            process.communicate()
        redaction.reset_logging()
    assert exit_code == 0
