"""``demo-server --exchange ID``: a venue's simulator through the registry (Venue.serve)."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from test_cli import Cli

import cryptact_desktop
from cryptact_desktop import cli, redaction
from cryptact_desktop.venues import registry
from cryptact_desktop.venues.venue import Venue

ROOT = Path(cryptact_desktop.__file__).parent.parent


@pytest.fixture(autouse=True)
def _clean_process_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (cli.ENV_API_KEY, cli.ENV_API_SECRET, cli.ENV_API_PASSPHRASE, "CRYPTACT_DESKTOP_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    yield
    redaction.reset_logging()


def _read_banner(process: subprocess.Popen[str], timeout_s: float = 60) -> str:
    """The simulator's lines up to "Ctrl-C to stop." (read on a thread: readline blocks)."""
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
    done.wait(timeout_s)
    return "".join(lines)


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="needs SIGINT")
def test_demo_server_runs_bybits_simulator_and_the_cli_can_use_it(tmp_path: Path) -> None:
    """The real entry point in its own process; its printed URL, key and secret add a working key."""
    argv = [sys.executable, "-m", "cryptact_desktop", "demo-server", "--exchange", "bybit"]
    argv += ["--port", "0", "--size", "tiny", "--uid", "424242"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRYPTACT_")}
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        banner = _read_banner(process)
        url = re.search(r"simulator on (http://127\.0\.0\.1:\d+)", banner)
        api_key = re.search(r"api key: (\S+)", banner)
        secret = re.search(r"secret: +(\S+)", banner)
        assert url and api_key and secret, banner

        run = Cli(tmp_path / "data")
        added = run(
            "keys",
            "add",
            "--exchange",
            "bybit",
            "--label",
            "Demo",
            "--base-url",
            url[1],
            stdin=f"{api_key[1]}\n{secret[1]}\n",
        )
        assert added.code == 0, added.err
        assert "Key verified with Bybit" in added.out
        assert "424242" in added.out  # --uid reached the simulator
        redaction.forget_secret(api_key[1])
        redaction.forget_secret(secret[1])
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        finally:
            process.kill()
            process.communicate()
    assert code == 0


def test_without_exchange_the_first_venue_with_a_simulator_runs() -> None:
    """Bybit's simulator parses the arguments (and refuses a bad one) before starting any server."""
    out, err = _streams()
    code = cli.main(["demo-server", "--help"], stdout=out, stderr=err)
    assert code == 0
    assert out.getvalue().startswith("usage: cryptact-desktop demo-server [--exchange {bybit,")
    assert "default: bybit" in out.getvalue() and "Bybit simulator" in out.getvalue()
    assert "cryptact_desktop.venues.bybit.simulator" in out.getvalue()  # the simulator's own help
    out, err = _streams()
    assert cli.main(["demo-server", "--size", "enormous"], stdout=out, stderr=err) == 2
    assert "size must be tiny" in err.getvalue()


def _streams() -> tuple[io.StringIO, io.StringIO]:
    return io.StringIO(), io.StringIO()


def test_exchange_choices_come_from_the_venues_with_a_simulator(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[list[str], object]] = []

    def serve(argv: list[str], stop: threading.Event | None) -> int:
        calls.append((argv, stop))
        print("serving", *argv)  # noqa: T201 - what a simulator prints goes to main's stdout
        return 7

    bybit = registry.venue("bybit")
    silent = Venue(info=replace(bybit.info, id="nosim", name="No Sim"), connect=bybit.connect)
    serving = Venue(
        info=replace(bybit.info, id="othersim", name="Other Sim"), connect=bybit.connect, serve=serve
    )
    monkeypatch.setattr(registry, "VENUES", (bybit, silent, serving))

    out, err = _streams()
    assert cli.main(["demo-server", "--exchange", "nosim", "--port", "0"], stdout=out, stderr=err) == 2
    assert "no simulator for the exchange nosim" in err.getvalue()
    assert "Simulators: bybit, othersim" in err.getvalue()
    assert cli.main(["demo-server", "--exchange"], stdout=out, stderr=err) == 2
    assert calls == []

    out, err = _streams()
    code = cli.main(
        ["--json", "demo-server", "--port", "0", "--exchange=othersim", "--seed", "3"], stdout=out, stderr=err
    )
    assert code == 7
    assert calls == [(["--port", "0", "--seed", "3"], None)]
    assert out.getvalue() == "serving --port 0 --seed 3\n"

    listing = io.StringIO()
    assert cli.main(["--help"], stdout=listing, stderr=io.StringIO()) == 0
    assert "--exchange {bybit,othersim} (default bybit)" in " ".join(listing.getvalue().split())
