"""The EVM connector against the Etherscan-compatible simulator: the block-range walk (pages cut
inside a block, a block paged alone, the result window), rate-limit answers, settling, the start
block of a later window and the refusals that end a sync."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import FailureKind, SyncFailure
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.sync.connector import TimeWindow
from cryptact_desktop.venues.evm import errors, normalize
from cryptact_desktop.venues.evm.accounts import SimulatedWallet, simulated_wallet
from cryptact_desktop.venues.evm.catalogue import venue_info
from cryptact_desktop.venues.evm.chains import BASE, ETHEREUM, Chain
from cryptact_desktop.venues.evm.connector import EvmConnector


def now_ms() -> int:
    return int(time.time() * 1000)


@pytest.fixture
def running() -> Iterator[list[SimulatedWallet]]:
    started: list[SimulatedWallet] = []
    yield started
    for item in started:
        item.stop()


def start(started: list[SimulatedWallet], chain: Chain = ETHEREUM, **kwargs: Any) -> SimulatedWallet:
    kwargs.setdefault("rate_limit_scale", 50.0)
    wallet = simulated_wallet(chain, kwargs.pop("seed", 5), **kwargs)
    wallet.start()
    started.append(wallet)
    return wallet


def connector(
    wallet: SimulatedWallet, *, page_size: int = 1000, result_window: int = 10_000, **kwargs: Any
) -> EvmConnector:
    class Small(EvmConnector):
        pass

    Small.page_size = page_size
    Small.result_window = result_window
    fields = wallet.credentials()
    fields.update(kwargs.pop("fields", {}))
    return Small(
        Credentials.from_fields(fields),
        wallet.base_url,
        chain=wallet.chain,
        rate_limit_scale=kwargs.pop("scale", 50.0),
        **kwargs,
    )


V = errors.Verdict
K = FailureKind
STREAM = venue_info(ETHEREUM).endpoints[0].streams[0]


def walk(
    client: EvmConnector, window: TimeWindow | None = None, cursor: str | None = None
) -> tuple[list[NormalizedRecord], str | None, int | None]:
    """Every page from ``cursor``: the records, the resume cursor and the first unsettled time."""
    window = window or TimeWindow(ETHEREUM.genesis_ms, now_ms())
    records: list[NormalizedRecord] = []
    unsettled: int | None = None
    for _ in range(10_000):
        page = client.fetch_page(STREAM, window, cursor, lambda: False)
        records.extend(page.records)
        if page.unsettled_ms is not None:
            unsettled = page.unsettled_ms if unsettled is None else min(unsettled, page.unsettled_ms)
        if page.next_cursor is None:
            return records, page.resume_cursor, unsettled
        cursor = page.next_cursor
    raise AssertionError("the walk does not end")


def truth(wallet: SimulatedWallet, *, settled_before: int | None = None) -> set[str]:
    rows = {action: wallet.history.rows(action) for action in normalize.ACTIONS}
    limit = settled_before if settled_before is not None else now_ms() - wallet.chain.settle_ms
    return {
        record.exchange_id
        for item in normalize.bundle(rows)
        if item.time_ms <= limit
        for record in normalize.records(item, wallet.address, wallet.chain)
    }


def largest_block(wallet: SimulatedWallet) -> int:
    counts: dict[str, int] = {}
    for row in wallet.history.tokens:
        counts[row["blockNumber"]] = counts.get(row["blockNumber"], 0) + 1
    return max(counts.values())


def test_one_page_reads_the_three_lists_and_a_resync_costs_three_requests(
    running: list[SimulatedWallet],
) -> None:
    wallet = start(running, size="small")
    client = connector(wallet)
    records, resume, _ = walk(client)
    assert {r.exchange_id for r in records} == truth(wallet)
    assert len(records) == len({r.exchange_id for r in records})  # one record per event
    log = wallet.simulator.request_log
    assert [e.query["action"] for e in log] == ["txlist", "txlistinternal", "tokentx"]
    assert all(e.query["page"] == "1" and e.query["sort"] == "asc" for e in log)
    assert resume is not None and int(resume) > max(int(r["blockNumber"]) for r in wallet.history.normal)
    wallet.simulator.reset_log()
    again, _, _ = walk(client, cursor=resume)
    assert again == [] and len(wallet.simulator.request_log) == 3


def test_small_pages_cut_inside_blocks_and_page_a_busy_block_alone(running: list[SimulatedWallet]) -> None:
    wallet = start(running, size="small", max_records=5)
    assert largest_block(wallet) > 5  # an airdrop burst fills more than a page in one block
    records, _, _ = walk(connector(wallet, page_size=5))
    assert {r.exchange_id for r in records} == truth(wallet)
    assert len(records) == len({r.exchange_id for r in records})
    log = wallet.simulator.request_log
    alone = [e for e in log if e.query.get("endblock") == e.query["startblock"]]
    assert alone and max(int(e.query["page"]) for e in alone) >= 2
    assert all(int(e.query["page"]) * int(e.query["offset"]) <= 10_000 for e in log)


def test_a_block_past_the_result_window_stops_with_a_message(running: list[SimulatedWallet]) -> None:
    wallet = start(running, size="small", max_records=5, result_window=20)
    assert largest_block(wallet) > 20
    with pytest.raises(SyncFailure) as failed:
        walk(connector(wallet, page_size=5, result_window=20))
    assert failed.value.kind is FailureKind.UNEXPECTED_RESPONSE
    assert "more than 20 rows in block" in failed.value.failure.message
    refused = [e for e in wallet.simulator.request_log if int(e.query.get("page", "1")) * 5 > 20]
    assert refused == []  # the client never asked past the window


def test_rate_limit_answers_are_waited_out_without_losing_records(running: list[SimulatedWallet]) -> None:
    # The server allows 15 requests a second; the client is told it may send 24.
    wallet = start(running, size="tiny", rate_limit_scale=5.0, max_records=5)
    client = connector(wallet, page_size=5, scale=8.0)
    records, _, _ = walk(client)
    assert wallet.simulator.refusals > 0
    assert {r.exchange_id for r in records} == truth(wallet)
    assert client.stats(STREAM).rate_limit_waits == wallet.simulator.refusals


def test_blockscouts_http_429_is_backed_off_without_losing_records(running: list[SimulatedWallet]) -> None:
    wallet = start(running, BASE, mode="blockscout", size="tiny", rate_limit_scale=5.0, max_records=5)
    client = connector(wallet, page_size=5, scale=8.0)
    records, _, _ = walk(client)
    assert wallet.simulator.refusals > 0
    assert any(e.http_status == 429 for e in wallet.simulator.request_log)
    assert {r.exchange_id for r in records} == truth(wallet)


def test_blockscout_answers_the_same_without_a_key(running: list[SimulatedWallet]) -> None:
    wallet = start(running, BASE, mode="blockscout", size="tiny")
    assert "provider_key" not in wallet.credentials() and wallet.base_url.endswith("/api")
    client = connector(wallet)
    assert client.verify_key().read_only
    records, _, _ = walk(client)
    assert {r.exchange_id for r in records} == truth(wallet)
    assert all(r.network == "BASE" for r in records)


def test_young_blocks_wait_for_the_next_sync(running: list[SimulatedWallet]) -> None:
    wallet = start(running, size="small")
    times = sorted({int(r["timeStamp"]) * 1000 for r in wallet.history.normal})
    pretend_now = times[len(times) // 2] + 5 * 60_000  # five minutes after a mid-history block
    early = connector(wallet, wall_clock=lambda: pretend_now / 1000)
    first, resume, unsettled = walk(early)
    settled = truth(wallet, settled_before=pretend_now - ETHEREUM.settle_ms)
    assert {r.exchange_id for r in first} == settled
    assert unsettled is not None and unsettled > pretend_now - ETHEREUM.settle_ms
    rest, _, _ = walk(connector(wallet), cursor=resume)
    assert {r.exchange_id for r in first} | {r.exchange_id for r in rest} == truth(wallet)
    assert not {r.exchange_id for r in first} & {r.exchange_id for r in rest}


def test_a_later_window_starts_at_the_block_of_its_time(running: list[SimulatedWallet]) -> None:
    wallet = start(running, size="small")
    start_ms = now_ms() - 200 * 86_400_000
    records, _, _ = walk(connector(wallet), window=TimeWindow(start_ms, now_ms()))
    lookup = [e for e in wallet.simulator.request_log if e.query.get("action") == "getblocknobytime"]
    assert len(lookup) == 1 and lookup[0].query["closest"] == "before"
    first = wallet.simulator.request_log[1]
    assert int(first.query["startblock"]) == wallet.history.block_at(start_ms // 1000)
    assert {r.exchange_id for r in records} <= truth(wallet)
    assert min(r.timestamp_ms for r in records) >= start_ms - 60_000
    assert len(records) < len(truth(wallet))


@pytest.mark.parametrize(
    ("mode", "fields", "kind"),
    [
        ("plan", {}, FailureKind.PERMISSION),
        ("etherscan", {"provider_key": "NOTTHEKEY0000000000"}, FailureKind.AUTHENTICATION),
        ("etherscan", {"provider_key": ""}, FailureKind.AUTHENTICATION),
        ("website", {}, FailureKind.WRONG_SERVER),
    ],
)
def test_refusals_end_the_sync_with_a_remedy(
    running: list[SimulatedWallet], mode: str, fields: dict[str, str], kind: FailureKind
) -> None:
    wallet = start(running, size="tiny", mode=mode)
    client = connector(wallet, fields=fields)
    with pytest.raises(SyncFailure) as failed:
        client.verify_key()
    assert failed.value.kind is kind
    assert "NOTTHEKEY" not in failed.value.failure.message + failed.value.failure.hint
    if kind is FailureKind.PERMISSION:
        assert "Blockscout" in failed.value.failure.hint


def test_another_chains_server_is_a_wrong_server(running: list[SimulatedWallet]) -> None:
    wallet = start(running, size="tiny")
    other = EvmConnector(
        Credentials.from_fields(wallet.credentials()), wallet.base_url, chain=BASE, rate_limit_scale=50.0
    )
    with pytest.raises(SyncFailure) as failed:
        other.verify_key()
    assert failed.value.kind is FailureKind.WRONG_SERVER  # "unsupported chainid"


def test_an_invalid_stored_address_fails_before_any_request(running: list[SimulatedWallet]) -> None:
    wallet = start(running, size="tiny")
    client = connector(wallet, fields={"address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"})
    with pytest.raises(SyncFailure) as failed:
        walk(client)
    assert failed.value.kind is FailureKind.INVALID_ADDRESS
    assert wallet.simulator.request_log == []


@pytest.mark.parametrize(
    ("message", "result", "verdict", "kind"),
    [
        ("No transactions found", "", V.EMPTY, None),
        ("No token transfers found", "", V.EMPTY, None),
        ("NOTOK", "Max rate limit reached, please use API Key for higher rate limit", V.RATE_LIMITED, None),
        ("NOTOK", "Max calls per sec rate limit reached (3/sec)", V.RATE_LIMITED, None),
        ("NOTOK", "Max daily rate limit reached. 100000 (100%) of 100000 day/limit", V.FAILED, K.RATE_LIMIT),
        ("NOTOK", "Invalid API Key", V.FAILED, K.AUTHENTICATION),
        ("NOTOK", "Missing/Invalid API Key", V.FAILED, K.AUTHENTICATION),
        ("NOTOK", "Error! Invalid address format", V.FAILED, K.INVALID_ADDRESS),
        ("Invalid address format", "", V.FAILED, K.INVALID_ADDRESS),  # Blockscout
        ("NOTOK", "Missing or unsupported chainid parameter (required for v2 api)", V.FAILED, K.WRONG_SERVER),
        (
            "NOTOK",
            "You are using a deprecated V1 endpoint, switch to Etherscan API V2",
            V.FAILED,
            K.WRONG_SERVER,
        ),
        (
            "NOTOK",
            "Free API access is not supported for this chain. Please upgrade your api plan",
            V.FAILED,
            K.PERMISSION,
        ),
        ("NOTOK", "Query Timeout occured. Please select a smaller result dataset", V.TRANSIENT, None),
        (
            "NOTOK",
            "Result window is too large, PageNo x Offset size must be less than or equal to 10000",
            V.FAILED,
            K.REQUEST_REJECTED,
        ),
    ],
)
def test_the_envelopes_error_texts(
    message: str, result: str, verdict: errors.Verdict, kind: FailureKind | None
) -> None:
    assert errors.classify(message, result) == (verdict, kind)
