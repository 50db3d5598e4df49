"""The EVM venues' demo: every chain's simulator starts with a demo wallet the connector syncs, and
``demo-server`` runs until told to stop."""

from __future__ import annotations

import threading

import pytest

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.venues import evm
from cryptact_desktop.venues.evm.chains import CHAINS, Chain
from cryptact_desktop.venues.evm.demo import EvmDemo
from cryptact_desktop.venues.registry import make_connector

CHAIN_VENUES = [evm.ETHEREUM, evm.POLYGON, evm.ARBITRUM, evm.OPTIMISM, evm.BASE, evm.BNB]


def test_only_ethereum_joins_the_gui_demo_and_every_chain_serves() -> None:
    assert [v.id for v in CHAIN_VENUES if v.demo is not None] == ["ethereum"]
    assert all(v.serve is not None for v in CHAIN_VENUES)


@pytest.mark.parametrize("chain", CHAINS, ids=[c.id for c in CHAINS])
def test_the_demo_wallet_verifies_against_the_demo_simulator(chain: Chain) -> None:
    demo = EvmDemo(chain, 50.0)
    venue = next(v for v in CHAIN_VENUES if v.id == chain.id)
    try:
        (account,) = demo.accounts
        connector = make_connector(
            venue.id,
            "custom",
            demo.base_url,
            Credentials.from_fields(account.credentials),
            rate_limit_scale=50.0,
        )
        assert connector.verify_key().read_only
    finally:
        demo.stop()


def test_demo_server_serves_until_stopped(capsys: pytest.CaptureFixture[str]) -> None:
    serve = evm.POLYGON.serve
    assert serve is not None
    stop = threading.Event()
    result: list[int] = []

    def run() -> None:
        result.append(serve(["--size", "tiny", "--server", "blockscout"], stop))

    thread = threading.Thread(target=run)
    thread.start()
    for _ in range(100):
        if "Ctrl-C" in capsys.readouterr().out:
            break
        thread.join(0.05)
    stop.set()
    thread.join(10)
    assert result == [0]
