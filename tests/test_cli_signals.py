"""Ctrl-C and SIGTERM cancel the command line cleanly — while it is still loading, and during a
sync (which winds down and keeps what it fetched) — never with a traceback."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import cli_env, run_cli, start_cli

from cryptact_desktop.venues.bybit.simulator import BybitSimulator, SimulatedKey, generate_account

API_KEY = "SIGNALKEY0001"
SECRET = "SIGNAL-SECRET-00000000000001"
UID = 4343
EXIT_CANCELLED = 4


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
@pytest.mark.parametrize("entry", ["module", "script"])
def test_a_signal_while_the_program_loads_cancels_without_a_traceback(
    tmp_path: Path, sig: signal.Signals, entry: str
) -> None:
    command = (
        [sys.executable, "-m", "cryptact_desktop"]
        if entry == "module"
        else [
            sys.executable,
            "-c",
            "import sys; from cryptact_desktop.__main__ import cli_main; sys.exit(cli_main())",
        ]
    )
    outcomes = set()
    for delay in (0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6):
        child = subprocess.Popen(
            [*command, "--data-dir", str(tmp_path / "data"), "status"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(tmp_path),
            cwd=tmp_path,
        )
        time.sleep(delay)
        child.send_signal(sig)
        out, err = child.communicate(timeout=60)
        ours = ("in cli_main", "cryptact_desktop/cli")  # frames of the program once it runs
        if "Traceback" in err and not any(frame in err for frame in ours):
            # Interrupted before the program's first line ran (Python's own start-up, or the
            # import of the entry module on a loaded machine): nothing of ours could catch it.
            # Once cli_main runs — it loads everything else — no traceback may appear.
            assert "KeyboardInterrupt" in err, (delay, err)
            assert child.returncode != EXIT_CANCELLED, (delay, err)
            continue
        assert "Traceback" not in err, (delay, err)
        # Cancelled by us (4), or by the signal itself before Python could install its handlers,
        # or the command had already finished (0). (Now and then CPython ends a process that was
        # interrupted while importing with SIGINT after our message: still no traceback.)
        assert child.returncode in (EXIT_CANCELLED, -sig, -signal.SIGINT, 0), (delay, child.returncode, err)
        if child.returncode == EXIT_CANCELLED:
            assert err.strip().endswith("Cancelled."), err
        outcomes.add(child.returncode)
    assert EXIT_CANCELLED in outcomes  # the interesting case did happen


@pytest.fixture
def slow_sim() -> Iterator[str]:
    sim = BybitSimulator(
        accounts=[generate_account(seed=3, size="tiny", uid=UID)],
        keys=[SimulatedKey(API_KEY, SECRET, UID)],
        rate_limit_scale=100,
        latency_ms=40,
    )
    url = sim.start()
    try:
        yield url
    finally:
        sim.stop()


def test_sigterm_during_a_sync_cancels_it_cleanly(tmp_path: Path, slow_sim: str) -> None:
    data = tmp_path / "data"
    args = ("keys", "add", "--exchange", "bybit", "--label", "Main", "--no-verify", "--host", "custom")
    added = run_cli(tmp_path, data, *args, "--base-url", slow_sim, stdin=f"{API_KEY}\n{SECRET}\n")
    assert added.returncode == 0, added.stderr
    child = start_cli(tmp_path, data, "sync")
    assert child.stderr is not None
    first = child.stderr.readline()  # a progress line: the sync is running
    assert "pages" in first, first
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=120)
    assert child.returncode == EXIT_CANCELLED, out + err
    assert "Traceback" not in err
    assert "Sync cancelled" in out
    status = run_cli(tmp_path, data, "status", "--json")
    assert '"syncing"' not in status.stdout and '"interrupted"' not in status.stdout
