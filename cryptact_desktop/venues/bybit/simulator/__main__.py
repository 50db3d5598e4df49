"""Run the Bybit V5 simulator from the command line.

python -m cryptact_desktop.venues.bybit.simulator [--seed N] [--size small|medium|large|N] [--port 0]
    [--latency-ms 0] [--rate-limit-scale 1]
"""

from __future__ import annotations

import argparse
import threading
import time

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


def main(argv: list[str] | None = None, stop: threading.Event | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cryptact_desktop.venues.bybit.simulator", description=__doc__
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=_size, default="small")
    parser.add_argument("--uid", type=int, default=100001)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--rate-limit-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    account = generate_account(seed=args.seed, size=args.size, uid=args.uid)
    sim = BybitSimulator(
        accounts=[account],
        keys=[SimulatedKey(API_KEY, API_SECRET, args.uid, note="simulator")],
        rate_limit_scale=args.rate_limit_scale,
        latency_ms=args.latency_ms,
        port=args.port,
    )
    url = sim.start()
    print(f"Bybit V5 simulator on {url} (generated in {time.monotonic() - started:.1f} s)")  # noqa: T201
    print(f"  api key: {API_KEY}")  # noqa: T201
    print(f"  secret:  {API_SECRET}")  # noqa: T201
    print(f"  uid {args.uid}: {account!r}")  # noqa: T201
    print("Ctrl-C to stop.", flush=True)  # noqa: T201
    try:
        while not (stop is not None and stop.is_set()):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
