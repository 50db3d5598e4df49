"""The XRP Ledger demo: a rippled simulator over a seeded wallet, for the GUI's demo mode and for
``demo-server --exchange xrpl``."""

from __future__ import annotations

import argparse
import threading
import time

from cryptact_desktop.venues.venue import DemoAccount, DemoExchange
from cryptact_desktop.venues.xrpl.accounts import simulated_ledger
from cryptact_desktop.venues.xrpl.simulator import MODES, SIZES

DEMO_SEED = 1


class XrplDemo(DemoExchange):
    """A running simulator with one demo wallet."""

    def __init__(self, speed: float) -> None:
        self._running = simulated_ledger(DEMO_SEED, size="small", rate_limit_scale=speed)
        self.base_url = self._running.start()
        self.accounts = (DemoAccount("Demo XRP wallet", {"address": self._running.address}),)

    def stop(self) -> None:
        self._running.stop()


def serve(argv: list[str], stop: threading.Event | None = None) -> int:
    """``demo-server --exchange xrpl [--seed N] [--size tiny|small|medium] [--port 0]
    [--mode rippled|partial_history|…] [--rate-limit-scale 1]``: the simulator in the foreground
    until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="cryptact-desktop demo-server --exchange xrpl", description=serve.__doc__
    )
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", choices=MODES, default="rippled")
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--rate-limit-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    running = simulated_ledger(
        args.seed,
        size=args.size,
        mode=args.mode,
        rate_limit_scale=args.rate_limit_scale,
        latency_ms=args.latency_ms,
        port=args.port,
    )
    url = running.start()
    history = running.history
    kinds: dict[str, int] = {}
    for truth in history.truth.values():
        kinds[truth.kind] = kinds.get(truth.kind, 0) + 1
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    took = time.monotonic() - started
    print(f"rippled (XRP Ledger) JSON-RPC simulator on {url} (generated in {took:.1f} s)")  # noqa: T201
    print(f"  wallet:        {running.address}")  # noqa: T201
    ledgers = f"ledgers {history.first_ledger}-{history.tip}"
    print(f"  transactions:  {len(history.entries)} ({summary}); {ledgers}")  # noqa: T201
    print("  add it with: keys add --exchange xrpl --label Demo --base-url " + url)  # noqa: T201
    print("Ctrl-C to stop.", flush=True)  # noqa: T201
    try:
        while not (stop is not None and stop.is_set()):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    return 0
