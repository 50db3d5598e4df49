"""The EVM demo: an Etherscan-compatible simulator over a seeded wallet, for the GUI's demo mode and
for ``demo-server --exchange ethereum`` (or any other chain's venue id)."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterable
from functools import partial

from cryptact_desktop.i18n import translatable
from cryptact_desktop.simulator.kit.command import serve_from_command_line
from cryptact_desktop.venues.evm.accounts import SimulatedWallet, simulated_wallet
from cryptact_desktop.venues.evm.chains import Chain
from cryptact_desktop.venues.evm.simulator import SIZES
from cryptact_desktop.venues.venue import DemoAccount, SimulatorDemo

DEMO_SEED = 1


class EvmDemo(SimulatorDemo):
    """A running simulator with one demo wallet (Etherscan API v2 with the demo key)."""

    def __init__(self, chain: Chain, speed: float) -> None:
        running = simulated_wallet(chain, DEMO_SEED, size="small", rate_limit_scale=speed)
        super().__init__(running, (DemoAccount(translatable("demo", "Demo wallet"), running.credentials()),))


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", choices=("etherscan", "blockscout"), default="etherscan")


def _build(chain: Chain, args: argparse.Namespace) -> SimulatedWallet:
    return simulated_wallet(
        chain,
        args.seed,
        size=args.size,
        mode=args.server,
        rate_limit_scale=args.rate_limit_scale,
        latency_ms=args.latency_ms,
        port=args.port,
    )


def _describe(running: SimulatedWallet, args: argparse.Namespace, url: str, took: float) -> Iterable[str]:
    chain = running.chain
    history = running.history
    fields = running.credentials()
    yield f"{chain.name} explorer API simulator ({args.server}) on {url}"
    yield f"  generated in {took:.1f} s: {len(history.truth)} transactions, {history.row_count()} rows"
    yield f"  wallet address: {running.address}"
    if "provider_key" in fields:
        yield f"  provider key:   {fields['provider_key']} (a demo key the simulator accepts)"
    yield f"  add it with: keys add --exchange {chain.id} --label Demo --base-url {url}"


def serve(chain: Chain, argv: list[str], stop: threading.Event | None = None) -> int:
    """``demo-server --exchange <chain> [--seed N] [--size tiny|small|medium|large] [--port 0]
    [--server etherscan|blockscout] [--rate-limit-scale 1]``: the simulator in the foreground until
    Ctrl-C."""
    return serve_from_command_line(
        argv,
        stop,
        prog=f"cryptact-desktop demo-server --exchange {chain.id}",
        description=serve.__doc__,
        sizes=SIZES,
        options=_options,
        build=partial(_build, chain),
        describe=_describe,
        default_seed=DEMO_SEED,
    )
