"""Run the Binance API simulator from the command line.

python -m cryptact_desktop.venues.binance.simulator [--seed N] [--size tiny|small|medium] [--port 0]
    [--latency-ms 0] [--rate-limit-scale 1]
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterable

from cryptact_desktop.simulator.kit.command import serve_from_command_line

from . import SIZES, generate_account
from .server import BinanceSimulator, SimulatedKey

API_KEY = "SimBinanceKey00000000000000000000000000000000000000000000000001"
API_SECRET = "SimBinanceSecret0000000000000000000000000000000000000000000001"  # noqa: S105 (simulated)
ACCOUNT = "main"


def _build(args: argparse.Namespace) -> BinanceSimulator:
    return BinanceSimulator(
        {ACCOUNT: generate_account(seed=args.seed, size=args.size)},
        [SimulatedKey(API_KEY, API_SECRET, ACCOUNT, note="simulator")],
        rate_limit_scale=args.rate_limit_scale,
        latency_ms=args.latency_ms,
        port=args.port,
    )


def _describe(sim: BinanceSimulator, args: argparse.Namespace, url: str, took: float) -> Iterable[str]:
    yield f"Binance API simulator on {url} (generated in {took:.1f} s)"
    yield f"  api key: {API_KEY}"
    yield f"  secret:  {API_SECRET}"
    yield f"  account: {sim.accounts[ACCOUNT]!r}"


def main(argv: list[str] | None = None, stop: threading.Event | None = None) -> int:
    return serve_from_command_line(
        argv,
        stop,
        prog="python -m cryptact_desktop.venues.binance.simulator",
        description=__doc__,
        sizes=SIZES,
        build=_build,
        describe=_describe,
    )


if __name__ == "__main__":
    raise SystemExit(main())
