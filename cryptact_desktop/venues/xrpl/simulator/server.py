"""A local rippled JSON-RPC API over a simulated history (127.0.0.1 only).

What it serves, from xrpl.org's API reference and, where the docs leave a choice to the server,
our own (marked *ours*):

* ``POST /`` with ``{"method": ..., "params": [{...}]}``; the answer is HTTP 200 with
  ``{"result": {...}}``, ``"status": "success"`` or ``"error"`` with ``error``, ``error_code``,
  ``error_message`` and the ``request`` echoed.
* ``account_tx``: ``account``, ``ledger_index_min``/``_max`` (-1: the oldest/newest validated
  ledger the server holds), ``forward``, ``limit``, ``marker``, ``api_version`` (1: ``tx`` with
  the hash and date inside; 2: ``tx_json``, ``hash``, ``close_time_iso``, and ``DeliverMax`` for a
  payment's ``Amount``). Only validated transactions. The limit is clamped to 10…400 as rippled
  does, and a page holds at most ``page_max`` transactions whatever the limit (*ours*: "the
  server is not required to honor" it; a busy public server answers short pages); the marker
  is ``{"ledger": L, "seq": S}``, the next transaction's place. The transactions inside a page
  come in no particular order (``unordered_pages``; the docs: "each page of results may not be
  internally ordered, but the pages are overall ordered"). A marker is good for
  ``marker_ttl`` seconds after it was given (the docs: "may not work as expected after 10
  minutes"; *ours*: an unknown or stale one is ``invalidParams``). API v2 refuses a range beyond
  the ledgers held with ``lgrIdxMalformed``; ``max < min`` is ``lgrIdxsInvalid``; a bad address
  is ``actMalformed``; an address never funded is ``actNotFound`` (as Clio answers).
* ``account_info``: ``account_data`` (``Balance``, ``Sequence``, ``OwnerCount``…) of a funded
  account, else ``actNotFound``. ``server_info``: ``complete_ledgers``. Another method:
  ``unknownCmd``.
* Limits: a client over ``rate_limit`` requests per window gets ``slowDown`` (*ours*: the public
  servers publish no number).
* ``mode``: ``"rippled"``; ``"partial_history"`` (a server that keeps only recent ledgers, from
  after the wallet's activation); ``"website"`` (every path a 404 page); ``"jsonrpc2"`` (a JSON-RPC
  server of another chain: ``{"jsonrpc": "2.0", "error": {"code": -32601}}``); ``"rate_limited"``
  (every request ``slowDown``). Faults from the kit's :class:`FaultPlan` match the path
  ``/<method>`` (``/account_tx/marker`` for a request that carries a marker); a ``ret_code``
  fault answers that rippled error code.
"""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from cryptact_desktop.simulator.kit import Fault, FaultPlan, Reply, RollingCounter, SimulatorServer
from cryptact_desktop.simulator.kit.server import read_body

from .ledger import RIPPLE_EPOCH, History, decode_address

RATE_LIMIT = (30, 10.0)  # ours
PAGE_MAX = 10  # ours
LIMIT_RANGE = (10, 400)  # rippled's account_tx limit: at least 10, at most 400
MARKER_TTL = 600.0
MODES = ("rippled", "partial_history", "website", "jsonrpc2", "rate_limited")

ERRORS: dict[str, tuple[int, str]] = {
    "forbidden": (3, "Bad credentials."),
    "tooBusy": (9, "The server is too busy to help you now."),
    "slowDown": (10, "You are placing too much load on the server."),
    "actNotFound": (19, "Account not found."),
    "invalidParams": (31, "Invalid parameters."),
    "unknownCmd": (32, "Unknown method."),
    "actMalformed": (35, "Account malformed."),
    "lgrIdxsInvalid": (57, "Ledger indexes invalid."),
    "lgrIdxMalformed": (58, "Ledger index malformed."),
    "internal": (73, "Internal error."),
    "invalid_API_version": (6, "API version must be an integer in the range 1 to 2."),
}
_BY_CODE = {code: error_name for error_name, (code, _) in ERRORS.items()}


