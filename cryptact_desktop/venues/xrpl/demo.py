"""The XRP Ledger demo: a rippled simulator over a seeded wallet, for the GUI's demo mode and for
``demo-server --exchange xrpl``."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterable

from cryptact_desktop.i18n import translatable
from cryptact_desktop.simulator.kit.command import serve_from_command_line
from cryptact_desktop.venues.venue import DemoAccount, SimulatorDemo
from cryptact_desktop.venues.xrpl.accounts import SimulatedLedger, simulated_ledger
from cryptact_desktop.venues.xrpl.simulator import MODES, SIZES

DEMO_SEED = 1


class XrplDemo(SimulatorDemo):
    """A running simulator with one demo wallet."""

    def __init__(self, speed: float) -> None:
        running = simulated_ledger(DEMO_SEED, size="small", rate_limit_scale=speed)
        super().__init__(
            running, (DemoAccount(translatable("demo", "Demo XRP wallet"), {"address": running.address}),)
        )


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mode", choices=MODES, default="rippled")


def _build(args: argparse.Namespace) -> SimulatedLedger:
    return simulated_ledger(
        args.seed,
        size=args.size,
        mode=args.mode,
        rate_limit_scale=args.rate_limit_scale,
        latency_ms=args.latency_ms,
        port=args.port,
    )


def _describe(running: SimulatedLedger, args: argparse.Namespace, url: str, took: float) -> Iterable[str]:
    history = running.history
    kinds: dict[str, int] = {}
    for truth in history.truth.values():
        kinds[truth.kind] = kinds.get(truth.kind, 0) + 1
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    yield f"rippled (XRP Ledger) JSON-RPC simulator on {url} (generated in {took:.1f} s)"
    yield f"  wallet:        {running.address}"
    ledgers = f"ledgers {history.first_ledger}-{history.tip}"
    yield f"  transactions:  {len(history.entries)} ({summary}); {ledgers}"
    yield "  add it with: keys add --exchange xrpl --label Demo --base-url " + url


def serve(argv: list[str], stop: threading.Event | None = None) -> int:
    """``demo-server --exchange xrpl [--seed N] [--size tiny|small|medium] [--port 0]
    [--mode rippled|partial_history|…] [--rate-limit-scale 1]``: the simulator in the foreground
    until Ctrl-C."""
    return serve_from_command_line(
        argv,
        stop,
        prog="cryptact-desktop demo-server --exchange xrpl",
        description=serve.__doc__,
        sizes=SIZES,
        options=_options,
        build=_build,
        describe=_describe,
        default_seed=DEMO_SEED,
    )
