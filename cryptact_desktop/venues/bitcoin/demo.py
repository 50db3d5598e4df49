"""The Bitcoin demo: an Esplora simulator over a seeded wallet, for the GUI's demo mode and for
``demo-server --exchange bitcoin``."""

from __future__ import annotations

import argparse
import threading
import time

from cryptact_desktop.venues.bitcoin.accounts import simulated_wallet
from cryptact_desktop.venues.bitcoin.simulator import SIZES
from cryptact_desktop.venues.venue import DemoAccount, DemoExchange

DEMO_SEED = 1


class BitcoinDemo(DemoExchange):
    """A running simulator with one demo wallet (an account key, ``zpub``)."""

    def __init__(self, speed: float) -> None:
        self._running = simulated_wallet(DEMO_SEED, size="small", rate_limit_scale=speed)
        self.base_url = self._running.start()
        self.accounts = (DemoAccount("Demo wallet", {"address": self._running.wallet_text}),)

    def stop(self) -> None:
        self._running.stop()


def serve(argv: list[str], stop: threading.Event | None = None) -> int:
    """``demo-server --exchange bitcoin [--seed N] [--size tiny|small|medium] [--port 0]
    [--rate-limit-scale 1]``: the simulator in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="cryptact-desktop demo-server --exchange bitcoin", description=serve.__doc__
    )
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--rate-limit-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    running = simulated_wallet(
        args.seed,
        size=args.size,
        rate_limit_scale=args.rate_limit_scale,
        latency_ms=args.latency_ms,
        port=args.port,
    )
    url = running.start()
    chain = running.chain
    print(f"Esplora (Bitcoin) API simulator on {url} (generated in {time.monotonic() - started:.1f} s)")  # noqa: T201
    print(f"  wallet (zpub): {running.wallet_text}")  # noqa: T201
    print(f"  transactions:  {len(chain.wallet_transactions())} confirmed, {len(chain.mempool)} unconfirmed")  # noqa: T201
    print("  add it with: keys add --exchange bitcoin --label Demo --base-url " + url)  # noqa: T201
    print("Ctrl-C to stop.", flush=True)  # noqa: T201
    try:
        while not (stop is not None and stop.is_set()):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    return 0