class RippledSimulator(SimulatorServer):
    name = "rippled-simulator"

    def __init__(
        self,
        history: History,
        *,
        mode: str = "rippled",
        rate_limit: tuple[int, float] | None = RATE_LIMIT,
        rate_limit_scale: float = 1.0,
        page_max: int = PAGE_MAX,
        marker_ttl: float = MARKER_TTL,
        unordered_pages: bool = True,
        latency_ms: int = 0,
        faults: FaultPlan | None = None,
        port: int = 0,
    ) -> None:
        super().__init__(latency_ms=latency_ms, faults=faults, port=port)
        if mode not in MODES:
            raise ValueError(f"mode is one of {MODES}")
        self.history = history
        self.mode = mode
        self.page_max = page_max
        self.marker_ttl = marker_ttl
        self.unordered_pages = unordered_pages
        self.rate_limit = (
            None if rate_limit is None else (max(1, int(rate_limit[0] * rate_limit_scale)), rate_limit[1])
        )
        self._counts = RollingCounter()
        self._lock2 = threading.Lock()
        self._markers: dict[tuple[int, int], float] = {}
        self.refusals = 0
        self.markers_refused = 0
        self.calls: list[tuple[str, dict[str, Any]]] = []  # (method, params) of every request
        # The newest validated ledger served (a test moves it to let later history appear).
        self.tip = history.tip
        self.first_ledger = history.first_ledger
        if mode == "partial_history":
            self.first_ledger = history.activation_ledger() + 1_000

    # -- routing ----------------------------------------------------------------------------------
    def dispatch(self, req: BaseHTTPRequestHandler, method: str, path: str, raw_query: str) -> Reply:
        if self.mode == "website" or method != "POST" or path not in ("", "/"):
            return _reply(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")
        try:
            body = json.loads(read_body(req) or b"null")
        except ValueError:
            return _json(
                {"result": _error("invalidParams", {}) | {"error_message": "Unable to parse request."}}
            )
        if self.mode == "jsonrpc2":
            return _json(
                {"jsonrpc": "2.0", "id": 1, "error": {"code": -32601, "message": "Method not found"}}
            )
        if not isinstance(body, dict) or not isinstance(body.get("method"), str):
            return _json({"result": _error("invalidParams", {})})
        rpc_method = body["method"]
        params_list = body.get("params") or [{}]
        params = (
            params_list[0]
            if isinstance(params_list, list) and params_list and isinstance(params_list[0], dict)
            else {}
        )
        with self._lock2:
            self.calls.append((rpc_method, dict(params)))
        fault = self.pick_fault(f"/{rpc_method}" + ("/marker" if "marker" in params else ""), True)
        if fault is not None:
            return self._fault_reply(fault, params)
        if self.mode == "rate_limited" or not self._allowed(req.client_address[0]):
            self.refusals += 1
            return _json({"result": _error("slowDown", params)})
        handler = {
            "account_tx": self._account_tx,
            "account_info": self._account_info,
            "server_info": self._server_info,
        }.get(rpc_method)
        if handler is None:
            return _json({"result": _error("unknownCmd", params)})
        return _json({"result": handler(params)})

    # -- methods ------------------------------------------------------------------------------------
    def _account_tx(self, params: dict[str, Any]) -> dict[str, Any]:
        account = params.get("account")
        if not isinstance(account, str) or decode_address(account) is None:
            return _error("actMalformed", params)
        version = params.get("api_version", 1)
        if version not in (1, 2):
            return _error("invalid_API_version", params)
        if account not in self.history.accounts:
            return _error("actNotFound", params)
        lo, hi = params.get("ledger_index_min", -1), params.get("ledger_index_max", -1)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (lo, hi)):
            return _error("invalidParams", params)
        tip = self.tip
        if version == 2 and (
            (lo != -1 and not self.first_ledger <= lo <= tip)
            or (hi != -1 and not self.first_ledger <= hi <= tip)
        ):
            return _error("lgrIdxMalformed", params)
        low = self.first_ledger if lo == -1 else max(lo, self.first_ledger)
        high = tip if hi == -1 else min(hi, tip)
        if high < low:
            return _error("lgrIdxsInvalid", params)
        forward = params.get("forward", False)
        if not isinstance(forward, bool):
            return _error("invalidParams", params)
        limit = params.get("limit", 200)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
            return _error("invalidParams", params)
        entries = [e for e in self.history.entries_of(account) if low <= e["ledger_index"] <= high]
        if not forward:
            entries.reverse()
        start = 0
        if "marker" in params:
            place = self._marker_place(params["marker"])
            if place is None:
                self.markers_refused += 1
                return _error("invalidParams", params) | {"error_message": "Invalid field 'marker'."}
            keys = [(e["ledger_index"], e["meta"]["TransactionIndex"]) for e in entries]
            start = next(
                (i for i, key in enumerate(keys) if (key >= place if forward else key <= place)), len(keys)
            )
        limit = min(max(limit, LIMIT_RANGE[0]), LIMIT_RANGE[1])  # rippled clamps it to its range
        page = entries[start : start + min(limit, self.page_max)]
        rest = entries[start + len(page) :]
        if self.unordered_pages and len(page) > 1:
            # "Each page of results may not be internally ordered, but the pages are overall ordered."
            page = random.Random(f"{account} {start} {forward}").sample(page, len(page))
        result: dict[str, Any] = {
            "account": account,
            "ledger_index_min": low,
            "ledger_index_max": high,
            "limit": limit,
            "transactions": [_render(e, version) for e in page],
            "validated": True,
            "status": "success",
        }
        if rest:
            place = (rest[0]["ledger_index"], rest[0]["meta"]["TransactionIndex"])
            with self._lock2:
                self._markers[place] = time.monotonic()
            result["marker"] = {"ledger": place[0], "seq": place[1]}
        return result

    def _marker_place(self, marker: Any) -> tuple[int, int] | None:
        if (
            not isinstance(marker, dict)
            or not isinstance(marker.get("ledger"), int)
            or not isinstance(marker.get("seq"), int)
        ):
            return None
        place = (marker["ledger"], marker["seq"])
        with self._lock2:
            given = self._markers.get(place)
        if given is None or time.monotonic() - given > self.marker_ttl:
            return None
        return place

    @property
    def methods(self) -> list[str]:
        """The JSON-RPC method of every request, in order."""
        with self._lock2:
            return [method for method, _ in self.calls]

    def expire_markers(self) -> None:
        """Every marker given so far stops working (as after ten minutes)."""
        with self._lock2:
            self._markers.clear()

    def _account_info(self, params: dict[str, Any]) -> dict[str, Any]:
        account = params.get("account")
        if not isinstance(account, str) or decode_address(account) is None:
            return _error("actMalformed", params)
        balance = self.history.accounts.get(account)
        if balance is None:
            return _error("actNotFound", params) | {"account": account}
        return {
            "account_data": {
                "Account": account,
                "Balance": str(balance),
                "Flags": 0,
                "LedgerEntryType": "AccountRoot",
                "OwnerCount": self.history.owner_counts.get(account, 0),
                "Sequence": self.history.sequences.get(account, 1),
            },
            "ledger_index": self.tip,
            "validated": True,
            "status": "success",
        }

    def _server_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "info": {
                "build_version": "2.3.0",
                "complete_ledgers": f"{self.first_ledger}-{self.tip}",
                "server_state": "full",
                "validated_ledger": {"seq": self.tip},
            },
            "status": "success",
        }

    # -- limits and faults ------------------------------------------------------------------------
    def _allowed(self, ip: str) -> bool:
        if self.rate_limit is None:
            return True
        limit, window = self.rate_limit
        with self._lock2:
            allowed, _, _ = self._counts.check(ip, limit, window, self.gateway_time(), True)
        return allowed

    def _fault_reply(self, fault: Fault, params: dict[str, Any]) -> Reply:
        if fault.kind == "rate_limit_storm":
            return _json({"result": _error("slowDown", params)})
        if fault.kind == "ret_code":
            error_name = _BY_CODE.get(fault.ret_code, "internal")
            if error_name == "invalidParams":
                self.markers_refused += 1
            return _json({"result": _error(error_name, params)})
        transport = self.transport_fault(fault)
        if transport is not None:
            return transport
        return _json({"result": _error("internal", params)})


