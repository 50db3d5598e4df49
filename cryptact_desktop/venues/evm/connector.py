"""The EVM connector: one address's history on one chain from an Etherscan-compatible API.

**Requests.** ``GET <server>?chainid=…&module=account&action=<list>&address=…&startblock=…&page=…
&offset=…&sort=asc[&apikey=…]`` for the three lists (``txlist``, ``txlistinternal``, ``tokentx``).
Nothing is signed; the optional provider key is a query parameter, so URLs are never logged (the
HTTP layer logs none) and the key is registered with the log redaction like every secret. Requests
go only to https:// or to this computer like every other venue's.

**The walk** (OLDEST_FIRST, the cursor is a block number). One page reads the three lists from the
cursor block upward, ``page=1`` and ``offset`` 1,000 each. A list that answers fewer than 1,000 rows
is complete up to the newest block; one that answers 1,000 may have been cut inside its last block,
so it is complete only up to the block before. The page keeps every row up to the lowest of the
three bounds, merges them by transaction hash (:mod:`.normalize`), and the next page starts at the
block after it. The result window (``page × offset`` ≤ 10,000) is never in the way: pages advance
by ``startblock``, not by ``page``, except when 1,000 rows of one list share a single block; that
block alone is then read page by page (``startblock = endblock``), up to the window's 10,000 rows,
past which the sync stops with a message rather than skip anything. When all three lists are
complete, the block after the newest one seen is kept for the next sync (3 requests when nothing
is new). A window that starts after the chain's first day asks the server for the block at that
time (``module=block&action=getblocknobytime``) instead of walking from block 0.

**Settling.** Transactions in blocks younger than the chain's settle time are not stored; the walk
resumes from the first of them next time.

**Errors.** See :mod:`.errors`: rate-limit answers (HTTP 200 with ``status`` 0, or HTTP 429 from
Blockscout) are waited out and the same request is asked again, so nothing is lost; an invalid key,
a chain the key's plan does not serve, an address the server refuses and a server that does not
answer as an Etherscan-compatible API end the sync with a message.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from cryptact_desktop.errors import FailureKind, SyncFailure, describe
from cryptact_desktop.i18n import translate
from cryptact_desktop.records import NormalizedRecord
from cryptact_desktop.sync.connector import KeyVerification, Page, ShouldStop, TimeWindow
from cryptact_desktop.sync.http import HttpResponse
from cryptact_desktop.sync.rest import (
    BadBody,
    RateLimited,
    Request,
    RestConnector,
    RetryLimits,
    Transient,
    header_float,
)
from cryptact_desktop.venues.base import DAY_MS, StreamInfo, VenueInfo
from cryptact_desktop.venues.evm import errors, normalize
from cryptact_desktop.venues.evm.address import parse_address
from cryptact_desktop.venues.evm.catalogue import (
    ADDRESS_FIELD,
    PAGE_SIZE,
    PROVIDER_KEY_FIELD,
    PROVIDER_LIMIT,
    PROVIDER_LIMITER,
    RESULT_WINDOW,
    STREAM,
    venue_info,
)
from cryptact_desktop.venues.evm.chains import Chain

log = logging.getLogger(__name__)

RATE_WAIT_SECONDS = 1.0  # a per-second limit: the next second is free again
MAX_BACKOFF_SECONDS = 30.0


class EvmConnector(RestConnector):
    # Twelve waits ride out a burst over the per-second limit; a spent daily allowance keeps
    # refusing and then ends the sync with the rate-limit message instead of waiting all day.
    retry_limits = RetryLimits(rate_limit_waits=12)
    page_size = PAGE_SIZE  # rows a request (tests lower it to walk small histories)
    result_window = RESULT_WINDOW  # page × offset at most

    def __init__(self, *args: Any, chain: Chain, **kwargs: Any) -> None:
        self.chain = chain
        self.info: VenueInfo = venue_info(chain)
        super().__init__(*args, **kwargs)
        self._rate_state = threading.local()  # the request refused last on this thread, and how often
        self._address: str | None = None
        try:
            self._address = parse_address(self.credentials.get(ADDRESS_FIELD.name))
        except ValueError:
            log.info("%s: the stored wallet address is not valid", self.info.name)

    @property
    def address(self) -> str:
        if self._address is None:
            raise SyncFailure(describe(FailureKind.INVALID_ADDRESS, exchange=self.info.name))
        return self._address

    # ------------------------------------------------------------------ requests

    def _request(self, params: Sequence[tuple[str, str]], purpose: str = STREAM) -> Request:
        full: list[tuple[str, str]] = [("chainid", str(self.chain.chain_id)), *params]
        key = self.credentials.get(PROVIDER_KEY_FIELD.name)
        if key:
            full.append(("apikey", key))
        return Request(
            "GET",
            "",
            params=tuple(full),
            limiter=PROVIDER_LIMITER,
            rate_limit=PROVIDER_LIMIT,
            stream_id=purpose,
            signed=False,
        )

    def _list(
        self, action: str, start: int, *, page: int = 1, end: int | None = None, size: int = 0
    ) -> Request:
        params = [
            ("module", "account"),
            ("action", action),
            ("address", self.address),
            ("startblock", str(start)),
            *([("endblock", str(end))] if end is not None else []),
            ("page", str(page)),
            ("offset", str(size or self.page_size)),
            ("sort", "asc"),
        ]
        return self._request(params)

    def _rows(self, result: Any, action: str) -> list[Mapping[str, Any]]:
        if not isinstance(result, list) or not all(isinstance(row, Mapping) for row in result):
            raise SyncFailure(self.unexpected(action))
        return result

    def _read(
        self, action: str, start: int, should_stop: ShouldStop
    ) -> tuple[list[Mapping[str, Any]], int | None]:
        """One list's rows from ``start`` and the newest block they are complete to (None: every
        block up to the newest)."""
        size = self.page_size
        rows = self._rows(self.send(self._list(action, start), should_stop), action)
        if len(rows) < size:
            return rows, None
        try:
            last = max(normalize.block_of(row) for row in rows)
        except ValueError as exc:
            raise SyncFailure(self.unexpected(f"{action}: {exc}")) from None
        if last > start:
            return [row for row in rows if normalize.block_of(row) < last], last - 1
        page = 2  # every row is in block ``start``: read that block alone, page by page
        while True:
            if page * size > self.result_window:
                raise SyncFailure(
                    self.unexpected(f"{action}: more than {self.result_window} rows in block {start}")
                )
            more = self._rows(self.send(self._list(action, start, page=page, end=start), should_stop), action)
            rows.extend(more)
            if len(more) < size:
                return rows, start
            page += 1

    def _start_block(self, window: TimeWindow | None, should_stop: ShouldStop) -> int:
        if window is None or window.start_ms <= self.chain.genesis_ms + DAY_MS:
            return 0
        request = self._request(
            [
                ("module", "block"),
                ("action", "getblocknobytime"),
                ("timestamp", str(window.start_ms // 1000)),
                ("closest", "before"),
            ],
            purpose="block",
        )
        try:
            result = self.send(request, should_stop)
        except SyncFailure as exc:
            if exc.kind in (FailureKind.REQUEST_REJECTED, FailureKind.UNEXPECTED_RESPONSE):
                return 0  # a server without the lookup: walk from the first block
            raise
        if isinstance(result, Mapping):
            result = result.get("blockNumber")
        text = str(result).strip()
        return int(text) if text.isdigit() else 0

    # ------------------------------------------------------------------ pages

    def fetch_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, should_stop: ShouldStop
    ) -> Page:
        address = self.address
        if cursor:
            if not cursor.isdigit():
                raise SyncFailure(describe(FailureKind.REQUEST_REJECTED, exchange=self.info.name))
            start = int(cursor)
        else:
            start = self._start_block(window, should_stop)
        rows: dict[str, list[Mapping[str, Any]]] = {}
        bounds: list[int] = []
        for action in normalize.ACTIONS:
            rows[action], complete = self._read(action, start, should_stop)
            if complete is not None:
                bounds.append(complete)
        bound = min(bounds) if bounds else None
        try:
            if bound is not None:
                rows = {a: [r for r in items if normalize.block_of(r) <= bound] for a, items in rows.items()}
            bundles = normalize.bundle(rows)
        except ValueError as exc:
            raise SyncFailure(self.unexpected(f"{stream.id}: {exc}")) from None
        settled_before = self.local_ms() - self.chain.settle_ms
        records: list[NormalizedRecord] = []
        unsettled_ms: int | None = None
        unsettled_block: int | None = None
        for item in bundles:
            if item.time_ms > settled_before:
                if unsettled_ms is None:
                    unsettled_ms, unsettled_block = item.time_ms, item.block
                continue
            try:
                records.extend(normalize.records(item, address, self.chain))
            except (ValueError, ArithmeticError) as exc:
                raise SyncFailure(self.unexpected(f"{stream.id} {item.hash[:12]}: {exc}")) from None
        times = [item.time_ms for item in bundles]
        if unsettled_block is not None:  # the rest is younger still: the walk stops before it
            next_cursor: str | None = None
            resume: str | None = str(unsettled_block)
        elif bound is not None:
            next_cursor = str(bound + 1)
            resume = None
        else:
            next_cursor = None
            newest_block = max((item.block for item in bundles), default=start - 1)
            resume = str(max(start, newest_block + 1))
        return Page(
            records=tuple(records),
            next_cursor=next_cursor,
            oldest_ms=min(times, default=None),
            newest_ms=max(times, default=None),
            resume_cursor=resume,
            unsettled_ms=unsettled_ms,
        )

    # ------------------------------------------------------------------ protocol

    def unwrap(self, request: Request, response: HttpResponse) -> Any:
        status = response.status
        if status in (401, 404, 405):
            raise SyncFailure(
                describe(FailureKind.WRONG_SERVER, exchange=self.info.name, code=f"HTTP {status}")
            )
        if status == 403:
            raise SyncFailure(describe(FailureKind.IP_BANNED, exchange=self.info.name, code="HTTP 403"))
        if status != 200:
            raise SyncFailure(
                describe(FailureKind.REQUEST_REJECTED, exchange=self.info.name, code=f"HTTP {status}")
            )
        body = response.body if isinstance(response.body, bytes) else str(response.body).encode()
        if body.lstrip()[:1] == b"<":  # a web page, not the API
            raise SyncFailure(describe(FailureKind.WRONG_SERVER, exchange=self.info.name, code="HTTP 200"))
        try:
            envelope = json.loads(body.decode("utf-8", "replace"))
        except ValueError:
            raise BadBody() from None
        if not isinstance(envelope, Mapping) or "status" not in envelope or "result" not in envelope:
            raise SyncFailure(describe(FailureKind.WRONG_SERVER, exchange=self.info.name, code="HTTP 200"))
        result = envelope.get("result")
        if str(envelope.get("status")) == "1":
            return result
        message = str(envelope.get("message") or "")
        verdict, kind = errors.classify(message, result if isinstance(result, str) else "")
        code = message[:20] or "status 0"
        if verdict is errors.Verdict.EMPTY:
            return []
        if verdict is errors.Verdict.RATE_LIMITED:
            raise RateLimited(self._rate_wait(request), code=code)
        if verdict is errors.Verdict.TRANSIENT:
            raise Transient(code)
        assert kind is not None
        raise SyncFailure(errors.failure_for(kind, exchange=self.info.name, code=code))

    def _rate_wait(self, request: Request) -> float:
        """1, 2, 4 … 30 seconds for the same request refused again and again (a burst over the
        per-second limit passes after the first; a spent daily allowance ends the sync after the
        retry limit)."""
        state = self._rate_state
        count: int = state.count + 1 if getattr(state, "request", None) is request else 0
        state.request, state.count = request, count
        wait = min(MAX_BACKOFF_SECONDS, RATE_WAIT_SECONDS * 2.0**count)
        return wait / max(1.0, self.rate_limit_scale)

    def rate_limit_wait(self, response: HttpResponse, waits: int) -> float:
        retry_after = header_float(response.headers, "retry-after")
        if retry_after is not None:
            return retry_after
        return min(MAX_BACKOFF_SECONDS, 2.0**waits) / max(1.0, self.rate_limit_scale)

    # ------------------------------------------------------------------ key check

    def verify_key(self, should_stop: ShouldStop = lambda: False) -> KeyVerification:
        """The address is valid and the server answers its transaction list as an
        Etherscan-compatible API (with the key, where one is given)."""
        self._rows(self.send(self._list(normalize.NORMAL, 0, size=1), should_stop), normalize.NORMAL)
        notes = (
            translate(
                "keys",
                "Watch-only: the app reads this address's public history and can never move its coins.",
            ),
        )
        return KeyVerification(valid=True, read_only=True, permissions=("watch-only",), notes=notes)


__all__ = ["EvmConnector"]
