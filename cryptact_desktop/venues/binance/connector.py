"""The Binance connector: read-only history for one API key, on the shared REST base.

**Requests.** Every signed request carries ``timestamp`` and ``recvWindow`` and ends with the
``signature`` over its exact query string (:mod:`.signing`); the key travels in ``X-MBX-APIKEY``.
Futures requests go to ``fapi.binance.com``/``dapi.binance.com`` when the key uses Binance's own
hosts (a custom URL, a simulator, serves everything).

**Weights.** Each request takes its documented weight from the budget its endpoint counts against
(:mod:`.catalogue`): the ``/api`` budget per IP address, one budget per ``/sapi`` endpoint (per IP
or per account), the futures budgets per IP. Budgets per IP address are shared by every key this
app syncs and kept at 90 % (other programs on the same network count too); an account's budgets
are its own. Binance reports what each window has used (``X-MBX-USED-WEIGHT-1M``,
``X-SAPI-USED-IP-WEIGHT-1M``, ``X-SAPI-USED-UID-WEIGHT-1M`` and their ``-1S`` forms): more than we
counted (another program) counts as sent now. A 429 blocks every stream on that budget for the
``Retry-After`` seconds Binance names, because "failing to back off after receiving 429s will
result in an automated IP ban (HTTP status 418)" (``rest-api.md`` "IP Limits"); a 418 stops the key.

**Paging.** See :mod:`.streams`. Trades are walked by ``fromId`` from 0 upward, 1000 a page; the
``fromId`` after the newest trade is kept as the resume cursor, so a resync asks once per pair.

**Pairs.** ``myTrades`` needs a symbol and there is no "all my trades" list (Binance staff, spot
docs issue 25: "clients have to go through each symbol"). The trade endpoints are therefore listed
*after* every other endpoint of the sync (``discover_late``), and their pairs are:

* the pairs of every coin the account holds now (``/api/v3/account``) or that any record fetched in
  this sync names (deposits, withdrawals, converts, dust, Earn, fiat, transfers, futures), whatever
  the quote: every pair Binance lists (``exchangeInfo``) with such a coin as its base;
* on a key's first sync of the endpoint, the same for history older than this sync fetched (older
  than the key's sync start, or of endpoints not ticked): those lists are read to their start
  (bank deposits and withdrawals excepted: two requests a minute, and a fiat coin only ever quotes
  a pair whose base another record names); later syncs read the newest window of an unticked one;
* each new pair's first page is fetched while listing (kept for the pair's own walk, never fetched
  twice); a fill's quote and fee coins name further coins, whose pairs are tried in turn;
* every pair synced before, listed or not. A pair Binance no longer lists answers -1121 and a coin
  of the history without any listed pair cannot be asked for at all: both are named gaps on the
  endpoint row, with the export file as remedy.

A coin bought and sold again without ever being held at a sync, moved in or out, converted or
earned is not found; the endpoint's look-back text says so (the trade history export has it).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from cryptact_desktop.errors import KEY_FATAL_KINDS, FailureKind, SyncFailure
from cryptact_desktop.i18n import translate
from cryptact_desktop.sync.connector import KeyVerification, Page, ShouldStop, TimeWindow
from cryptact_desktop.sync.http import HttpResponse, PreparedRequest
from cryptact_desktop.sync.ratelimit import Limiter, shared_limiter
from cryptact_desktop.sync.rest import (
    IP_LIMIT_SHARE,
    BadBody,
    ClockSkew,
    RateLimited,
    Request,
    RestConnector,
    Transient,
    header_float,
    header_int,
)
from cryptact_desktop.venues.base import DAY_MS, EndpointInfo, Paging, RateLimit, StreamInfo, VenueInfo
from cryptact_desktop.venues.binance import errors
from cryptact_desktop.venues.binance.catalogue import (
    API_LIMITER,
    API_WEIGHT,
    BINANCE,
    MARGIN_TRADES,
    SAPI_IP_WEIGHT,
    sapi_limiter,
)
from cryptact_desktop.venues.binance.normalize import split_subject, symbol_of
from cryptact_desktop.venues.binance.signing import sign
from cryptact_desktop.venues.binance.streams import StreamRequest, parser, request_of, split_stream_id

log = logging.getLogger(__name__)

RECV_WINDOW_MS = 10_000  # the docs allow up to 60,000; rotki sends 10,000 too
TIME_PATH = "/api/v3/time"
EXCHANGE_INFO_PATH = "/api/v3/exchangeInfo"
ACCOUNT_PATH = "/api/v3/account"
API_RESTRICTIONS_PATH = "/sapi/v1/account/apiRestrictions"
MARGIN_ACCOUNT_PATH = "/sapi/v1/margin/account"
ISOLATED_ACCOUNT_PATH = "/sapi/v1/margin/isolated/account"
# Binance's own API hosts; the futures APIs live on their own hosts beside them.
OFFICIAL_HOSTS = frozenset(
    {
        "https://api.binance.com",
        "https://api-gcp.binance.com",
        "https://api1.binance.com",
        "https://api2.binance.com",
        "https://api3.binance.com",
        "https://api4.binance.com",
    }
)
FUTURES_HOSTS = {"/fapi/": "https://fapi.binance.com", "/dapi/": "https://dapi.binance.com"}
_USED_WEIGHT_HEADERS = (
    ("x-mbx-used-weight-1m", 60.0),
    ("x-sapi-used-ip-weight-1m", 60.0),
    ("x-sapi-used-uid-weight-1m", 60.0),
    ("x-sapi-used-ip-weight-1s", 1.0),
    ("x-sapi-used-uid-weight-1s", 1.0),
)
# The lists read for the coins they name (bank deposits and withdrawals left out, see above).
COIN_LISTS = frozenset(
    {"deposits", "withdrawals", "converts", "dust", "card_buys", "card_sells", "earn_locked"}
)
COIN_LIST_PREFIXES = ("earn_flexible_", "transfer_")
MAX_PROBE_ROUNDS = 4
_THREADS = 8


@dataclass(frozen=True, slots=True)
class _Cached:
    """A trade page fetched while listing pairs: its body, or the refusal it got."""

    text: str = ""
    failure: SyncFailure | None = None


class BinanceConnector(RestConnector):
    info: VenueInfo = BINANCE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._survey_lock = threading.Lock()
        self._spot_lock = threading.Lock()
        self._cache: dict[tuple[str, str], _Cached] = {}
        self._coins: set[str] = set()  # coins named by the records parsed in this sync
        self._moved: set[str] = set()  # of those, coins moved in, out or swapped (not futures margin)
        self._fetched_from: dict[str, int] = {}  # stream id -> the oldest window start fetched
        self._markets: dict[str, tuple[str, str, bool]] | None = None  # symbol -> base, quote, margin
        self._held: set[str] | None = None
        self._scanned: str = ""  # "" nothing yet, "shallow", "deep"
        self._spot_subjects: set[str] | None = None
        self._key_check_lock = threading.Lock()
        self._key_checked = False
        self._key_refused: SyncFailure | None = None
        self._gates: dict[str, tuple[threading.Event, threading.RLock]] = {}

    # ------------------------------------------------------------------ protocol

    def send(self, request: Request, should_stop: ShouldStop) -> Any:
        """The first request on each budget goes alone: until its answer has shown what the budget
        has left (another program on this address, or an earlier sync cut short, may have used it
        up and be waiting out a 429), the others on that budget wait instead of arriving together
        during a ``Retry-After``, which Binance counts as not backing off."""
        with self._lock:
            opened, gate = self._gates.setdefault(
                f"{self.base_url_for(request)} {request.limiter or request.path}",
                (threading.Event(), threading.RLock()),
            )
        if not opened.is_set():
            with gate:
                if not opened.is_set():
                    try:
                        return super().send(request, should_stop)
                    finally:
                        opened.set()
        return super().send(request, should_stop)

    def base_url_for(self, request: Request) -> str:
        if self.base_url in OFFICIAL_HOSTS:
            for prefix, host in FUTURES_HOSTS.items():
                if request.path.startswith(prefix):
                    return host
        return self.base_url

    def limiter_for(self, request: Request) -> Limiter:
        name = request.limiter or request.path
        if not name.startswith("ip:"):
            return super().limiter_for(request)
        limit = request.rate_limit or API_WEIGHT
        scaled = max(1, int(limit.requests * self.rate_limit_scale * IP_LIMIT_SHARE))
        # Every key syncing through this address shares the budget (in this process).
        return shared_limiter(f"{self.base_url_for(request)} {name}", scaled, limit.per_seconds)

    def sign(self, request: Request, url: str, timestamp_ms: int) -> PreparedRequest:
        base, _, query = url.partition("?")
        stamp = f"timestamp={timestamp_ms}&recvWindow={RECV_WINDOW_MS}"
        total = f"{query}&{stamp}" if query else stamp
        signature = sign(self.credentials.secret, total + request.body)
        headers = {"X-MBX-APIKEY": self.credentials.api_key}
        if request.body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return PreparedRequest(request.method, f"{base}?{total}&signature={signature}", headers, request.body)

    def observe(self, request: Request, limiter: Limiter, response: HttpResponse) -> None:
        for name, seconds in _USED_WEIGHT_HEADERS:
            used = header_int(response.headers, name)
            if used is not None and seconds == limiter.per_seconds:
                limiter.observe_used(used)

    def unwrap(self, request: Request, response: HttpResponse) -> Any:
        try:
            body: Any = json.loads(response.body, parse_float=Decimal) if response.body else None
        except (ValueError, UnicodeDecodeError):
            body = _NOT_JSON
        code = _error_code(body)
        if response.status == 200 and code is None:
            if body is _NOT_JSON or body is None:
                raise BadBody()
            return body
        kind = errors.classify(response.status, code, request.path)
        code_text = str(code) if code is not None and response.status != 418 else f"HTTP {response.status}"
        if kind is errors.Signal.RETRY:
            raise Transient(code_text)
        if kind is errors.Signal.RATE_LIMIT:
            seconds = header_float(response.headers, "retry-after")
            raise RateLimited(max(1.0, seconds) if seconds is not None else 1.0, code=code_text)
        if kind is errors.Signal.CLOCK:
            raise ClockSkew(code_text)
        if kind is errors.Signal.EMPTY:
            return None
        assert isinstance(kind, FailureKind)
        if kind is FailureKind.PERMISSION and code == -2015:
            # -2015 on a futures path: a key made before the futures account was opened — or a
            # key refused everywhere (its trusted IPs, deleted). The key check tells them apart.
            refusal = self._key_refusal()
            if refusal is not None:
                raise refusal
        if kind is FailureKind.IP_BANNED and response.status == 418:
            # Nobody on this budget sends again before the ban ends (Binance: "until the ban is over").
            seconds = header_float(response.headers, "retry-after") or 120.0
            self.limiter_for(request).block_until(time.monotonic() + min(seconds, 3 * DAY_MS / 1000))
        raise SyncFailure(
            errors.failure_for(
                kind,
                code=code_text,
                path=request.path,
                subject=request.context,
                exchange=self.info.name,
            )
        )

    def server_time_ms(self, should_stop: ShouldStop) -> int | None:
        """``GET /api/v3/time`` ("Check server time", weight 1, unsigned)."""
        request = Request(
            "GET",
            TIME_PATH,
            limiter=API_LIMITER,
            rate_limit=API_WEIGHT,
            cost=1,
            stream_id="clock",
            signed=False,
        )
        result = self.send(request, should_stop)
        value = result.get("serverTime") if isinstance(result, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    # ------------------------------------------------------------------ requests and pages

    def request_for(self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None) -> Request:
        spec = request_of(stream.id)
        limit = str(stream.page_limit)
        params: list[tuple[str, str]]
        if spec.paging == "from_id":
            params = [("symbol", symbol_of(stream.subject)), *spec.params]
            params += [("fromId", cursor or "0"), ("limit", limit)]
        elif spec.paging == "newest":
            params = [("endTime", cursor)] if cursor else []
        else:
            if window is None:
                raise ValueError(f"{stream.id} needs a time window")
            start, end = str(window.start_ms), str(window.end_ms)
            params = [*spec.params, (spec.start_param, start)]
            if spec.paging == "offset":
                params += [(spec.end_param, end), ("offset", cursor or "0"), ("limit", limit)]
            elif spec.paging == "end_time":
                params += [(spec.end_param, cursor or end), ("limit", limit)]
            else:
                params += [(spec.end_param, end), (spec.page_param, cursor or "1"), (spec.size_param, limit)]
        return Request(
            "GET",
            spec.path,
            tuple(params),
            limiter=stream.limiter,
            rate_limit=stream.rate_limit,
            cost=stream.cost,
            stream_id=stream.id,
            context=stream.subject,
        )

    def fetch_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, should_stop: ShouldStop
    ) -> Page:
        spec = request_of(stream.id)
        with self._lock:
            if stream.paging is Paging.TIME_WINDOW and window is not None:
                before = self._fetched_from.get(stream.id, window.start_ms)
                self._fetched_from[stream.id] = min(before, window.start_ms)
            elif stream.paging is Paging.NEWEST_FIRST:
                self._fetched_from.setdefault(stream.id, 0)
            cached = self._cache.pop((stream.id, cursor or ""), None)
        if spec.paging == "from_id" and "/" not in stream.subject:
            raise SyncFailure(self._no_pair(stream))
        if cached is None:
            return super().fetch_page(stream, window, cursor, should_stop)
        if cached.failure is not None:
            raise cached.failure
        return self.parse_page(stream, window, cursor, json.loads(cached.text, parse_float=Decimal))

    def parse_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, result: Any
    ) -> Page:
        spec = request_of(stream.id)
        try:
            items = [] if result is None and spec.path == MARGIN_TRADES else spec.items(result)
            next_cursor, resume = self._next(stream, spec, window, cursor, result, items)
        except ValueError as exc:
            raise SyncFailure(self.unexpected(f"{stream.id}: {exc}")) from None
        if spec.paging == "from_id" and window is not None:
            # A walk from the pair's first trade: what is older than the key's sync start is not kept.
            items = [
                i for i in items if _time_or_none(i, spec.time_field, window.start_ms) >= window.start_ms
            ]
        page = self.page_of(items, parser(stream.id), stream, window, next_cursor)
        self._learn(
            (c for r in page.records for c in (r.base, r.quote, r.fee_currency)), moved=_names_coins(stream)
        )
        return replace(page, resume_cursor=resume) if resume is not None else page

    def _next(
        self,
        stream: StreamInfo,
        spec: StreamRequest,
        window: TimeWindow | None,
        cursor: str | None,
        result: Any,
        items: list[Any],
    ) -> tuple[str | None, str | None]:
        """(the next page's cursor, the resume cursor of a fromId walk)."""
        full = len(items) >= stream.page_limit
        if spec.paging == "from_id":
            if not items:
                return None, cursor or "0"
            after = str(max(_int_field(i, "id") for i in items) + 1)
            return (after if full else None), after
        if spec.paging == "offset":
            return (str(int(cursor or "0") + len(items)) if full else None), None
        if spec.paging == "end_time":
            if not (isinstance(result, Mapping) and result.get("moreData") is True and items):
                return None, None
            oldest = min(_int_field(i, spec.time_field) for i in items)
            if cursor is not None and oldest >= int(cursor):
                oldest = int(cursor) - 1  # a full page of one millisecond: step below it
            if window is not None and oldest < window.start_ms:
                return None, None
            return str(oldest), None
        if spec.paging == "newest":
            dribblets = result.get("userAssetDribblets") if isinstance(result, Mapping) else None
            if not isinstance(dribblets, list) or len(dribblets) < stream.page_limit or not items:
                return None, None
            return str(min(_int_field(i, spec.time_field) for i in items) - 1), None
        page = int(cursor or "1")
        total = result.get(spec.total_field) if isinstance(result, Mapping) and spec.total_field else None
        if isinstance(total, int) and not isinstance(total, bool):
            return (str(page + 1) if page * stream.page_limit < total else None), None
        return (str(page + 1) if full else None), None

    def _learn(self, coins: Iterable[str], *, moved: bool) -> None:
        found = {c for c in coins if c}
        if found:
            with self._lock:
                self._coins |= found
                if moved:
                    self._moved |= found

    def _no_pair(self, stream: StreamInfo) -> Any:
        return errors.failure_for(
            FailureKind.HISTORY_GAP,
            code="",
            path=request_of(stream.id).path,
            subject=stream.subject,
            exchange=self.info.name,
        )

    # ------------------------------------------------------------------ key check

    def _key_refusal(self) -> SyncFailure | None:
        """Whether Binance refuses this key as a whole (checked once per sync: the key check
        costs one request of weight 1)."""
        with self._key_check_lock:
            if not self._key_checked:
                try:
                    self.verify_key()
                except SyncFailure as exc:
                    if exc.kind in KEY_FATAL_KINDS:
                        self._key_refused = exc
                self._key_checked = True
            return self._key_refused

    def verify_key(self, should_stop: ShouldStop = lambda: False) -> KeyVerification:
        """``GET /sapi/v1/account/apiRestrictions`` ("Get API Key Permission", IP weight 1)."""
        result = self.send(self._sapi(API_RESTRICTIONS_PATH, "verify"), should_stop)
        if not isinstance(result, dict):
            raise SyncFailure(self.unexpected("apiRestrictions"))
        return verification(result, self.info.name)

    # ------------------------------------------------------------------ discovery

    def discover_streams(
        self, endpoint: EndpointInfo, known: Sequence[str], should_stop: ShouldStop
    ) -> tuple[StreamInfo, ...]:
        if endpoint.id == "spot_trades":
            template = endpoint.streams[0]
            subjects = self._spot(_subjects(known, template.id), should_stop)
            return tuple(template.for_subject(s) for s in sorted(subjects))
        if endpoint.id == "margin_trades":
            cross_t, isolated_t = endpoint.stream("margin_cross"), endpoint.stream("margin_isolated")
            cross, isolated = self._margin(
                _subjects(known, cross_t.id), _subjects(known, isolated_t.id), should_stop
            )
            return tuple(
                [cross_t.for_subject(s) for s in sorted(cross)]
                + [isolated_t.for_subject(s) for s in sorted(isolated)]
            )
        return endpoint.streams

    def _spot(self, known: set[str], should_stop: ShouldStop) -> set[str]:
        with self._spot_lock:
            if self._spot_subjects is not None:
                return self._spot_subjects | known
            self._survey(deep=not known, should_stop=should_stop)
            markets = self._markets or {}
            coins = self._all_coins(known)
            subjects = set(known)
            probed: set[str] = set()
            for _round in range(MAX_PROBE_ROUNDS):
                candidates = {f"{b}/{q}" for b, q, _ in markets.values() if b in coins}
                new = sorted(candidates - subjects - probed)
                if not new:
                    break
                coins |= self._probe(new, should_stop)
                probed.update(new)
            subjects |= probed
            with self._lock:
                moved = set(self._moved)
            listed = {c for b, q, _ in markets.values() for c in (b, q)}
            subjects |= {c for c in moved if c not in listed}  # no pair to ask for: a named gap
            self._spot_subjects = subjects
            return set(subjects)

    def _margin(
        self, known_cross: set[str], known_isolated: set[str], should_stop: ShouldStop
    ) -> tuple[set[str], set[str]]:
        self._survey(deep=not (known_cross or known_isolated), should_stop=should_stop)
        markets = self._markets or {}
        coins = self._all_coins(known_cross | known_isolated)
        cross = set(known_cross)
        if self.send(self._sapi(MARGIN_ACCOUNT_PATH, "discover", cost=10), should_stop) is not None:
            cross |= {f"{b}/{q}" for b, q, margin in markets.values() if margin and b in coins}
        isolated = set(known_isolated)
        body = self.send(self._sapi(ISOLATED_ACCOUNT_PATH, "discover", cost=10), should_stop)
        assets = body.get("assets") if isinstance(body, dict) else None
        for asset in assets if isinstance(assets, list) else []:
            if not isinstance(asset, dict):
                continue
            base = str((asset.get("baseAsset") or {}).get("asset") or "").upper()
            quote = str((asset.get("quoteAsset") or {}).get("asset") or "").upper()
            if base and quote:
                isolated.add(f"{base}/{quote}")
        return {s for s in cross if "/" in s}, {s for s in isolated if "/" in s}

    def _all_coins(self, known: set[str]) -> set[str]:
        with self._lock:
            coins = set(self._coins) | set(self._held or set())
        for subject in known:
            coins.update(c for c in split_subject(subject) if c)
        return coins

    def _survey(self, *, deep: bool, should_stop: ShouldStop) -> None:
        """What listing pairs needs, read once per sync (a deeper need reads what is left)."""
        with self._survey_lock:
            if self._markets is None:
                self._markets = self._fetch_markets(should_stop)
            if self._held is None:
                self._held = self._fetch_balances(should_stop)
            if self._scanned == "deep" or (self._scanned == "shallow" and not deep):
                return
            self._scan(deep=deep, should_stop=should_stop)
            self._scanned = "deep" if deep else "shallow"

    def _scan(self, *, deep: bool, should_stop: ShouldStop) -> None:
        """Read the coin-naming lists this sync did not fetch: all of their past (``deep``), or the
        newest window of the ones not fetched at all. Only the coins are kept."""
        now = self.server_ms()
        jobs: list[tuple[StreamInfo, TimeWindow | None]] = []
        with self._lock:
            fetched = dict(self._fetched_from)
        for endpoint in self.info.endpoints:
            for stream in endpoint.streams:
                if not _names_coins(stream):
                    continue
                seen = fetched.get(stream.id)
                if stream.paging is Paging.NEWEST_FIRST or stream.window_ms is None:
                    if deep or seen is None:
                        jobs.append((stream, None))
                    continue
                reach = stream.earliest_ms
                if stream.depth_days is not None:
                    reach = max(reach, now - (stream.depth_days - 1) * DAY_MS)
                if deep:
                    start, end = reach, (seen - 1 if seen is not None else now)
                elif seen is None:
                    start, end = max(reach, now - stream.window_ms), now
                else:
                    continue
                while start <= end:
                    stop = min(start + stream.window_ms, end)
                    jobs.append((stream, TimeWindow(start, stop)))
                    start = stop + 1
        if not jobs:
            return
        log.info("%s: reading %d older list windows for the coins they name", self.info.name, len(jobs))
        with ThreadPoolExecutor(
            max_workers=min(_THREADS, len(jobs)), thread_name_prefix="binance-scan"
        ) as pool:
            list(pool.map(lambda job: self._read_all(job[0], job[1], should_stop), jobs))

    def _read_all(self, stream: StreamInfo, window: TimeWindow | None, should_stop: ShouldStop) -> None:
        cursor: str | None = None
        try:
            while True:
                result = self.send(self.request_for(stream, window, cursor), should_stop)
                cursor = self.parse_page(stream, window, cursor, result).next_cursor
                if cursor is None:
                    return
        except SyncFailure as exc:
            if exc.kind in KEY_FATAL_KINDS or exc.kind is FailureKind.CANCELLED:
                raise
            # That list's own endpoint shows the refusal; listing pairs goes on without it.
            log.info("%s: %s not read for its coins (%s)", self.info.name, stream.id, exc.kind.value)

    def _probe(self, subjects: Sequence[str], should_stop: ShouldStop) -> set[str]:
        """The first page of each new pair (kept for its walk); the coins its fills name."""
        template = self.info.endpoint("spot_trades").streams[0]

        def one(subject: str) -> set[str]:
            stream = template.for_subject(subject)
            try:
                result = self.send(self.request_for(stream, None, None), should_stop)
            except SyncFailure as exc:
                if exc.kind is not FailureKind.HISTORY_GAP:
                    raise
                with self._lock:
                    self._cache[(stream.id, "")] = _Cached(failure=exc)
                return set()
            if not isinstance(result, list):
                raise SyncFailure(self.unexpected(f"{stream.id}: not a list"))
            text = json.dumps(result, default=str, separators=(",", ":"))
            with self._lock:
                self._cache[(stream.id, "")] = _Cached(text=text)
            coins = {str(i.get("commissionAsset") or "").upper() for i in result if isinstance(i, dict)}
            if result:
                coins.update(split_subject(subject))
            return {c for c in coins if c}

        found: set[str] = set()
        with ThreadPoolExecutor(
            max_workers=min(_THREADS, len(subjects)), thread_name_prefix="binance-probe"
        ) as pool:
            for coins in pool.map(one, subjects):
                found |= coins
        return found

    def _fetch_markets(self, should_stop: ShouldStop) -> dict[str, tuple[str, str, bool]]:
        """``GET /api/v3/exchangeInfo`` (weight 20): every symbol with its base and quote."""
        request = Request(
            "GET",
            EXCHANGE_INFO_PATH,
            limiter=API_LIMITER,
            rate_limit=API_WEIGHT,
            cost=20,
            stream_id="discover",
            signed=False,
        )
        result = self.send(request, should_stop)
        symbols = result.get("symbols") if isinstance(result, dict) else None
        if not isinstance(symbols, list):
            raise SyncFailure(self.unexpected("exchangeInfo"))
        markets: dict[str, tuple[str, str, bool]] = {}
        for item in symbols:
            if not isinstance(item, dict):
                continue
            symbol = str(item.get("symbol") or "").upper()
            base = str(item.get("baseAsset") or "").upper()
            quote = str(item.get("quoteAsset") or "").upper()
            if symbol and base and quote and symbol == base + quote:
                markets[symbol] = (base, quote, item.get("isMarginTradingAllowed") is True)
        return markets

    def _fetch_balances(self, should_stop: ShouldStop) -> set[str]:
        """``GET /api/v3/account`` (weight 20): the coins held now."""
        request = Request(
            "GET",
            ACCOUNT_PATH,
            (("omitZeroBalances", "true"),),
            limiter=API_LIMITER,
            rate_limit=API_WEIGHT,
            cost=20,
            stream_id="discover",
        )
        result = self.send(request, should_stop)
        balances = result.get("balances") if isinstance(result, dict) else None
        if not isinstance(balances, list):
            raise SyncFailure(self.unexpected("account"))
        held: set[str] = set()
        for item in balances:
            if not isinstance(item, dict):
                continue
            try:
                amount = Decimal(str(item.get("free") or "0")) + Decimal(str(item.get("locked") or "0"))
            except ArithmeticError:
                continue
            if amount > 0 and item.get("asset"):
                held.add(str(item["asset"]).upper())
        return held

    def _sapi(
        self, path: str, stream_id: str, *, cost: int = 1, limit: RateLimit = SAPI_IP_WEIGHT
    ) -> Request:
        return Request(
            "GET", path, limiter=sapi_limiter(path), rate_limit=limit, cost=cost, stream_id=stream_id
        )


class _NotJson:
    pass


_NOT_JSON = _NotJson()


def _error_code(body: Any) -> int | None:
    """The code of an error body (None: not an error). Fiat answers carry ``"code": "000000"`` and
    ``"success": true`` when they succeed."""
    if not isinstance(body, dict):
        return None
    code = body.get("code")
    if isinstance(code, int) and not isinstance(code, bool):
        return code if code != 0 else None
    if isinstance(code, str) and code.lstrip("-").isdigit() and int(code) != 0:
        return int(code)
    if body.get("success") is False:
        return -1000
    return None


def _names_coins(stream: StreamInfo) -> bool:
    """Whether the stream is one of the lists read for the coins the account moved or swapped."""
    return stream.id in COIN_LISTS or stream.id.startswith(COIN_LIST_PREFIXES)


def _int_field(item: Any, name: str) -> int:
    value = item.get(name) if isinstance(item, Mapping) else None
    if isinstance(value, bool) or value is None or not str(value).strip().isdigit():
        raise ValueError(f"field {name!r} is not a number")
    return int(str(value).strip())


def _time_or_none(item: Any, name: str, default: int) -> int:
    try:
        return _int_field(item, name)
    except ValueError:
        return default  # kept: the parser names the broken field


def _subjects(known: Iterable[str], template: str) -> set[str]:
    subjects = set()
    for stream_id in known:
        name, subject = split_stream_id(stream_id)
        if name == template and subject:
            subjects.add(subject)
    return subjects


# The abilities ``apiRestrictions`` reports that go beyond reading, in the docs' words.
_ABILITIES: tuple[tuple[str, str], ...] = (
    ("enableSpotAndMarginTrading", "trade spot and margin"),
    ("enableMargin", "borrow on margin"),
    ("enableFutures", "trade futures"),
    ("enableVanillaOptions", "trade options"),
    ("enableFixApiTrade", "trade through FIX"),
    ("enableWithdrawals", "withdraw funds"),
    ("enableInternalTransfer", "move funds to sub-accounts"),
    ("permitsUniversalTransfer", "move funds between wallets"),
)


def verification(flags: Mapping[str, Any], exchange: str = BINANCE.name) -> KeyVerification:
    """What ``apiRestrictions`` says about a key: read-only unless it may trade, withdraw or move funds
    (``enablePortfolioMarginTrading`` is left out: the docs' own example key has it on while it can
    do nothing else)."""
    words = {
        "trade spot and margin": translate("keys", "trade spot and margin"),
        "borrow on margin": translate("keys", "borrow on margin"),
        "trade futures": translate("keys", "trade futures"),
        "trade options": translate("keys", "trade options"),
        "trade through FIX": translate("keys", "trade through FIX"),
        "withdraw funds": translate("keys", "withdraw funds"),
        "move funds to sub-accounts": translate("keys", "move funds to sub-accounts"),
        "move funds between wallets": translate("keys", "move funds between wallets"),
    }
    abilities = [words[word] for name, word in _ABILITIES if flags.get(name) is True]
    granted = tuple(sorted(name for name, value in flags.items() if value is True))
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
                "{exchange} with only “Enable Reading” ticked, for safety.",
            ).format(what=what, exchange=exchange)
        )
    if flags.get("enableReading") is False:
        warnings.append(
            translate(
                "keys",
                "This key cannot read: tick “Enable Reading” for it on {exchange}, or it fetches nothing.",
            ).format(exchange=exchange)
        )
    ip_restricted = flags.get("ipRestrict")
    notes: list[str] = []
    if ip_restricted is True:
        notes.append(
            translate(
                "keys",
                "This key works only from its trusted IP addresses: sync from a computer on that list.",
            )
        )
    return KeyVerification(
        valid=True,
        read_only=not abilities,
        permissions=granted,
        ip_restricted=ip_restricted if isinstance(ip_restricted, bool) else None,
        warnings=tuple(warnings),
        notes=tuple(notes),
    )