def _render(entry: dict[str, Any], version: int) -> dict[str, Any]:
    tx = dict(entry["tx"])
    date = entry["date"]
    if version == 1:
        tx.update(
            hash=entry["hash"], date=date, ledger_index=entry["ledger_index"], inLedger=entry["ledger_index"]
        )
        return {"meta": entry["meta"], "tx": tx, "validated": True}
    if tx.get("TransactionType") == "Payment" and "Amount" in tx:
        tx["DeliverMax"] = tx.pop("Amount")
    tx.update(date=date, ledger_index=entry["ledger_index"])
    closed = datetime.fromtimestamp(date + RIPPLE_EPOCH, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "meta": entry["meta"],
        "tx_json": tx,
        "hash": entry["hash"],
        "ledger_index": entry["ledger_index"],
        "close_time_iso": closed,
        "validated": True,
    }


def _error(error_name: str, params: dict[str, Any]) -> dict[str, Any]:
    code, message = ERRORS[error_name]
    return {
        "error": error_name,
        "error_code": code,
        "error_message": message,
        "request": params,
        "status": "error",
    }


def _reply(status: int, body: bytes, content_type: str) -> Reply:
    return Reply(status, body, content_type, -1)


def _json(value: Any) -> Reply:
    return Reply(200, json.dumps(value, separators=(",", ":")).encode(), "application/json", -1)
