"""A local Esplora HTTP API over a simulated chain (127.0.0.1 only).

What it serves, from Esplora's ``API.md`` and, where it is silent, from the electrs REST server
that implements it (marked *electrs*) or our own choice (marked *ours*):

* ``GET /blocks/tip/height`` (plain text), ``GET /address/:address`` (``chain_stats`` and
  ``mempool_stats``: ``tx_count``, ``funded_txo_count``/``_sum``, ``spent_txo_count``/``_sum``),
  ``GET /address/:address/txs`` (up to 50 unconfirmed, then the newest 25 confirmed),
  ``GET /address/:address/txs/chain[/:last_seen_txid]`` (25 confirmed, newest first, after the
  txid; an unknown txid gives an empty page: *electrs*), ``GET /address/:address/txs/mempool``,
  ``GET /tx/:txid``. Amounts in satoshis.
* Errors are short plain-text bodies: ``400 Invalid Bitcoin address``, ``400 Invalid hex string``,
  ``404 Transaction not found`` (*electrs*); any other path is a 404 page.
* Limits: neither public server documents one; both answer HTTP 429 without ``Retry-After`` when a
  client asks too fast (*ours*: ``rate_limit`` requests per window per client address, divided by
  nothing, multiplied by ``rate_limit_scale``).
* ``mode``: ``"esplora"``; ``"website"`` (every path a 404 page: a server address that is not an
  Esplora API); ``"rate_limited"`` (every request 429: a spent hourly limit). Faults from the kit's
  :class:`FaultPlan` are injected per request.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any

from cryptact_desktop.simulator.kit import FaultPlan, Reply, RollingCounter, SimulatorServer

from .chain import Chain

PAGE = 25
MEMPOOL_MAX = 50
RATE_LIMIT = (30, 10.0)  # ours
_BECH32 = set("qpzry9x8gf2tvdw0s3jn54khce6mua7l")
_BASE58 = set("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
_HEX = set("0123456789abcdef")
MODES = ("esplora", "website", "rate_limited")


def valid_address(text: str) -> bool:
    """The simulator's own reading of a mainnet address: Bech32 ``bc1…`` or Base58 ``1…``/``3…``."""
    lowered = text.lower()
    if lowered.startswith("bc1"):
        return (
            (text == lowered or text == text.upper())
            and 14 <= len(text) <= 74
            and set(lowered[3:]) <= _BECH32
        )
    return text[:1] in ("1", "3") and 26 <= len(text) <= 35 and set(text) <= _BASE58


class EsploraSimulator(SimulatorServer):
    name = "esplora-simulator"

    def __init__(
        self,
        chain: Chain,
        *,
        mode: str = "esplora",
        rate_limit: tuple[int, float] | None = RATE_LIMIT,
        rate_limit_scale: float = 1.0,
        latency_ms: int = 0,
        faults: FaultPlan | None = None,
        port: int = 0,
    ) -> None:
        super().__init__(latency_ms=latency_ms, faults=faults, port=port)
        if mode not in MODES:
            raise ValueError(f"mode is one of {MODES}")
        self.chain = chain
        self.mode = mode
        self.rate_limit = (
            None if rate_limit is None else (max(1, int(rate_limit[0] * rate_limit_scale)), rate_limit[1])
        )
        self._counts = RollingCounter()
        self._count_lock = threading.Lock()
        self.refusals = 0

    # -- routing ----------------------------------------------------------------------------------
    def dispatch(self, req: BaseHTTPRequestHandler, method: str, path: str, raw_query: str) -> Reply:
        if self.mode == "website":
            return _text(404, "<html><body><h1>404 Not Found</h1></body></html>", "text/html")
        fault = self.pick_fault(path, True)
        if fault is not None:
            return self._fault_reply(fault)
        if self.mode == "rate_limited" or not self._allowed(req.client_address[0]):
            self.refusals += 1
            return _text(429, "Too Many Requests")
        if method != "GET":
            return _text(405, "Method Not Allowed")
        parts = [p for p in path.split("/") if p]
        try:
            return self._route(parts)
        except _NotFound:
            return _text(404, "<html><body><h1>404 Not Found</h1></body></html>", "text/html")

    def _route(self, parts: list[str]) -> Reply:
        chain = self.chain
        if parts == ["blocks", "tip", "height"]:
            return _text(200, str(chain.tip_height))
        if len(parts) == 2 and parts[0] == "tx":
            tx = chain.transactions.get(parts[1])
            return _json(tx) if tx is not None else _text(404, "Transaction not found")
        if len(parts) < 2 or parts[0] != "address":
            raise _NotFound
        address = parts[1]
        if not valid_address(address):
            return _text(400, "Invalid Bitcoin address")
        rest = parts[2:]
        if rest == []:
            return _json(chain.stats(address))
        pending, confirmed = chain.history(address)
        if rest == ["txs"]:
            return _json(pending[:MEMPOOL_MAX] + confirmed[:PAGE])
        if rest == ["txs", "mempool"]:
            return _json(pending[:MEMPOOL_MAX])
        if rest == ["txs", "chain"]:
            return _json(confirmed[:PAGE])
        if len(rest) == 3 and rest[:2] == ["txs", "chain"]:
            last_seen = rest[2]
            if len(last_seen) != 64 or not set(last_seen) <= _HEX:
                return _text(400, "Invalid hex string")
            ids = [tx["txid"] for tx in confirmed]
            if last_seen not in ids:
                return _json([])
            start = ids.index(last_seen) + 1
            return _json(confirmed[start : start + PAGE])
        raise _NotFound

    # -- limits and faults ------------------------------------------------------------------------
    def _allowed(self, ip: str) -> bool:
        if self.rate_limit is None:
            return True
        limit, window = self.rate_limit
        with self._count_lock:
            allowed, _, _ = self._counts.check(ip, limit, window, self.gateway_time(), True)
        return allowed

    def _fault_reply(self, fault: Any) -> Reply:
        if fault.kind == "rate_limit_storm":
            return _text(429, "Too Many Requests")
        transport = self.transport_fault(fault)
        if transport is not None:
            return transport
        return _text(400, "Invalid request")


class _NotFound(Exception):
    pass


def _text(status: int, body: str, content_type: str = "text/plain; charset=utf-8") -> Reply:
    return Reply(status, body.encode(), content_type, -1)


def _json(value: Any) -> Reply:
    return Reply(200, json.dumps(value, separators=(",", ":")).encode(), "application/json", -1)
