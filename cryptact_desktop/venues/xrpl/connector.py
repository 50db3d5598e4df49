"""The XRP Ledger connector: one account's history from a rippled or Clio JSON-RPC server, on the
shared REST base.

**The wallet.** The key's one credential is a classic address, checked locally (:mod:`.address`).
Nothing is signed: requests carry no secret, but they go only to https:// or to this computer like
every other venue's (an address's history is private too).

**Paging.** ``account_tx`` with ``forward: true`` walks the account's validated transactions
oldest first, ``ledger_index_min`` to ``ledger_index_max`` (-1: the newest validated ledger), a
page at a time; the answer's ``marker`` (opaque: whatever the server sent) asks for the next page.
The engine keeps a cursor between pages and between syncs: the marker, the ledger the walk started
from and the place ``(ledger, index in ledger)`` of the last transaction stored. When the walk
reaches the newest ledger, the next sync starts from that ledger again, skipping what it holds;
a server that has not validated that ledger yet (``lgrIdxsInvalid``: it lags behind the one read
before) has nothing new, and the sync after asks again from the same place.

**A refused marker.** A marker is good for about ten minutes; an expired or unknown one is refused
(``invalidParams``, or ``lgrIdxMalformed`` when it points outside the range). The walk then
restarts cleanly without it, from the ledger of the last transaction stored, and skips the
transactions of that ledger it already has: nothing is missed and nothing is stored twice. Only
if the server refuses that too does the sync fail (a request of ours it does not accept).

**Complete, or say so.** A walk from the start asks for the oldest ledger the server holds; the
answer says which ledger that was (``ledger_index_min``). A server that keeps only recent ledgers
(most public servers other than full-history ones) may lack the wallet's older transactions: if
the history it returns does not begin with the payment that created the account, the sync fails
with a message naming the gap and the full-history servers to choose instead.

**Records.** See :mod:`.normalize`: one record per transaction, validated transactions only.

**Errors.** See :mod:`.errors`. ``slowDown`` and HTTP 429 back off 1, 2, 4… up to 60 seconds.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cryptact_desktop.errors import FailureKind, SyncFailure, describe
from cryptact_desktop.i18n import translate
from cryptact_desktop.records import Parsed
from cryptact_desktop.sync.connector import KeyVerification, Page, ShouldStop, TimeWindow
from cryptact_desktop.sync.http import HttpResponse, PreparedRequest
from cryptact_desktop.sync.rest import (
    BadBody,
    RateLimited,
    Request,
    RestConnector,
    RetryLimits,
    Transient,
    header_float,
)
from cryptact_desktop.venues.base import StreamInfo, VenueInfo
from cryptact_desktop.venues.xrpl import errors, normalize
from cryptact_desktop.venues.xrpl.address import is_classic_address
from cryptact_desktop.venues.xrpl.catalogue import (
    ADDRESS_FIELD,
    FIRST_LEDGER,
    PAGE_LIMIT,
    RPC_LIMIT,
    RPC_LIMITER,
    XRPL,
)

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60.0
END_OF_LEDGER = 2**32  # a transaction index after every real one


class _Refused(Exception):  # noqa: N818 - a signal between unwrap() and fetch_page()
    """An answer the page logic handles itself (a refused marker or range, an unknown account)."""

    def __init__(self, error_name: str) -> None:
        super().__init__(error_name)
        self.error_name = error_name


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a walk stands: the ledger it asks from (None: the oldest the server holds), the place
    of the last transaction stored (skipped when asked again), the server's marker, and the time
    before which a walk from the start keeps nothing (the key's chosen start)."""

    start: int | None = None
    after: tuple[int, int] | None = None
    marker: Any = None
    floor_ms: int | None = None

    def encode(self) -> str:
        value = {"from": self.start, "after": list(self.after) if self.after else None, "marker": self.marker}
        if self.floor_ms is not None:
            value["floor"] = self.floor_ms
        return json.dumps(
            value,
            separators=(",", ":"),
            sort_keys=True,
        )

    @classmethod
    def decode(cls, text: str | None) -> Cursor:
        if not text:
            return cls()
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("cursor")
        start, after = value.get("from"), value.get("after")
        if start is not None and (not isinstance(start, int) or start <= 0):
            raise ValueError("cursor start")
        place: tuple[int, int] | None = None
        if after is not None:
            if not isinstance(after, list) or len(after) != 2 or not all(isinstance(v, int) for v in after):
                raise ValueError("cursor place")
            place = (after[0], after[1])
        floor = value.get("floor")
        if floor is not None and not isinstance(floor, int):
            raise ValueError("cursor floor")
        return cls(start, place, value.get("marker"), floor)

    @property
    def fresh(self) -> bool:
        """A walk from the very start of the account's history."""
        return self.start is None and self.marker is None

    def without_marker(self) -> Cursor:
        """The same walk restarted without the marker, from the last ledger stored."""
        if self.after is None:
            return Cursor(self.start, None, None, self.floor_ms)
        return Cursor(self.after[0], self.after, None, self.floor_ms)


