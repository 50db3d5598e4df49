"""Run the bitFlyer Lightning API simulator from the command line.

python -m cryptact_desktop.venues.bitflyer.simulator [--seed N] [--size tiny|small|medium] [--port 0]
    [--latency-ms 0] [--rate-limit-scale 1]
"""

from __future__ import annotations

import argparse
import threading
import time

from . import SIZES, generate_account
from .server import BitflyerSimulator, SimulatedKey

API_KEY = "SIMBITFLYERKEY01"
API_SECRET = "SIMULATOR_BITFLYER_SECRET_0123456789abcdef="  # noqa: S105 (simulated credential)
ACCOUNT = "main"


def main(argv: list[str] | None = None, stop: threading.Event | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cryptact_desktop.venues.bitflyer.simulator", description=__doc__
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--rate-limit-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    account = generate_account(seed=args.seed, size=args.size)
    sim = BitflyerSimulator(
        {ACCOUNT: account},
        [SimulatedKey(API_KEY, API_SECRET, ACCOUNT, note="simulator")],
        rate_limit_scale=args.rate_limit_scale,
        latency_ms=args.latency_ms,
        port=args.port,
    )
    url = sim.start()
    print(f"bitFlyer Lightning API simulator on {url} (generated in {time.monotonic() - started:.1f} s)")  # noqa: T201
    print(f"  api key: {API_KEY}")  # noqa: T201
    print(f"  secret:  {API_SECRET}")  # noqa: T201
    print(f"  account: {account!r}")  # noqa: T201
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
