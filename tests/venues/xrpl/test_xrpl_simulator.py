"""The rippled simulator read as the docs describe rippled, over raw HTTP (not through the app's
connector): the result envelope, forward and backward marker paging over the same transactions,
the page size, the documented errors, the rate limit, the other server modes and the demo
server's entry point."""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import redirect_stdout
from typing import Any

import pytest

from cryptact_desktop.venues.xrpl.accounts import SimulatedLedger, simulated_ledger
from cryptact_desktop.venues.xrpl.demo import serve
from cryptact_desktop.venues.xrpl.simulator.ledger import FIRST_LEDGER, made_up_address


@pytest.fixture
def ledger() -> Iterator[SimulatedLedger]:
    running = simulated_ledger(5, size="small", rate_limit_scale=100.0)
    running.start()
    yield running
    running.stop()


def rpc(url: str, method: str, **params: Any) -> tuple[int, Any]:
    body = json.dumps({"method": method, "params": [params]}).encode()
    request = urllib.request.Request(url + "/", body, {"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def walk(url: str, account: str, *, forward: bool) -> list[list[str]]:
    """The hashes of each page of a whole walk."""
    pages: list[list[str]] = []
    marker: Any = None
    while True:
        extra = {"marker": marker} if marker is not None else {}
        status, body = rpc(url, "account_tx", account=account, forward=forward, limit=400, **extra)
        result = body["result"]
        assert status == 200 and result["status"] == "success" and result["validated"] is True
        assert len(result["transactions"]) <= 10  # the server's own page size wins over the limit
        pages.append([entry["tx"]["hash"] for entry in result["transactions"]])
        marker = result.get("marker")
        if marker is None:
            return pages


def test_forward_and_backward_walks_see_the_same_transactions_in_opposite_orders(
    ledger: SimulatedLedger,
) -> None:
    order = [entry["hash"] for entry in ledger.history.entries_of(ledger.address)]
    rank = {tx_hash: n for n, tx_hash in enumerate(order)}
    forward = walk(ledger.base_url, ledger.address, forward=True)
    backward = walk(ledger.base_url, ledger.address, forward=False)
    for pages, step in ((forward, 1), (backward, -1)):
        seen = [tx_hash for page in pages for tx_hash in page]
        assert sorted(seen, key=rank.__getitem__) == order  # every transaction once
        # The pages are ordered among themselves, not inside (as the docs warn).
        bounds = [sorted(rank[h] * step for h in page) for page in pages]
        assert all(a[-1] < b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert any(page != sorted(page, key=rank.__getitem__) for page in forward)
    assert len(order) > 100


def test_api_v2_entries_carry_the_hash_and_close_time_outside_tx_json(ledger: SimulatedLedger) -> None:
    _, body = rpc(ledger.base_url, "account_tx", account=ledger.address, forward=True, limit=1, api_version=2)
    first = ledger.history.entries_of(ledger.address)[0]["hash"]
    (entry,) = [e for e in body["result"]["transactions"] if e["hash"] == first]  # the activation
    assert body["result"]["limit"] == 10  # rippled's least
    assert set(entry) == {"meta", "tx_json", "hash", "ledger_index", "close_time_iso", "validated"}
    assert entry["tx_json"]["TransactionType"] == "Payment" and "DeliverMax" in entry["tx_json"]
    assert entry["meta"]["delivered_amount"] == entry["tx_json"]["DeliverMax"]
    assert body["result"]["ledger_index_min"] == FIRST_LEDGER


@pytest.mark.parametrize(
    ("method", "params", "error", "code"),
    [
        ("account_tx", {"account": "rNotAnAddress"}, "actMalformed", 35),
        ("account_tx", {"account": made_up_address("nobody")}, "actNotFound", 19),
        ("account_info", {"account": made_up_address("nobody")}, "actNotFound", 19),
        ("account_tx", {"ledger_index_min": 10, "ledger_index_max": 5}, "lgrIdxsInvalid", 57),
        ("account_tx", {"ledger_index_min": 5, "api_version": 2}, "lgrIdxMalformed", 58),
        ("account_tx", {"marker": {"ledger": 1, "seq": 0}}, "invalidParams", 31),
        ("ledger_data", {}, "unknownCmd", 32),
    ],
)
def test_documented_errors_use_the_error_envelope(
    ledger: SimulatedLedger, method: str, params: dict[str, Any], error: str, code: int
) -> None:
    params = {"account": ledger.address, **params}
    status, body = rpc(ledger.base_url, method, **params)
    result = body["result"]
    assert status == 200
    assert (result["status"], result["error"], result["error_code"]) == ("error", error, code)
    assert result["error_message"] and result["request"] == params


def test_a_marker_stops_working_after_its_time(ledger: SimulatedLedger) -> None:
    _, body = rpc(ledger.base_url, "account_tx", account=ledger.address, forward=True)
    marker = body["result"]["marker"]
    assert (
        rpc(ledger.base_url, "account_tx", account=ledger.address, forward=True, marker=marker)[1]["result"][
            "status"
        ]
        == "success"
    )
    ledger.simulator.marker_ttl = 0.0
    time.sleep(0.01)
    _, again = rpc(ledger.base_url, "account_tx", account=ledger.address, forward=True, marker=marker)
    assert again["result"]["error"] == "invalidParams"


def test_a_client_over_the_limit_is_told_to_slow_down() -> None:
    running = simulated_ledger(6, size="tiny", rate_limit_scale=0.1)  # 3 requests per 10 s
    url = running.start()
    try:
        answers = [rpc(url, "account_info", account=running.address)[1]["result"] for _ in range(5)]
    finally:
        running.stop()
    assert [a.get("error", "") for a in answers] == ["", "", "", "slowDown", "slowDown"]
    assert running.simulator.refusals == 2


@pytest.mark.parametrize(("mode", "status"), [("website", 404), ("jsonrpc2", 200)])
def test_servers_that_are_not_rippled(mode: str, status: int) -> None:
    running = simulated_ledger(6, size="tiny", mode=mode)
    url = running.start()
    try:
        code, body = rpc(url, "account_tx", account=running.address)
    finally:
        running.stop()
    assert code == status
    if mode == "jsonrpc2":
        assert body["error"]["code"] == -32601 and "result" not in body


def test_the_demo_server_prints_the_wallet_and_stops() -> None:
    stop = threading.Event()
    out = io.StringIO()
    done: list[int] = []
    with redirect_stdout(out):
        worker = threading.Thread(target=lambda: done.append(serve(["--size", "tiny", "--port", "0"], stop)))
        worker.start()
        time.sleep(0.5)
        stop.set()
        worker.join(10)
    assert done == [0]
    text = out.getvalue()
    assert "rippled (XRP Ledger) JSON-RPC simulator on http://127.0.0.1:" in text
    assert "keys add --exchange xrpl" in text
