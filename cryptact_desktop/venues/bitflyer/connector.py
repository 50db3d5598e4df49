"""The bitFlyer Lightning connector: read-only history for one API key, on the shared REST base.

**Requests.** Every private request is signed over the exact path and query string sent
(:mod:`.signing`), paced by one per-key limiter (500 per 5 minutes) and the shared per-IP limiter
(500 per 5 minutes, of which we use 90 %), and tightened at run time by the ``X-RateLimit-*``
headers bitFlyer sends (not in the docs; names as API clients read them: ``X-RateLimit-Remaining``,
``X-RateLimit-Reset``, ``X-RateLimit-Period``). A block ("future API requests will be blocked
temporarily", docs) is never provoked on purpose; if one comes, every stream waits until the reset.

**Paging.** Every list is newest first and paged with ``before`` = the smallest id seen; there is no
time filter, so the engine walks down from the newest record until a page reaches what an earlier
sync covered — a resync with nothing new costs one request per stream. (``after`` = the newest id
stored would make that request smaller, not fewer; the engine does not hand stored ids to a
connector, so it is not used.) ``count`` asks for 500: bitFlyer documents only the default of 100;
users report that a larger count answers 500. A page shorter than asked ends a walk once the same
API has answered a full page in this session; before that, one more request confirms the end, so a
smaller undocumented cap could never cut a history short.

**Discovery.** Executions are listed per product code and the balance history per currency. The
product codes are those ``getmarkets`` lists (``/usa`` and ``/eu`` too when the account holds USD or
EUR), those of Lightning trades in the balance history (order ids ``JOR…``; a pair bitFlyer no longer
lists appears only there) and those synced before. The currencies are those ``getbalance`` lists,
those of every product code, and those synced before. On a key's first sync of an endpoint the
balance history is read to its oldest row to find old pairs; the pages read are kept and handed to
the balance-history streams, so nothing is fetched twice. Later syncs read the newest page of each
currency only (the same page the stream's walk starts with).

**Errors.** See :mod:`.errors`. A refusal for the signature triggers one clock check first
(bitFlyer does not document how it answers a stale timestamp): the clock is measured from the
``Date`` header of the public ``/v1/gethealth`` and the request is signed again.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from cryptact_desktop.errors import FailureKind, SyncFailure
from cryptact_desktop.i18n import translate
from cryptact_desktop.sync.connector import KeyVerification, Page, ShouldStop, TimeWindow
from cryptact_desktop.sync.http import HttpResponse, PreparedRequest
from cryptact_desktop.sync.ratelimit import Limiter, RollingWindowLimiter
from cryptact_desktop.sync.rest import (
    BadBody,
    ClockSkew,
    RateLimited,
    Request,
    RestConnector,
    Transient,
    header_float,
    header_int,
)
from cryptact_desktop.venues.base import EndpointInfo, StreamInfo, VenueInfo
from cryptact_desktop.venues.bitflyer import errors
from cryptact_desktop.venues.bitflyer.catalogue import (
    BITFLYER,
    IP_LIMIT,
    PRIVATE_LIMIT,
    PRIVATE_LIMITER,
    PUBLIC_LIMITER,
)
from cryptact_desktop.venues.bitflyer.normalize import LIGHTNING_ORDER, split_product
from cryptact_desktop.venues.bitflyer.signing import sign
from cryptact_desktop.venues.bitflyer.streams import parser, request_of, split_stream_id

log = logging.getLogger(__name__)

PERMISSIONS_PATH = "/v1/me/getpermissions"
BALANCE_PATH = "/v1/me/getbalance"
HEALTH_PATH = "/v1/gethealth"
MARKET_LISTS = {"": "/v1/getmarkets", "USD": "/v1/getmarkets/usa", "EUR": "/v1/getmarkets/eu"}
TRADE_PATHS = frozenset(
    {
        "/v1/me/sendchildorder",
        "/v1/me/cancelchildorder",
        "/v1/me/sendparentorder",
        "/v1/me/cancelparentorder",
        "/v1/me/cancelallchildorders",
    }
)
WITHDRAW_PATHS = frozenset({"/v1/me/withdraw"})
SEND_COIN_PATHS = frozenset({"/v1/me/sendcoin"})
_SCAN_THREADS = 8


@dataclass(slots=True)
class _Scan:
    """How far the discovery has read one currency's balance history."""

    pages: int = 0
    next_cursor: str | None = None

    @property
    def complete(self) -> bool:
        return self.pages > 0 and self.next_cursor is None


