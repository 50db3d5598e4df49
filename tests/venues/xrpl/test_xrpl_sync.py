"""XRP Ledger syncs against the rippled simulator, checked against the truth the history was made
from (not the app's own normaliser): every transaction once with the right kind and amounts, a
refused paging marker restarting from the last stored ledger without duplicates, a resync that
reads only the new ledgers, an account never funded, pacing under the server's limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import FailureKind, SyncFailure
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.records import TransactionKind
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus, NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.sync.connector import TimeWindow
from cryptact_desktop.venues.registry import make_connector
from cryptact_desktop.venues.xrpl import normalize
from cryptact_desktop.venues.xrpl.accounts import SimulatedLedger, simulated_ledger
from cryptact_desktop.venues.xrpl.catalogue import ACCOUNT_TX, FIRST_LEDGER_MS
from cryptact_desktop.venues.xrpl.connector import Cursor, XrplConnector
from cryptact_desktop.venues.xrpl.harness import entry_v1
from cryptact_desktop.venues.xrpl.simulator.ledger import made_up_address
from cryptact_desktop.venues.xrpl.simulator.server import _render

SCALE = 50.0


@pytest.fixture
def ledger() -> Iterator[SimulatedLedger]:
    running = simulated_ledger(7, size="small", rate_limit_scale=SCALE)
    running.start()
    yield running
    running.stop()


def make_service(tmp_path: Path, scale: float = SCALE) -> AppService:
    factory = partial(make_connector, rate_limit_scale=scale)
    return AppService(Store(tmp_path / "db.sqlite"), SecretStore(MemoryKeyring()), connector_factory=factory)


def add_wallet(service: AppService, running: SimulatedLedger, address: str = "", **extra: Any) -> int:
    credentials = Credentials.from_fields({"address": address or running.address})
    key = service.add_key(
        NewKey(
            exchange="xrpl",
            label="Wallet",
            host_id="custom",
            base_url=running.base_url,
            endpoints=("transactions",),
            key_hint="r…",
            **extra,
        ),
        credentials,
    )
    return key.id


def connector(running: SimulatedLedger) -> XrplConnector:
    made = make_connector(
        "xrpl",
        "custom",
        running.base_url,
        Credentials.from_fields({"address": running.address}),
        rate_limit_scale=SCALE,
    )
    assert isinstance(made, XrplConnector)
    return made


def account_tx_calls(running: SimulatedLedger) -> list[dict[str, Any]]:
    return [params for method, params in running.simulator.calls if method == "account_tx"]


def test_a_full_sync_matches_the_truth_of_every_transaction(tmp_path: Path, ledger: SimulatedLedger) -> None:
    service = make_service(tmp_path)
    key_id = add_wallet(service, ledger)
    assert service.sync_key(key_id).ok
    stored = {view.exchange_id: view for view in service.store.transactions()}
    truth = {h: t for h, t in ledger.history.truth.items() if t.kind != "none"}
    assert set(stored) == set(truth)
    assert len(service.store.transactions()) == len(truth)  # each once
    for tx_hash, expected in truth.items():
        view = stored[tx_hash]
        assert view.kind == expected.kind, (tx_hash, view, expected)
        assert Decimal(view.amount) == expected.amount, (view, expected)
        assert view.base == expected.asset
        assert Decimal(view.fee or "0") == (expected.fee if expected.kind != "fee" else Decimal(0))
        if expected.kind == "convert":
            assert (view.quote, Decimal(view.counter_amount)) == (
                expected.counter_asset,
                expected.counter_amount,
            )
        assert view.tx_hash == tx_hash and view.network == "XRP"
    kinds = {t.kind for t in truth.values()}
    assert kinds == {"deposit", "withdrawal", "convert", "fee"}
    partial_payments = [v for v in stored.values() if "partial" in v.note]
    assert partial_payments and all(v.kind == TransactionKind.DEPOSIT.value for v in partial_payments)
    assert any(v.note.startswith("Payment tag ") for v in stored.values())
    assert any(" tec" in v.note for v in stored.values())
    # Forward marker paging: every page after the first carried the previous page's marker.
    calls = account_tx_calls(ledger)
    assert len(calls) > 10 and all(c["forward"] is True and c["ledger_index_max"] == -1 for c in calls)
    assert calls[0]["ledger_index_min"] == -1 and "marker" not in calls[0]
    assert all("marker" in c for c in calls[1:])


def test_a_refused_marker_restarts_from_the_last_stored_ledger_without_duplicates(
    ledger: SimulatedLedger,
) -> None:
    client = connector(ledger)
    window = TimeWindow(FIRST_LEDGER_MS, int(time.time() * 1000))
    first = client.fetch_page(ACCOUNT_TX, window, None, lambda: False)
    second = client.fetch_page(ACCOUNT_TX, window, first.next_cursor, lambda: False)
    ledger.simulator.expire_markers()  # ten minutes pass
    third = client.fetch_page(ACCOUNT_TX, window, second.next_cursor, lambda: False)
    assert ledger.simulator.markers_refused == 1
    refused, restarted = account_tx_calls(ledger)[-2:]
    assert "marker" in refused and "marker" not in restarted
    last_stored = Cursor.decode(second.next_cursor).after
    assert last_stored is not None and restarted["ledger_index_min"] == last_stored[0]
    wallet = ledger.history.entries_of(ledger.address)
    order = [entry["hash"] for entry in wallet]
    seen = [r.exchange_id for page in (first, second, third) for r in page.records]
    kept = [h for h in order if ledger.history.truth[h].kind != "none"]
    assert set(seen) == set(kept[: len(seen)])  # nothing skipped
    assert len(seen) == len(set(seen)) and len(third.records) > 0  # nothing twice


def test_a_sync_whose_every_marker_expires_still_stores_everything_once(tmp_path: Path) -> None:
    running = simulated_ledger(8, size="small", rate_limit_scale=SCALE)
    running.simulator.marker_ttl = 0.0
    running.start()
    try:
        service = make_service(tmp_path)
        key_id = add_wallet(service, running)
        assert service.sync_key(key_id).ok
    finally:
        running.stop()
    truth = {h for h, t in running.history.truth.items() if t.kind != "none"}
    assert {v.exchange_id for v in service.store.transactions()} == truth
    assert len(service.store.transactions()) == len(truth)
    assert running.simulator.markers_refused >= 10


def test_a_resync_reads_only_the_ledgers_after_the_last_one_read(
    tmp_path: Path, ledger: SimulatedLedger
) -> None:
    wallet = ledger.history.entries_of(ledger.address)
    cut = wallet[150]["ledger_index"]
    ledger.simulator.tip = cut - 1  # the newest validated ledger, for now
    service = make_service(tmp_path)
    key_id = add_wallet(service, ledger)
    first = service.sync_key(key_id)
    assert first.ok
    before = len(service.store.transactions())
    calls_before = len(account_tx_calls(ledger))
    ledger.simulator.tip = ledger.history.tip  # later ledgers close
    second = service.sync_key(key_id)
    assert second.ok
    later = [e for e in wallet if e["ledger_index"] >= cut and ledger.history.truth[e["hash"]].kind != "none"]
    assert second.new_records == len(later) > 0
    assert len(service.store.transactions()) == before + len(later)
    resumed = account_tx_calls(ledger)[calls_before]
    assert resumed["ledger_index_min"] == cut - 1 and "marker" not in resumed


def test_an_address_never_funded_verifies_with_a_warning_and_has_no_history(
    tmp_path: Path, ledger: SimulatedLedger
) -> None:
    unfunded = made_up_address("never funded")
    service = make_service(tmp_path)
    verification = service.verify(
        "xrpl", "custom", ledger.base_url, Credentials.from_fields({"address": unfunded})
    )
    assert verification.valid and verification.read_only
    assert any("activated" in warning for warning in verification.warnings)
    key_id = add_wallet(service, ledger, unfunded)
    result = service.sync_key(key_id)
    assert result.ok and result.new_records == 0


def test_the_key_check_names_a_wrong_server(tmp_path: Path) -> None:
    running = simulated_ledger(9, size="tiny", mode="jsonrpc2", rate_limit_scale=SCALE)
    running.start()
    try:
        with pytest.raises(SyncFailure) as refused:
            make_service(tmp_path).verify(
                "xrpl", "custom", running.base_url, Credentials.from_fields({"address": running.address})
            )
    finally:
        running.stop()
    assert refused.value.kind is FailureKind.WRONG_SERVER
    assert refused.value.failure.code == "-32601"


def test_a_partial_history_server_is_a_named_gap(tmp_path: Path) -> None:
    running = simulated_ledger(10, size="tiny", mode="partial_history", rate_limit_scale=SCALE)
    running.start()
    try:
        service = make_service(tmp_path)
        key_id = add_wallet(service, running)
        service.sync_key(key_id)
    finally:
        running.stop()
    (state,) = service.store.get_key(key_id).endpoints
    assert state.status is EndpointStatus.FAILED and state.failure is not None
    assert state.failure.code == "incomplete history"
    assert str(running.simulator.first_ledger) in state.failure.message
    assert "full-history" in state.failure.message
    assert service.store.count_transactions() == 0


def test_a_later_start_keeps_only_what_follows_it(tmp_path: Path, ledger: SimulatedLedger) -> None:
    wallet = [
        e for e in ledger.history.entries_of(ledger.address) if ledger.history.truth[e["hash"]].kind != "none"
    ]
    start_ms = normalize.time_ms(entry_v1(wallet[100]))
    service = make_service(tmp_path)
    key_id = add_wallet(service, ledger, sync_from_ms=start_ms)
    assert service.sync_key(key_id).ok
    stored = {v.exchange_id for v in service.store.transactions()}
    assert stored == {e["hash"] for e in wallet if normalize.time_ms(entry_v1(e)) >= start_ms}


def test_requests_stay_under_the_servers_limit(tmp_path: Path) -> None:
    scale = 10.0  # the simulator's limit and our pace, both ten times the real one
    running = simulated_ledger(11, size="small", rate_limit_scale=scale)
    running.start()
    try:
        service = make_service(tmp_path, scale)
        key_id = add_wallet(service, running)
        assert service.sync_key(key_id).ok
    finally:
        running.stop()
    assert len(account_tx_calls(running)) > 20
    assert running.simulator.refusals == 0


def test_api_v2_answers_read_the_same_as_api_v1(ledger: SimulatedLedger) -> None:
    parse = normalize.transaction(ledger.address)
    wallet = ledger.history.entries_of(ledger.address)
    for entry in wallet:
        v1, v2 = _render(entry, 1), _render(entry, 2)
        assert "tx_json" in v2 and "tx" in v1
        assert parse(v1).record == parse(v2).record
    payments = [e for e in wallet if e["tx"]["TransactionType"] == "Payment"]
    assert "DeliverMax" in _render(payments[0], 2)["tx_json"]


def test_a_synced_wallet_exports_valid_rows_fees_as_losses_and_sends_as_sendfee(
    tmp_path: Path, ledger: SimulatedLedger
) -> None:
    from cryptact_desktop.export.cryptact import export_cryptact, validate_file

    service = make_service(tmp_path)
    key_id = add_wallet(service, ledger)
    assert service.sync_key(key_id).ok
    out = tmp_path / "xrpl.csv"
    report = export_cryptact(service.store, out)
    assert report.ok and validate_file(out) == []
    rows = [line.split(",") for line in out.read_text().splitlines()[1:]]
    actions = {row[1] for row in rows}
    assert {"SENDFEE", "LOSS", "BUY"} <= actions
    sendfees = [row for row in rows if row[1] == "SENDFEE"]
    assert all(row[3] == "XRP" for row in sendfees)
    truth = ledger.history.truth.values()
    assert len(sendfees) == sum(1 for t in truth if t.kind == "withdrawal")
    assert sum(1 for row in rows if row[1] == "LOSS") == sum(1 for t in truth if t.kind == "fee")
    assert sum(1 for row in rows if row[1] == "BUY") == sum(1 for t in truth if t.kind == "convert")


def test_the_key_check_warns_about_a_partial_history_server(tmp_path: Path) -> None:
    running = simulated_ledger(12, size="tiny", mode="partial_history", rate_limit_scale=SCALE)
    running.start()
    try:
        verification = make_service(tmp_path).verify(
            "xrpl", "custom", running.base_url, Credentials.from_fields({"address": running.address})
        )
    finally:
        running.stop()
    assert verification.valid
    (warning,) = verification.warnings
    assert str(running.simulator.first_ledger) in warning and "full-history" in warning


def test_a_transaction_not_yet_validated_is_left_for_the_next_sync(ledger: SimulatedLedger) -> None:
    client = connector(ledger)
    wallet = ledger.history.entries_of(ledger.address)[:5]
    entries = [entry_v1(e) for e in wallet]
    entries[3]["validated"] = False
    result = {"ledger_index_min": 32570, "ledger_index_max": 90_000_000, "transactions": entries}
    window = TimeWindow(FIRST_LEDGER_MS, int(time.time() * 1000))
    page = client.parse_page(ACCOUNT_TX, window, None, result)
    kept = [r.exchange_id for r in page.records]
    assert kept == [e["hash"] for e in wallet[:3] if ledger.history.truth[e["hash"]].kind != "none"]
    assert page.next_cursor is None and page.unsettled_ms == normalize.time_ms(entries[3])
    resume = Cursor.decode(page.resume_cursor)
    assert resume.start == wallet[3]["ledger_index"]
    assert resume.after == (wallet[2]["ledger_index"], wallet[2]["meta"]["TransactionIndex"])


def test_a_server_behind_the_last_ledger_read_has_nothing_new_yet(
    tmp_path: Path, ledger: SimulatedLedger
) -> None:
    service = make_service(tmp_path)
    key_id = add_wallet(service, ledger)
    assert service.sync_key(key_id).ok
    stored = len(service.store.transactions())
    ledger.simulator.tip = ledger.history.tip - 10  # another server, a few ledgers behind
    calls = len(account_tx_calls(ledger))
    again = service.sync_key(key_id)
    assert again.ok and again.new_records == 0
    assert len(account_tx_calls(ledger)) == calls + 1  # no walk from the start again
    ledger.simulator.tip = ledger.history.tip
    assert service.sync_key(key_id).ok
    assert account_tx_calls(ledger)[-1]["ledger_index_min"] == ledger.history.tip
    assert len(service.store.transactions()) == stored


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        ("actMalformed", FailureKind.INVALID_ADDRESS),
        ("unknownCmd", FailureKind.WRONG_SERVER),
        ("lgrIdxMalformed", FailureKind.REQUEST_REJECTED),
    ],
)
def test_a_server_refusal_is_a_human_failure_with_its_error_name(
    tmp_path: Path, error: str, kind: FailureKind
) -> None:
    from cryptact_desktop.simulator.kit import Fault, FaultPlan
    from cryptact_desktop.venues.xrpl.simulator.server import ERRORS

    running = simulated_ledger(13, size="tiny", rate_limit_scale=SCALE)
    running.simulator.faults = FaultPlan(
        [Fault(path="/account_tx", kind="ret_code", ret_code=ERRORS[error][0])]
    )
    running.start()
    try:
        service = make_service(tmp_path)
        key_id = add_wallet(service, running)
        assert not service.sync_key(key_id).ok
    finally:
        running.stop()
    (state,) = service.store.get_key(key_id).endpoints
    assert state.status is EndpointStatus.FAILED and state.failure is not None
    assert (state.failure.kind, state.failure.code) == (kind, error)
    assert state.failure.message and state.failure.hint
    assert running.address not in state.failure.message + state.failure.hint


def test_a_cursor_survives_its_text_form() -> None:
    cursor = Cursor(91_000_000, (91_000_000, 7), {"ledger": 91_000_001, "seq": 3}, 1_700_000_000_000)
    assert Cursor.decode(cursor.encode()) == cursor
    assert Cursor.decode(None).fresh and Cursor.decode("").fresh
    assert cursor.without_marker() == Cursor(91_000_000, (91_000_000, 7), None, 1_700_000_000_000)
    for broken in ("[]", '{"from": -5}', '{"after": [1]}', "not json"):
        with pytest.raises(ValueError):
            Cursor.decode(broken)
