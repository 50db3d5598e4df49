"""A local Etherscan-compatible API over a seeded history (127.0.0.1 only).

What it serves, from Etherscan's API docs and "Common Error Messages" page, Blockscout's RPC API
docs where they differ (marked *Blockscout*), or our own choice (marked *ours*):

* ``GET /v2/api`` (Etherscan API v2, ``chainid`` required) and ``GET /api`` (Blockscout and
  Etherscan-compatible servers) with ``module=account&action=txlist|txlistinternal|tokentx``:
  ``address``, ``startblock``, ``endblock`` (inclusive; default every block), ``page`` (from 1),
  ``offset`` (rows a page; at most ``max_records``, 1,000 as for a free key — *ours*: a larger
  offset is served as 1,000), ``sort`` asc|desc. Rows are strings, as in the docs' examples.
* ``module=block&action=getblocknobytime&timestamp=…&closest=before|after``: the block number
  (*Blockscout*: ``{"blockNumber": "…"}``); ``module=proxy&action=eth_blockNumber`` (Etherscan).
* The envelope ``{"status", "message", "result"}``: ``"1" "OK" [...]``; nothing: ``"0" "No
  transactions found" []``; errors ``"0" "NOTOK" "<text>"``: "Error! Invalid address format",
  "Result window is too large, PageNo x Offset size must be less than or equal to 10000",
  "Invalid API Key", "Missing/Invalid API Key", "Missing or unsupported chainid parameter…", the
  free plan's "Free API access is not supported for this chain…", "Max rate limit reached, please
  use API Key for higher rate limit" (HTTP 200 on Etherscan; *Blockscout*: HTTP 429).
* Limits: ``rate_limit`` requests per window per key (or per client address without one), scaled
  by ``rate_limit_scale``.
* ``mode``: ``"etherscan"`` (``/v2/api``, key and chain id required), ``"blockscout"`` (no key),
  ``"website"`` (every path a 404 page), ``"rate_limited"`` (every request refused for the rate
  limit: a spent daily allowance), ``"plan"`` (a free key on a chain the free plan does not serve).
  Faults from the kit's :class:`FaultPlan` match the path ``/<module>/<action>``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

from cryptact_desktop.simulator.kit import FaultPlan, Reply, RollingCounter, SimulatorServer

from .history import History

MODES = ("etherscan", "blockscout", "website", "rate_limited", "plan")
RATE_LIMIT = (3, 1.0)
MAX_RECORDS = 1000
RESULT_WINDOW = 10_000
RATE_TEXT = "Max rate limit reached, please use API Key for higher rate limit"
WINDOW_TEXT = "Result window is too large, PageNo x Offset size must be less than or equal to 10000"
CHAIN_TEXT = (
    "Missing or unsupported chainid parameter (required for v2 api), please see "
    "https://api.etherscan.io/v2/chainlist for the list of supported chainids"
)
PLAN_TEXT = (
    "Free API access is not supported for this chain. Please upgrade your api plan for full chain "
    "coverage. https://etherscan.io/apis"
)
_HEX = set("0123456789abcdefABCDEF")
_PAGE_404 = "<html><body><h1>404 Not Found</h1></body></html>"


class EtherscanSimulator(SimulatorServer):
    name = "etherscan-simulator"

    def __init__(
        self,
        history: History,
        *,
        chain_id: int,
        mode: str = "etherscan",
        keys: frozenset[str] = frozenset(),
        rate_limit: tuple[int, float] | None = RATE_LIMIT,
        rate_limit_scale: float = 1.0,
        max_records: int = MAX_RECORDS,
        result_window: int = RESULT_WINDOW,
        latency_ms: int = 0,
        faults: FaultPlan | None = None,
        port: int = 0,
    ) -> None:
        super().__init__(latency_ms=latency_ms, faults=faults, port=port)
        if mode not in MODES:
            raise ValueError(f"mode is one of {MODES}")
        self.history = history
        self.chain_id = chain_id
        self.mode = mode
        self.keys = set(keys)
        self.max_records = max_records
        self.result_window = result_window
        self.rate_limit = (
            None if rate_limit is None else (max(1, int(rate_limit[0] * rate_limit_scale)), rate_limit[1])
        )
        self._counts = RollingCounter()
        self._count_lock = threading.Lock()
        self.refusals = 0

    @property
    def api_path(self) -> str:
        return "/v2/api" if self.mode in ("etherscan", "plan", "rate_limited") else "/api"

    # -- routing ----------------------------------------------------------------------------------
    def dispatch(self, req: BaseHTTPRequestHandler, method: str, path: str, raw_query: str) -> Reply:
        if self.mode == "website" or path.rstrip("/") not in ("/api", "/v2/api"):
            return _text(404, _PAGE_404, "text/html")
        if method != "GET":
            return _text(405, "Method Not Allowed")
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        module, action = query.get("module", ""), query.get("action", "")
        fault = self.pick_fault(f"/{module}/{action}", True)
        if fault is not None:
            if fault.kind == "rate_limit_storm":
                self.refusals += 1
                return self._rate_refusal()
            transport = self.transport_fault(fault)
            if transport is not None:
                return transport
            return _envelope("0", "NOTOK", "Query Timeout occured. Please select a smaller result dataset")
        key = query.get("apikey", "")
        if path.rstrip("/") == "/v2/api":
            if query.get("chainid") != str(self.chain_id):
                return _envelope("0", "NOTOK", CHAIN_TEXT)
            if not key:
                return _envelope("0", "NOTOK", "Missing/Invalid API Key")
        if key and self.keys and key not in self.keys:
            return _envelope("0", "NOTOK", "Invalid API Key")
        if self.mode == "plan":
            return _envelope("0", "NOTOK", PLAN_TEXT)
        if self.mode == "rate_limited" or not self._allowed(key or req.client_address[0]):
            self.refusals += 1
            return self._rate_refusal()
        if module == "account" and action in ("txlist", "txlistinternal", "tokentx"):
            return self._list(action, query)
        if module == "block" and action == "getblocknobytime":
            return self._block_by_time(query)
        if module == "proxy" and action == "eth_blockNumber" and self.mode == "etherscan":
            body = {"jsonrpc": "2.0", "id": 83, "result": hex(self.history.tip_block)}
            return Reply(200, json.dumps(body).encode(), "application/json", -1)
        return _envelope("0", "NOTOK", "Error! Missing Or invalid Action name")

    def _rate_refusal(self) -> Reply:
        if self.mode == "blockscout":
            return _text(429, "Too Many Requests")
        return _envelope("0", "NOTOK", RATE_TEXT)

    def _list(self, action: str, query: dict[str, str]) -> Reply:
        address = query.get("address", "")
        if len(address) != 42 or not address.startswith("0x") or not set(address[2:]) <= _HEX:
            return _envelope("0", "NOTOK", "Error! Invalid address format")
        try:
            start = int(query.get("startblock") or 0)
            end_text = query.get("endblock") or "latest"
            end = self.history.tip_block if end_text == "latest" else int(end_text)
            page = int(query.get("page") or 1)
            offset = int(query.get("offset") or self.max_records)
        except ValueError:
            return _envelope("0", "NOTOK", "Error! Invalid parameter")
        if page < 1 or offset < 1:
            return _envelope("0", "NOTOK", "Error! Invalid parameter")
        if page * offset > self.result_window:
            return _envelope("0", "NOTOK", WINDOW_TEXT)
        offset = min(offset, self.max_records)
        mine = address.lower() == self.history.address
        rows = [r for r in self.history.rows(action) if start <= int(r["blockNumber"]) <= end] if mine else []
        if query.get("sort") == "desc":
            rows = rows[::-1]
        chunk = rows[(page - 1) * offset : page * offset]
        if not chunk:
            return _envelope("0", "No transactions found", [])
        return _envelope(
            "1", "OK", [{k: v for k, v in row.items() if not k.startswith("_")} for row in chunk]
        )

    def _block_by_time(self, query: dict[str, str]) -> Reply:
        try:
            moment = int(query.get("timestamp", ""))
        except ValueError:
            return _envelope("0", "NOTOK", "Error! Invalid timestamp")
        block = min(self.history.block_at(moment), self.history.tip_block)
        if query.get("closest") == "after" and self.history.time_of(block) < moment:
            block += 1
        if self.mode == "blockscout":
            return _envelope("1", "OK", {"blockNumber": str(block)})
        return _envelope("1", "OK", str(block))

    def _allowed(self, who: str) -> bool:
        if self.rate_limit is None:
            return True
        limit, window = self.rate_limit
        with self._count_lock:
            allowed, _, _ = self._counts.check(who, limit, window, self.gateway_time(), True)
        return allowed


def _text(status: int, body: str, content_type: str = "text/plain; charset=utf-8") -> Reply:
    return Reply(status, body.encode(), content_type, -1)


def _envelope(status: str, message: str, result: Any) -> Reply:
    body = json.dumps({"status": status, "message": message, "result": result}, separators=(",", ":"))
    return Reply(200, body.encode(), "application/json", int(status))