class BitflyerConnector(RestConnector):
    info: VenueInfo = BITFLYER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._survey_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        # (stream id, cursor) -> (page JSON, next cursor): balance-history pages read while
        # discovering, handed to the stream's walk instead of fetching them again.
        self._cache: dict[tuple[str, str], tuple[str, str | None]] = {}
        self._balances: set[str] | None = None
        self._markets: set[str] | None = None
        self._scans: dict[str, _Scan] = {}
        self._lightning_products: set[str] = set()
        self._ledger_currencies: set[str] = set()
        self._ledger_failure: SyncFailure | None = None
        self._full_pages: set[str] = set()  # paths that answered a full page in this session
        self._clock_checked = False

    # ------------------------------------------------------------------ requests and pages

    def request_for(self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None) -> Request:
        spec = request_of(stream.id)
        params: list[tuple[str, str]] = []
        if spec.subject_param:
            params.append((spec.subject_param, stream.subject))
        params.append(("count", str(stream.page_limit)))
        if cursor:
            params.append(("before", cursor))
        return Request(
            "GET",
            spec.path,
            tuple(params),
            limiter=stream.limiter,
            rate_limit=stream.rate_limit,
            stream_id=stream.id,
        )

    def parse_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, result: Any
    ) -> Page:
        items = _as_list(result)
        if items is None:
            raise SyncFailure(self.unexpected(stream.id))
        return self.page_of(items, parser(stream.id), stream, window, self._next_cursor(stream, items))

    def fetch_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, should_stop: ShouldStop
    ) -> Page:
        with self._cache_lock:
            cached = self._cache.pop((stream.id, cursor or ""), None)
        if cached is None:
            return super().fetch_page(stream, window, cursor, should_stop)
        text, next_cursor = cached
        items = json.loads(text, parse_float=Decimal)
        return self.page_of(items, parser(stream.id), stream, window, next_cursor)

    def _next_cursor(self, stream: StreamInfo, items: list[Any]) -> str | None:
        if not items:
            return None
        path = request_of(stream.id).path
        if len(items) >= stream.page_limit:
            self._full_pages.add(path)
        elif path in self._full_pages:
            return None  # a short page from an API known to honour the count: the walk's end
        ids: list[int] = []
        for position, item in enumerate(items):
            value = item.get("id") if isinstance(item, dict) else None
            if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
                raise SyncFailure(self.unexpected(f"{stream.id} record {position + 1}: id"))
            ids.append(int(value))
        return str(min(ids))

    # ------------------------------------------------------------------ protocol

    def sign(self, request: Request, url: str, timestamp_ms: int) -> PreparedRequest:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        timestamp = str(timestamp_ms // 1000)
        creds = self.credentials
        headers = {
            "ACCESS-KEY": creds.api_key,
            "ACCESS-TIMESTAMP": timestamp,
            "ACCESS-SIGN": sign(creds.secret, timestamp, request.method, path, request.body),
        }
        if request.body:
            headers["Content-Type"] = "application/json"
        return PreparedRequest(request.method, url, headers, request.body)

    def observe(self, request: Request, limiter: Limiter, response: HttpResponse) -> None:
        if not isinstance(limiter, RollingWindowLimiter):  # a budget shared with other processes
            return
        remaining = header_int(response.headers, "x-ratelimit-remaining")
        if remaining is None:
            return
        reset = header_float(response.headers, "x-ratelimit-reset")
        reset_at: float | None = None
        if reset is not None:
            # A Unix time in seconds as API clients read it; a small number is taken as seconds
            # from now (the docs say nothing about these headers).
            seconds = reset - self.server_ms() / 1000 if reset > 1_000_000_000 else reset
            reset_at = time.monotonic() + min(max(0.0, seconds), 3_600.0)
        limiter.observe(None, remaining, reset_at)
        if request.signed and remaining > 0:
            # Requests of this key we did not send (another program) count as sent now. An
            # exhausted budget is not: the block above lasts until the reset bitFlyer names.
            limiter.observe_used(max(0, limiter.limit - remaining))

    def unwrap(self, request: Request, response: HttpResponse) -> Any:
        try:
            body: Any = json.loads(response.body, parse_float=Decimal) if response.body else None
        except (ValueError, UnicodeDecodeError):
            body = _NOT_JSON
        envelope = body if isinstance(body, dict) and "error_message" in body else None
        if response.status == 200 and envelope is None:
            if body is _NOT_JSON or body is None:
                raise BadBody()
            return body
        status: int | None = None
        message = ""
        if envelope is not None:
            message = str(envelope.get("error_message") or "")
            raw_status = envelope.get("status")
            try:
                status = int(raw_status) if raw_status is not None else None
            except (TypeError, ValueError):
                status = None
        code = str(status) if status is not None else f"HTTP {response.status}"
        kind = errors.classify(response.status, status, message)
        if kind is errors.Signal.RETRY:
            raise Transient(code)
        if kind is errors.Signal.RATE_LIMIT:
            raise RateLimited(self._wait_seconds(response), code=code)
        if kind is errors.Signal.CLOCK or (kind is FailureKind.SIGNATURE and not self._clock_checked):
            raise ClockSkew(code)
        assert isinstance(kind, FailureKind)
        raise SyncFailure(errors.failure_for(kind, code=code, path=request.path))

    def _wait_seconds(self, response: HttpResponse) -> float:
        reset = header_float(response.headers, "x-ratelimit-reset")
        if reset is None:
            return 1.0
        seconds = reset - self.server_ms() / 1000 if reset > 1_000_000_000 else reset
        return min(max(1.0, seconds), 3_600.0)

    def server_time_ms(self, should_stop: ShouldStop) -> int | None:
        """bitFlyer has no time endpoint: the ``Date`` header of a public answer (to the second)."""
        response = self.http.get(f"{self.base_url}{HEALTH_PATH}", {}, should_stop)
        for name, value in response.headers.items():
            if name.lower() == "date":
                try:
                    return int(parsedate_to_datetime(value).timestamp() * 1000) + 500
                except (TypeError, ValueError):
                    return None
        return None

    def measure_clock_offset(self, should_stop: ShouldStop, *, code: str = "") -> None:
        self._clock_checked = True
        super().measure_clock_offset(should_stop, code=code)

    # ------------------------------------------------------------------ key check

    def verify_key(self, should_stop: ShouldStop = lambda: False) -> KeyVerification:
        request = Request(
            "GET", PERMISSIONS_PATH, limiter=PRIVATE_LIMITER, rate_limit=PRIVATE_LIMIT, stream_id="verify"
        )
        result = self.send(request, should_stop)
        if not isinstance(result, list):
            raise SyncFailure(self.unexpected("permissions"))
        return verification(str(p) for p in result)

    # ------------------------------------------------------------------ discovery

    def discover_streams(
        self, endpoint: EndpointInfo, known: Sequence[str], should_stop: ShouldStop
    ) -> tuple[StreamInfo, ...]:
        template = endpoint.streams[0]
        subjects = {split_stream_id(s)[1] for s in known if s.startswith(f"{template.id}:")}
        subjects.discard("")
        if endpoint.id == "executions":
            self._survey(subjects, set(), deep=not subjects, should_stop=should_stop)
            found = (self._markets or set()) | self._lightning_products | subjects
        elif endpoint.id == "balance_history":
            self._survey(set(), subjects, deep=not subjects, should_stop=should_stop)
            if self._ledger_failure is not None:
                raise self._ledger_failure
            found = self._currencies() | subjects
        else:
            return endpoint.streams
        return tuple(template.for_subject(s) for s in sorted(found) if _is_code(s))

    def _currencies(self) -> set[str]:
        found = set(self._balances or set()) | self._ledger_currencies | set(self._scans)
        for code in self._markets or set():
            found.update(_currencies_of(code))
        return {c for c in found if _is_code(c)}

    def _survey(
        self, products: set[str], currencies: set[str], *, deep: bool, should_stop: ShouldStop
    ) -> None:
        """Read what discovery needs (once per sync; a deeper need continues what was read)."""
        with self._survey_lock:
            if self._balances is None:
                self._balances = self._fetch_balances(should_stop)
            if self._markets is None:
                self._markets = self._fetch_markets(should_stop)
            wanted = self._currencies() | currencies
            for code in products:
                wanted.update(_currencies_of(code))
            while self._ledger_failure is None:
                todo = sorted(c for c in wanted if _is_code(c) and self._needs_scan(c, deep))
                if not todo:
                    break
                workers = min(_SCAN_THREADS, len(todo))
                with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bitflyer-scan") as pool:
                    list(pool.map(lambda c: self._scan(c, deep, should_stop), todo))
                wanted = self._currencies()

    def _needs_scan(self, currency: str, deep: bool) -> bool:
        scan = self._scans.get(currency)
        if scan is None or scan.pages == 0:
            return True
        return deep and not scan.complete

    def _scan(self, currency: str, deep: bool, should_stop: ShouldStop) -> None:
        stream = BITFLYER.endpoint("balance_history").streams[0].for_subject(currency)
        with self._cache_lock:
            scan = self._scans.setdefault(currency, _Scan())
        try:
            while self._ledger_failure is None and (scan.pages == 0 or (deep and not scan.complete)):
                cursor = scan.next_cursor
                result = self.send(self.request_for(stream, None, cursor), should_stop)
                items = _as_list(result)
                if items is None:
                    raise SyncFailure(self.unexpected(stream.id))
                next_cursor = self._next_cursor(stream, items)
                self._learn(items)
                text = json.dumps(items, default=str, separators=(",", ":"))
                with self._cache_lock:
                    self._cache[(stream.id, cursor or "")] = (text, next_cursor)
                scan.pages += 1
                scan.next_cursor = next_cursor
        except SyncFailure as exc:
            if exc.kind is not FailureKind.PERMISSION:
                raise
            log.info("%s: the key cannot read the balance history; discovery goes without it", self.info.name)
            self._ledger_failure = exc

    def _learn(self, items: Iterable[Any]) -> None:
        """Product codes and currencies named by balance-history rows."""
        for item in items:
            if not isinstance(item, dict):
                continue
            if str(item.get("trade_type", "")).upper() not in ("BUY", "SELL"):
                continue
            code = str(item.get("product_code") or "").upper()
            if not _is_code(code):
                continue
            with self._cache_lock:
                self._ledger_currencies.update(_currencies_of(code))
                if str(item.get("order_id") or "").upper().startswith(LIGHTNING_ORDER):
                    self._lightning_products.add(code)

    def _fetch_balances(self, should_stop: ShouldStop) -> set[str]:
        request = Request(
            "GET", BALANCE_PATH, limiter=PRIVATE_LIMITER, rate_limit=PRIVATE_LIMIT, stream_id="discover"
        )
        try:
            result = self.send(request, should_stop)
        except SyncFailure as exc:
            if exc.kind is not FailureKind.PERMISSION:
                raise
            log.info("%s: the key cannot read balances; discovery goes without them", self.info.name)
            return set()
        items = _as_list(result) or []
        return {str(i.get("currency_code", "")).upper() for i in items if isinstance(i, dict)} - {""}

    def _fetch_markets(self, should_stop: ShouldStop) -> set[str]:
        found: set[str] = set()
        for currency, path in MARKET_LISTS.items():
            if currency and currency not in (self._balances or set()):
                continue  # a region's market list matters only to an account holding its currency
            request = Request(
                "GET", path, limiter=PUBLIC_LIMITER, rate_limit=IP_LIMIT, stream_id="discover", signed=False
            )
            items = _as_list(self.send(request, should_stop)) or []
            found.update(str(i.get("product_code", "")).upper() for i in items if isinstance(i, dict))
        return {c for c in found if _is_code(c)}


class _NotJson:
    pass


_NOT_JSON = _NotJson()


def _as_list(result: Any) -> list[Any] | None:
    return result if isinstance(result, list) else None


def _is_code(text: str) -> bool:
    return bool(text) and len(text) <= 40 and text.replace("_", "").isalnum() and text.upper() == text


def _currencies_of(product: str) -> set[str]:
    base, quote, _ = split_product(product)
    return {base, quote} if quote else set()


def verification(paths: Iterable[str]) -> KeyVerification:
    """What ``getpermissions`` says about a key (docs: "Returns a list of HTTP Private APIs that can
    be used with the API key"): read-only unless it lists an order, withdrawal or coin-send API."""
    granted = tuple(sorted({p.strip() for p in paths if p.strip()}))
    allowed = set(granted)
    abilities = []
    if allowed & TRADE_PATHS:
        abilities.append(translate("keys", "trade"))
    if allowed & WITHDRAW_PATHS:
        abilities.append(translate("keys", "withdraw funds"))
    if allowed & SEND_COIN_PATHS:
        abilities.append(translate("keys", "send coins"))
    warnings: list[str] = []
    if abilities:
        if len(abilities) > 1:
            what = translate("keys", "{items} and {last}").format(
                items=", ".join(abilities[:-1]), last=abilities[-1]
            )
        else:
            what = abilities[0]
        warnings.append(
            translate(
                "keys",
                "This key is not read-only: it can {what}. This app only reads; create a key on "
                "bitFlyer with only the history permissions ticked, for safety.",
            ).format(what=what)
        )
    notes: list[str] = []
    for endpoint in BITFLYER.endpoints:
        path = request_of(endpoint.streams[0].id).path
        if path not in allowed:
            notes.append(
                translate(
                    "keys",
                    "This key cannot read “{history}”: tick “{permission}” for it on bitFlyer, or "
                    "untick that history here.",
                ).format(history=endpoint.display_name(), permission=errors.PATH_NAMES.get(path, path))
            )
    return KeyVerification(
        valid=True,
        read_only=not abilities,
        permissions=granted,
        warnings=tuple(warnings),
        notes=tuple(notes),
    )