class XrplConnector(RestConnector):
    info: VenueInfo = XRPL
    # Eight waits of 1, 2, 4 … 60 s ride out a public server's short-term limit.
    retry_limits = RetryLimits(rate_limit_waits=8)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text = self.credentials.get(ADDRESS_FIELD.name).strip()
        self._address = text if is_classic_address(text) else ""
        if not self._address:
            log.info("%s: the stored wallet is not a valid address", self.info.name)
        self._slow_downs = 0
        self._slow_lock = threading.Lock()

    @property
    def address(self) -> str:
        if not self._address:
            raise SyncFailure(describe(FailureKind.INVALID_ADDRESS, exchange=self.info.name))
        return self._address

    # ------------------------------------------------------------------ requests and pages

    def request_for(self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None) -> Request:
        return self._account_tx(self._cursor(cursor), stream.id)

    def _account_tx(self, state: Cursor, stream_id: str) -> Request:
        params: dict[str, Any] = {
            "account": self.address,
            "ledger_index_min": -1 if state.start is None else state.start,
            "ledger_index_max": -1,
            "forward": True,
            "limit": PAGE_LIMIT,
            "binary": False,
        }
        if state.marker is not None:
            params["marker"] = state.marker
        return _rpc("account_tx", params, stream_id)

    def _cursor(self, cursor: str | None) -> Cursor:
        try:
            return Cursor.decode(cursor)
        except ValueError:
            # A saved cursor this version cannot read: the engine redoes the window.
            raise SyncFailure(
                describe(FailureKind.REQUEST_REJECTED, exchange=self.info.name, code="cursor")
            ) from None

    def fetch_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, should_stop: ShouldStop
    ) -> Page:
        state = self._cursor(cursor)
        try:
            result = self.send(self._account_tx(state, stream.id), should_stop)
        except _Refused as refused:
            if refused.error_name == "actNotFound":
                return Page(records=(), next_cursor=None)  # never funded (or deleted): no history
            if refused.error_name == "lgrIdxsInvalid" and state.marker is None and state.start is not None:
                # The server has no validated ledger from where the last sync stopped (it lags
                # behind the server read before): nothing new yet; the next sync asks again.
                return Page(records=(), next_cursor=None, resume_cursor=state.encode())
            if state.marker is None or refused.error_name not in errors.RANGE_REFUSED:
                raise SyncFailure(
                    errors.failure_for(FailureKind.REQUEST_REJECTED, code=refused.error_name)
                ) from None
            log.info(
                "%s: the paging marker was refused (%s); restarting from ledger %s",
                stream.id,
                refused.error_name,
                state.after[0] if state.after else "the start",
            )
            state = state.without_marker()
            try:
                result = self.send(self._account_tx(state, stream.id), should_stop)
            except _Refused as again:
                raise SyncFailure(
                    errors.failure_for(FailureKind.REQUEST_REJECTED, code=again.error_name)
                ) from None
        return self._page(stream, window, state, result)

    def parse_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, result: Any
    ) -> Page:
        return self._page(stream, window, self._cursor(cursor), result)

    def _page(self, stream: StreamInfo, window: TimeWindow | None, state: Cursor, result: Any) -> Page:
        if not isinstance(result, Mapping) or not isinstance(result.get("transactions"), list):
            raise SyncFailure(self.unexpected(stream.id))
        searched_min, searched_max = result.get("ledger_index_min"), result.get("ledger_index_max")
        if not isinstance(searched_min, int) or not isinstance(searched_max, int):
            raise SyncFailure(self.unexpected(f"{stream.id} ledger range"))
        items: list[Mapping[str, Any]] = []
        places: list[tuple[int, int]] = []
        for number, item in enumerate(result["transactions"]):
            try:
                if not isinstance(item, Mapping):
                    raise ValueError("not an object")
                place = normalize.position(item)
            except ValueError as exc:
                raise SyncFailure(self.unexpected(f"{stream.id} record {number + 1}: {exc}")) from None
            if state.after is not None and place <= state.after:
                continue  # stored before the walk restarted
            items.append(item)
            places.append(place)
        if state.fresh:
            self._check_complete(searched_min, items)
        pending = [
            place for item, place in zip(items, places, strict=True) if not normalize.is_validated(item)
        ]
        marker = result.get("marker")
        parse = normalize.transaction(self.address)
        floor = state.floor_ms
        if floor is None and state.fresh and window is not None:
            floor = window.start_ms

        def parse_in_window(entry: Mapping[str, Any]) -> Parsed:
            parsed = parse(entry)
            if floor is not None and parsed.record is not None and parsed.record.timestamp_ms < floor:
                return Parsed(None, parsed.time_ms)  # before the key's chosen start
            return parsed

        # Pages are ordered among themselves but not inside (the docs): the newest place on the page.
        last = max(places) if places else state.after
        if pending:
            # Not validated yet (a server answering beyond its validated ledgers): stop before it.
            first = min(pending)
            stored = [p for p in places if p < first]
            resume = Cursor(first[0], max(stored) if stored else state.after, None, floor)
            kept = [
                item for item, place in zip(items, places, strict=True) if place < first or place in pending
            ]
            page = self.page_of(kept, parse_in_window, stream, window, None)
            return Page(
                page.records, None, page.oldest_ms, page.newest_ms, resume.encode(), page.unsettled_ms
            )
        if marker is not None:
            start = state.start if last is None else last[0]
            next_cursor = Cursor(start, last, marker, floor).encode()
            page = self.page_of(items, parse_in_window, stream, window, next_cursor)
            return page
        page = self.page_of(items, parse_in_window, stream, window, None)
        resume = Cursor(searched_max, (searched_max, END_OF_LEDGER))
        return Page(page.records, None, page.oldest_ms, page.newest_ms, resume.encode(), page.unsettled_ms)

    def _check_complete(self, searched_min: int, items: list[Mapping[str, Any]]) -> None:
        """A walk from the start must begin with the account's creation, or at the first ledger."""
        if searched_min <= FIRST_LEDGER:
            return
        if items and normalize.activated(normalize.meta_of(items[0]), self.address):
            return
        raise SyncFailure(
            errors.failure_for(
                FailureKind.WRONG_SERVER,
                code="incomplete history",
                detail=translate(
                    "errors",
                    "This server keeps the ledgers only from {ledger} on, and the wallet's older "
                    "transactions are not on it: choose a full-history server (XRPL Cluster or "
                    "s2.ripple.com).",
                ).format(ledger=searched_min),
            )
        )

    # ------------------------------------------------------------------ protocol

    def sign(self, request: Request, url: str, timestamp_ms: int) -> PreparedRequest:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        return PreparedRequest(request.method, url, headers, request.body)

    def unwrap(self, request: Request, response: HttpResponse) -> Any:
        text = (
            response.body.decode("utf-8", "replace")
            if isinstance(response.body, bytes)
            else str(response.body)
        )
        if response.status != 200:
            kind = FailureKind.IP_BANNED if response.status == 403 else FailureKind.WRONG_SERVER
            if response.status not in (401, 403, 404, 405):
                kind = FailureKind.REQUEST_REJECTED
            raise SyncFailure(errors.failure_for(kind, code=f"HTTP {response.status}"))
        try:
            body = json.loads(text, parse_float=Decimal)
        except ValueError:
            raise BadBody() from None
        result = body.get("result") if isinstance(body, dict) else None
        if not isinstance(result, dict):
            if isinstance(body, dict) and isinstance(body.get("error"), dict):  # a JSON-RPC 2.0 server
                code = body["error"].get("code")
                error_name = str(code) if isinstance(code, int) else "error"
                raise SyncFailure(errors.failure_for(FailureKind.WRONG_SERVER, code=error_name))
            raise SyncFailure(errors.failure_for(FailureKind.WRONG_SERVER, code="no result"))
        if result.get("status") != "error":
            with self._slow_lock:
                self._slow_downs = 0
            return result
        error_name = errors.safe_error_name(result.get("error"))
        if error_name in errors.RATE_LIMITED:
            raise RateLimited(self._backoff(), code=error_name)
        if error_name in errors.RETRY_LATER:
            raise Transient(error_name)
        if error_name in errors.RANGE_REFUSED or error_name == "actNotFound":
            raise _Refused(error_name)
        raise SyncFailure(errors.failure_for(errors.classify(error_name), code=error_name))

    def _backoff(self) -> float:
        with self._slow_lock:
            waits = self._slow_downs
            self._slow_downs += 1
        return min(MAX_BACKOFF_SECONDS, 2.0**waits) / max(1.0, self.rate_limit_scale)

    def rate_limit_wait(self, response: HttpResponse, waits: int) -> float:
        retry_after = header_float(response.headers, "retry-after")
        if retry_after is not None:
            return retry_after
        return min(MAX_BACKOFF_SECONDS, 2.0**waits) / max(1.0, self.rate_limit_scale)

    # ------------------------------------------------------------------ key check

    def verify_key(self, should_stop: ShouldStop = lambda: False) -> KeyVerification:
        """The address is valid and the server answers ``account_info`` as rippled does."""
        address = self.address
        warnings: list[str] = []
        try:
            result = self.send(
                _rpc("account_info", {"account": address, "ledger_index": "validated"}, "verify"), should_stop
            )
        except _Refused as refused:
            if refused.error_name != "actNotFound":
                raise SyncFailure(
                    errors.failure_for(FailureKind.REQUEST_REJECTED, code=refused.error_name)
                ) from None
            warnings.append(
                translate(
                    "keys",
                    "This address has never been activated on the XRP Ledger mainnet (it has no "
                    "history yet). Check that it is the right address and not a Testnet one.",
                )
            )
        else:
            if not isinstance(result.get("account_data"), Mapping):
                raise SyncFailure(errors.failure_for(FailureKind.WRONG_SERVER, code="no account_data"))
        oldest = self._oldest_ledger(should_stop)
        if oldest is not None and oldest > FIRST_LEDGER:
            warnings.append(
                translate(
                    "keys",
                    "This server keeps the ledgers only from {ledger} on; if the address is older, "
                    "choose a full-history server (XRPL Cluster or s2.ripple.com).",
                ).format(ledger=oldest)
            )
        notes = (
            translate(
                "keys",
                "Watch-only: the app reads this address's public history and can never move its funds.",
            ),
        )
        return KeyVerification(
            valid=True, read_only=True, permissions=("watch-only",), warnings=tuple(warnings), notes=notes
        )

    def _oldest_ledger(self, should_stop: ShouldStop) -> int | None:
        """The first ledger of the server's ``complete_ledgers`` (``"32570-90000000"``, or several
        ranges), None when it does not say."""
        try:
            result = self.send(_rpc("server_info", {}, "verify"), should_stop)
        except _Refused:
            return None
        info = result.get("info") if isinstance(result, Mapping) else None
        ranges = info.get("complete_ledgers") if isinstance(info, Mapping) else None
        first = ranges.split(",")[0].split("-")[0].strip() if isinstance(ranges, str) else ""
        return int(first) if first.isdigit() else None


def _rpc(method: str, params: Mapping[str, Any], stream_id: str) -> Request:
    body = json.dumps({"method": method, "params": [dict(params)]}, separators=(",", ":"))
    return Request(
        "POST",
        "/",
        body=body,
        limiter=RPC_LIMITER,
        rate_limit=RPC_LIMIT,
        stream_id=stream_id,
        signed=True,  # nothing is signed: sign() only sets the JSON headers every POST needs
        context=method,
    )


__all__ = ["Cursor", "XrplConnector"]
