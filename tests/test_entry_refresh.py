"""Entries stored by an older normaliser are re-derived from their raw records once, at start."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.venues.bybit import normalize

LEDGER_TRADE = {
    "id": "452265_LTCUSDT_157751525051",
    "symbol": "LTCUSDT",
    "category": "linear",
    "side": "Sell",
    "transactionTime": "1710720600000",
    "type": "TRADE",
    "qty": "0.1",
    "currency": "USDT",
    "tradePrice": "91.61",
    "funding": "0",
    "fee": "0.00468105",
    "cashFlow": "0.65",
    "change": "0.64531895",
}


def test_an_old_derivative_ledger_row_becomes_a_realised_pnl_entry_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    key = store.add_key(NewKey(exchange="bybit", label="k", host_id="global", endpoints=("transaction_log",)))
    new = normalize.transaction_log(LEDGER_TRADE).record
    assert new is not None and new.kind.value == "realised_pnl"
    # What the previous normaliser stored: a plain "trade" with none of the entry fields.
    old = dataclasses.replace(new, kind=new.kind.TRADE, pnl="", funding="", note="", mirror_of="")
    store.commit_page(key, "transaction_log", "transaction_log", [old], covered=None)
    store.set_setting("normalizer_version.bybit", "1")

    service = AppService(store, SecretStore(MemoryKeyring()))
    (view,) = store.transactions()
    assert (view.kind, view.pnl, view.funding, view.fee, view.note) == (
        "realised_pnl",
        "0.65",
        "0",
        "0.00468105",
        "trade LTCUSDT",
    )
    assert view.exchange_id == old.exchange_id and view.timestamp_ms == old.timestamp_ms
    assert store.setting("normalizer_version.bybit") == "2"
    assert service.refresh_entries() == 0  # remembered: not done again
    store.close()
