"""Run the Bybit V5 simulator from the command line.

python -m cryptact_desktop.venues.bybit.simulator [--seed N] [--size small|medium|large|N] [--port 0]
    [--latency-ms 0] [--rate-limit-scale 1]
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterable

from cryptact_desktop.simulator.kit.command import serve_from_command_line

from .history import generate_account
from .server import BybitSimulator, SimulatedKey

API_KEY = "SIMKEY0001"
API_SECRET = "SIMULATOR_TEST_SECRET_0123456789abcdef"  # noqa: S105 (simulated credential)


def _size(value: str) -> str | int:
    if value.isdigit():
        return int(value)
    if value not in ("tiny", "small", "medium", "large"):
        raise argparse.ArgumentTypeError("size must be tiny, small, medium, large or a number of executions")
    return value


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--uid", type=int, default=100001)


def _build(args: argparse.Namespace) -> BybitSimulator:
    return BybitSimulator(
        accounts=[generate_account(seed=args.seed, size=args.size, uid=args.uid)],
        keys=[SimulatedKey(API_KEY, API_SECRET, args.uid, note="simulator")],
        rate_limit_scale=args.rate_limit_scale,
        latency_ms=args.latency_ms,
        port=args.port,
    )


def _describe(sim: BybitSimulator, args: argparse.Namespace, url: str, took: float) -> Iterable[str]:
    yield f"Bybit V5 simulator on {url} (generated in {took:.1f} s)"
    yield f"  api key: {API_KEY}"
    yield f"  secret:  {API_SECRET}"
    yield f"  uid {args.uid}: {sim.accounts[args.uid]!r}"


def main(argv: list[str] | None = None, stop: threading.Event | None = None) -> int:
    return serve_from_command_line(
        argv,
        stop,
        prog="python -m cryptact_desktop.venues.bybit.simulator",
        description=__doc__,
        sizes=_size,
        options=_options,
        build=_build,
        describe=_describe,
    )


if __name__ == "__main__":
    raise SystemExit(main())
