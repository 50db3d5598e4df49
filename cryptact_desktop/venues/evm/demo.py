"""The EVM demo: an Etherscan-compatible simulator over a seeded wallet, for the GUI's demo mode and
for ``demo-server --exchange ethereum`` (or any other chain's venue id)."""

from __future__ import annotations

import argparse
import threading
import time

from cryptact_desktop.venues.evm.accounts import simulated_wallet
from cryptact_desktop.venues.evm.chains import Chain
from cryptact_desktop.venues.evm.simulator import SIZES
from cryptact_desktop.venues.venue import DemoAccount, DemoExchange

DEMO_SEED = 1


class EvmDemo(DemoExchange):
    """A running simulator with one demo wallet (Etherscan API v2 with the demo key)."""

    def __init__(self, chain: Chain, speed: float) -> None:
        self._running = simulated_wallet(chain, DEMO_SEED, size="small", rate_limit_scale=speed)
        self.base_url = self._running.start()
        self.accounts = (DemoAccount("Demo wallet", self._running.credentials()),)

    def stop(self) -> None:
        self._running.stop()


def serve(chain: Chain, argv: list[str], stop: threading.Event | None = None) -> int:
    """``demo-server --exchange <chain> [--seed N] [--size tiny|small|medium|large] [--port 0]
    [--server etherscan|blockscout] [--rate-limit-scale 1]``: the simulator in the foreground until
    Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog=f"cryptact-desktop demo-server --exchange {chain.id}", description=serve.__doc__
    )
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--server", choices=("etherscan", "blockscout"), default="etherscan")
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--rate-limit-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    running = simulated_wallet(
        chain,
        args.seed,
        size=args.size,
        mode=args.server,
        rate_limit_scale=args.rate_limit_scale,
        latency_ms=args.latency_ms,
        port=args.port,
    )
    url = running.start()
    history = running.history
    fields = running.credentials()
    print(f"{chain.name} explorer API simulator ({args.server}) on {url}")  # noqa: T201
    took = time.monotonic() - started
    print(f"  generated in {took:.1f} s: {len(history.truth)} transactions, {history.row_count()} rows")  # noqa: T201
    print(f"  wallet address: {running.address}")  # noqa: T201
    if "provider_key" in fields:
        print(f"  provider key:   {fields['provider_key']} (a demo key the simulator accepts)")  # noqa: T201
    print(f"  add it with: keys add --exchange {chain.id} --label Demo --base-url {url}")  # noqa: T201
    print("Ctrl-C to stop.", flush=True)  # noqa: T201
    try:
        while not (stop is not None and stop.is_set()):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    return 0
