"""The Bitcoin demo: an Esplora simulator over a seeded wallet, for the GUI's demo mode and for
``demo-server --exchange bitcoin``."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterable

from cryptact_desktop.i18n import translatable
from cryptact_desktop.simulator.kit.command import serve_from_command_line
from cryptact_desktop.venues.bitcoin.accounts import SimulatedWallet, simulated_wallet
from cryptact_desktop.venues.bitcoin.simulator import SIZES
from cryptact_desktop.venues.venue import DemoAccount, SimulatorDemo

DEMO_SEED = 1


class BitcoinDemo(SimulatorDemo):
    """A running simulator with one demo wallet (an account key, ``zpub``)."""

    def __init__(self, speed: float) -> None:
        running = simulated_wallet(DEMO_SEED, size="small", rate_limit_scale=speed)
        super().__init__(
            running, (DemoAccount(translatable("demo", "Demo wallet"), {"address": running.wallet_text}),)
        )


def _build(args: argparse.Namespace) -> SimulatedWallet:
    return simulated_wallet(
        args.seed,
        size=args.size,
        rate_limit_scale=args.rate_limit_scale,
        latency_ms=args.latency_ms,
        port=args.port,
    )


def _describe(running: SimulatedWallet, args: argparse.Namespace, url: str, took: float) -> Iterable[str]:
    chain = running.chain
    yield f"Esplora (Bitcoin) API simulator on {url} (generated in {took:.1f} s)"
    yield f"  wallet (zpub): {running.wallet_text}"
    yield f"  transactions:  {len(chain.wallet_transactions())} confirmed, {len(chain.mempool)} unconfirmed"
    yield "  add it with: keys add --exchange bitcoin --label Demo --base-url " + url


def serve(argv: list[str], stop: threading.Event | None = None) -> int:
    """``demo-server --exchange bitcoin [--seed N] [--size tiny|small|medium] [--port 0]
    [--rate-limit-scale 1]``: the simulator in the foreground until Ctrl-C."""
    return serve_from_command_line(
        argv,
        stop,
        prog="cryptact-desktop demo-server --exchange bitcoin",
        description=serve.__doc__,
        sizes=SIZES,
        build=_build,
        describe=_describe,
        default_seed=DEMO_SEED,
    )
