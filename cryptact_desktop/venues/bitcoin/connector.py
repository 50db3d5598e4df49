"""The Bitcoin connector: one wallet's history from an Esplora API, on the shared REST base.

**The wallet.** The key's one credential is an address or an account's extended public key
(:mod:`.wallet`). Nothing is signed: requests carry no secret, but they go only to https:// or to
this computer like every other venue's (an address list is private too).

**Discovery.** The endpoint's streams are the wallet's used addresses, one stream each
(``txs:wpkh.0.12`` = native segwit, receive chain, index 12; ``txs:address`` for a single address).
For an account key the receive and change chains are derived locally and each address is asked
about (``GET /address/:address``: its confirmed and unconfirmed transaction counts) until
:data:`~.catalogue.GAP_LIMIT` unused addresses in a row (BIP 44's gap limit); addresses synced
before count as used without asking, and unused ones below the last used one are asked again (an
address handed out long ago may receive now). An ``xpub`` may be any of three encodings
(:mod:`.wallet`): each is probed at its first receive address, and every encoding in use is scanned.

**Paging.** Each address's history is newest first: ``GET /address/:address/txs`` (its unconfirmed
transactions and the newest 25 confirmed ones), then ``GET /address/:address/txs/chain/:txid`` with
the last confirmed txid seen, 25 at a time, until a page has fewer than 25. The walk stops when a
page reaches what an earlier sync covered; block times can be up to two hours off the real time (a
block may claim a time up to two hours ahead, and only has to be later than the median of the 11
before it), so a page's oldest time is taken as two hours earlier, which can cost one extra page
but never misses a transaction whose block claims an earlier time than its neighbours.

**Records.** Every transaction is normalised against every address of the wallet
(:mod:`.normalize`), so a transaction seen from two of its addresses is one record. Unconfirmed
transactions are not stored and keep the last two hours open for the next sync.

**Errors.** See :mod:`.errors`. Rate-limit refusals (HTTP 429, with no ``Retry-After`` from
blockstream.info) back off 1, 2, 4… up to 60 seconds.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from cryptact_desktop.errors import FailureKind, SyncFailure, describe
from cryptact_desktop.i18n import translate
from cryptact_desktop.sync.connector import KeyVerification, Page, ShouldStop, TimeWindow
from cryptact_desktop.sync.http import HttpResponse, PreparedRequest
from cryptact_desktop.sync.rest import BadBody, Request, RestConnector, RetryLimits, header_float
from cryptact_desktop.venues.base import EndpointInfo, StreamInfo, VenueInfo
from cryptact_desktop.venues.bitcoin import errors, normalize
from cryptact_desktop.venues.bitcoin.catalogue import (
    BITCOIN,
    ESPLORA_LIMIT,
    ESPLORA_LIMITER,
    GAP_LIMIT,
    PAGE_SIZE,
    WALLET_FIELD,
)
from cryptact_desktop.venues.bitcoin.wallet import CHAINS, RECEIVE, Script, Slot, Wallet

log = logging.getLogger(__name__)

HOUR_MS = 3_600_000
BLOCK_TIME_DRIFT_MS = 2 * HOUR_MS
MAX_BACKOFF_SECONDS = 60.0
_SCAN_THREADS = 4


class EsploraConnector(RestConnector):
    info: VenueInfo = BITCOIN
    # Eight waits of 1, 2, 4 … 60 s ride out a public server's short-term limit; past them the
    # server's hourly limit is spent and the sync says so instead of waiting for an hour.
    retry_limits = RetryLimits(rate_limit_waits=8)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wallet: Wallet | None = None
        try:
            self._wallet = Wallet.parse(self.credentials.get(WALLET_FIELD.name))
        except ValueError:
            log.info("%s: the stored wallet is not a valid address or key", self.info.name)
        self._scan_lock = threading.Lock()
        self._used: set[Slot] | None = None  # None: not scanned in this session

    # ------------------------------------------------------------------ the wallet

    @property
    def wallet(self) -> Wallet:
        if self._wallet is None:
            raise SyncFailure(describe(FailureKind.INVALID_ADDRESS, exchange=self.info.name))
        return self._wallet

    def owned(self) -> frozenset[str]:
        return self.wallet.known_addresses()

    # ------------------------------------------------------------------ requests and pages

    def request_for(self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None) -> Request:
        address = self.wallet.address(Slot.from_subject(stream.subject))
        path = f"/address/{address}/txs" + (f"/chain/{cursor}" if cursor else "")
        return _request(path, stream.id)

    def fetch_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, should_stop: ShouldStop
    ) -> Page:
        if not self.wallet.is_single:
            self.scan(stream_ids=(), should_stop=should_stop)  # the whole wallet is known before parsing
        return super().fetch_page(stream, window, cursor, should_stop)

    def parse_page(
        self, stream: StreamInfo, window: TimeWindow | None, cursor: str | None, result: Any
    ) -> Page:
        if not isinstance(result, list):
            raise SyncFailure(self.unexpected(stream.id))
        parse = normalize.transaction(self.owned(), self.local_ms() - BLOCK_TIME_DRIFT_MS)
        confirmed: list[tuple[str, int]] = []
        for position, item in enumerate(result):
            try:
                when = normalize.confirmed_time_ms(item) if isinstance(item, Mapping) else None
            except ValueError as exc:
                raise SyncFailure(self.unexpected(f"{stream.id} record {position + 1}: {exc}")) from None
            if when is not None:
                confirmed.append((str(item.get("txid", "")), when))
        next_cursor = confirmed[-1][0] if len(confirmed) >= stream.page_limit else None
        page = self.page_of(result, parse, stream, window, next_cursor)
        oldest = min((when for _, when in confirmed), default=None)
        newest = max((when for _, when in confirmed), default=None)
        return Page(
            records=page.records,
            next_cursor=next_cursor,
            oldest_ms=None if oldest is None else oldest - BLOCK_TIME_DRIFT_MS,
            newest_ms=newest,
            unsettled_ms=page.unsettled_ms,
        )

    # ------------------------------------------------------------------ protocol

    def sign(self, request: Request, url: str, timestamp_ms: int) -> PreparedRequest:
        return PreparedRequest(request.method, url, {"Accept": "application/json"}, request.body)

    def unwrap(self, request: Request, response: HttpResponse) -> Any:
        text = (
            response.body.decode("utf-8", "replace")
            if isinstance(response.body, bytes)
            else str(response.body)
        )
        if response.status == 200:
            try:
                return json.loads(text, parse_float=Decimal)
            except ValueError:
                raise BadBody() from None
        kind = errors.classify(response.status, text[:200])
        raise SyncFailure(errors.failure_for(kind, status=response.status))

    def rate_limit_wait(self, response: HttpResponse, waits: int) -> float:
        retry_after = header_float(response.headers, "retry-after")
        if retry_after is not None:
            return retry_after
        return min(MAX_BACKOFF_SECONDS, 2.0**waits) / max(1.0, self.rate_limit_scale)

    # ------------------------------------------------------------------ key check

    def verify_key(self, should_stop: ShouldStop = lambda: False) -> KeyVerification:
        """The wallet is valid and the server answers as an Esplora API for its first address."""
        wallet = self.wallet
        height = self.send(_request("/blocks/tip/height", "verify"), should_stop)
        if isinstance(height, bool) or not isinstance(height, int):
            raise SyncFailure(errors.failure_for(FailureKind.WRONG_SERVER, status=200))
        first = wallet.address(
            Slot(wallet.scripts[0], RECEIVE, 0) if wallet.key else Slot.from_subject("address")
        )
        self._is_used(first, should_stop)
        notes = [
            translate(
                "keys",
                "Watch-only: the app reads this wallet's public history and can never move its coins.",
            )
        ]
        if not wallet.is_single:
            notes.append(
                translate(
                    "keys",
                    "Receive and change addresses are derived from the extended public key, up to {gap} "
                    "unused addresses in a row.",
                ).format(gap=GAP_LIMIT)
            )
        return KeyVerification(valid=True, read_only=True, permissions=("watch-only",), notes=tuple(notes))

    # ------------------------------------------------------------------ discovery

    def discover_streams(
        self, endpoint: EndpointInfo, known: Sequence[str], should_stop: ShouldStop
    ) -> tuple[StreamInfo, ...]:
        template = endpoint.streams[0]
        if self.wallet.is_single:
            return (template.for_subject("address"),)
        used = self.scan(known, should_stop)
        return tuple(template.for_subject(slot.subject) for slot in sorted(used, key=_slot_order))

    def scan(self, stream_ids: Sequence[str], should_stop: ShouldStop) -> set[Slot]:
        """The wallet's used addresses (found once per session; every address up to the gap limit
        after the last used one is derived, so the wallet's address set is complete)."""
        with self._scan_lock:
            if self._used is not None:
                return set(self._used)
            wallet = self.wallet
            known: set[Slot] = set()
            for stream_id in stream_ids:
                try:
                    known.add(Slot.from_subject(stream_id.partition(":")[2]))
                except ValueError:
                    continue
            scripts = self._scripts(wallet, known, should_stop)
            work = [(script, chain) for script in scripts for chain in CHAINS]
            used: set[Slot] = set()
            if work:
                with ThreadPoolExecutor(max_workers=min(_SCAN_THREADS, len(work))) as pool:
                    found = pool.map(
                        lambda item: self._scan_chain(item[0], item[1], known, should_stop), work
                    )
                    for slots in found:
                        used.update(slots)
            self._used = used
            return set(used)

    def _scripts(self, wallet: Wallet, known: set[Slot], should_stop: ShouldStop) -> tuple[Script, ...]:
        if not wallet.ambiguous:
            return wallet.scripts
        chosen = {slot.script for slot in known}
        for script in wallet.scripts:
            if script not in chosen and self._is_used(wallet.address(Slot(script, RECEIVE, 0)), should_stop):
                chosen.add(script)
        return tuple(s for s in wallet.scripts if s in chosen)

    def _scan_chain(self, script: Script, chain: int, known: set[Slot], should_stop: ShouldStop) -> set[Slot]:
        wallet = self.wallet
        mine = {slot.index for slot in known if slot.script is script and slot.chain == chain}
        used: set[int] = set(mine)
        index, unused_run = 0, 0
        last_known = max(mine, default=-1)
        while index <= last_known or unused_run < GAP_LIMIT:
            if index in mine:
                wallet.address(Slot(script, chain, index))
                unused_run = 0
            elif self._is_used(wallet.address(Slot(script, chain, index)), should_stop):
                used.add(index)
                unused_run = 0
            else:
                unused_run += 1
            index += 1
        return {Slot(script, chain, i) for i in used}

    def _is_used(self, address: str, should_stop: ShouldStop) -> bool:
        result = self.send(_request(f"/address/{address}", "discover"), should_stop)
        if not isinstance(result, Mapping):
            raise SyncFailure(self.unexpected("address"))
        total = 0
        for name in ("chain_stats", "mempool_stats"):
            stats = result.get(name)
            count = stats.get("tx_count") if isinstance(stats, Mapping) else None
            if isinstance(count, bool) or not isinstance(count, int):
                raise SyncFailure(self.unexpected(f"address {name}"))
            total += count
        return total > 0


def _request(path: str, stream_id: str) -> Request:
    return Request(
        "GET", path, limiter=ESPLORA_LIMITER, rate_limit=ESPLORA_LIMIT, stream_id=stream_id, signed=False
    )


def _slot_order(slot: Slot) -> tuple[str, int, int]:
    return (slot.script.value, slot.chain, slot.index)


__all__ = ["BLOCK_TIME_DRIFT_MS", "PAGE_SIZE", "EsploraConnector"]
