"""What the app knows about a venue (an exchange or a blockchain), as plain data.

Every venue package (``cryptact_desktop.venues.<id>``) describes itself with these types: its
credential fields, API hosts, endpoints (the history types a user ticks) and the streams (API
queries) behind each endpoint with their limits and paging. The GUI builds the add-key dialog
from a :class:`VenueInfo`, the engine plans its requests from the :class:`StreamInfo` values, and
the export reads which endpoint is the one source of truth for which records. User-facing names
are English source texts shown through :func:`cryptact_desktop.i18n.translate`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from cryptact_desktop.i18n import translate

DAY_MS = 86_400_000


class Paging(enum.Enum):
    """How a stream's history is walked.

    ``TIME_WINDOW``: a start/end time filter no wider than ``window_ms``, then cursor pages inside
    each window; windows are planned by the engine and can be fetched in parallel.
    ``NEWEST_FIRST``: no time filter; pages run from the newest record back (a page index, a
    ``before`` id, a last-seen transaction id) until the records reach what an earlier complete
    pass saw, or the key's start time.
    ``OLDEST_FIRST``: an ascending cursor (``fromId``, a block number, a ledger marker); a pass
    runs until the newest record, and the cursor after it is kept, so the next sync starts there.
    """

    TIME_WINDOW = "time_window"
    NEWEST_FIRST = "newest_first"
    OLDEST_FIRST = "oldest_first"


@dataclass(frozen=True, slots=True)
class RateLimit:
    """``requests`` allowed per rolling ``per_seconds`` (the venue's documented default).

    Venues that charge a weight per request give the budget in weight units and each stream its
    ``cost``.
    """

    requests: int
    per_seconds: float

    def __str__(self) -> str:
        unit = "s" if self.per_seconds == 1 else f"{self.per_seconds:g}s"
        return f"{self.requests}/{unit}"


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """One API query that feeds an endpoint; coverage and resume points are kept per stream.

    ``window_ms``: the largest ``end - start`` the API accepts (None: no time filter).
    ``depth_days``: how far back from now the API can reach (None: not limited as far as documented,
    then ``earliest_ms`` bounds the walk).
    ``granularity_ms``: 1000 where the venue applies its time filter per second.
    ``limiter``: streams sharing a rate limit share this name; ``cost`` is what one request takes
    from it (1, or the venue's request weight).
    ``subject``: the symbol, product code or currency of a stream discovered at sync time
    (see :attr:`EndpointInfo.discover`); empty for fixed streams.
    ``max_in_flight``: how many windows of this stream may be fetched at the same time (0: as many
    as its rate limit can keep busy while requests are in flight).
    ``dense``: the stream lists every balance change (a ledger), so it is the longest of an active
    account and its own limit paces it from the first second to the last: the venue's per-IP
    budget keeps room for its rate, which the other streams' first bursts cannot take, and all its
    windows are fetched at once, so that none is left to run on alone at the end.
    """

    id: str
    window_ms: int | None
    depth_days: int | None
    earliest_ms: int
    granularity_ms: int
    limiter: str
    rate_limit: RateLimit
    page_limit: int
    paging: Paging = Paging.TIME_WINDOW
    cost: int = 1
    subject: str = ""
    max_in_flight: int = 0
    dense: bool = False

    def for_subject(self, subject: str) -> StreamInfo:
        """This stream template applied to one discovered subject (``executions:BTC_JPY``)."""
        return replace(self, id=f"{self.id}:{subject}", subject=subject)

    @property
    def template_id(self) -> str:
        """The catalogue id of the stream (without the subject of a discovered stream)."""
        return self.id.split(":", 1)[0]


@dataclass(frozen=True, slots=True)
class EndpointInfo:
    """A user-facing history type: a tick box in the add-key dialog and a child row per key.

    ``discover``: the streams are found at sync time by the connector (one per traded symbol or
    product code, say); ``streams`` then holds the templates they are made from.
    ``discover_late``: the connector finds the streams in what the venue's *other* endpoints return
    (the symbols of a venue without an "all my trades" list, found in its deposit and convert
    history): they are listed once the endpoints named in ``discover_after`` (all the others when
    it names none) have been fetched in the sync; the rest run meanwhile.
    ``superseded_by``: another endpoint of the venue that lists the same events with more detail
    (a ledger with realised P&L): wherever that endpoint has been synced, this one's records are
    not exported again.
    ``main_account_only``: only a key of the main account can read it (the venue refuses a
    sub-account key as if it lacked a permission; the app says what is really wrong).
    """

    id: str
    name: str  # English source text; show through display_name()
    lookback: str  # English source text describing the API's look-back limit
    streams: tuple[StreamInfo, ...]
    default_enabled: bool = True
    discover: bool = False
    superseded_by: str = ""
    discover_late: bool = False
    discover_after: tuple[str, ...] = ()
    main_account_only: bool = False

    def display_name(self) -> str:
        return translate("catalogue", self.name)

    def display_lookback(self) -> str:
        return translate("catalogue", self.lookback)

    @property
    def depth_days(self) -> int | None:
        """The shortest look-back of its streams (what the user is warned about)."""
        depths = [s.depth_days for s in self.streams if s.depth_days is not None]
        return min(depths) if depths else None

    def stream(self, stream_id: str) -> StreamInfo:
        """The stream (or, for a discovered stream id ``template:subject``, its template applied)."""
        template_id, _, subject = stream_id.partition(":")
        for stream in self.streams:
            if stream.id == template_id:
                return stream.for_subject(subject) if subject else stream
        raise KeyError(f"{self.id} has no stream {stream_id!r}")


@dataclass(frozen=True, slots=True)
class ApiHost:
    id: str
    label: str  # English source text
    base_url: str
    simulated: bool = False


@dataclass(frozen=True, slots=True)
class CredentialField:
    """One thing the user pastes when adding a key (rendered by the key dialog and ``keys add``).

    ``name`` is the field's name in the keyring entry (``api_key``, ``secret``, ``passphrase``,
    ``private_key``, ``address``...). ``secret`` fields are masked and never shown again;
    ``multiline`` fields (a PEM private key) keep their inner line breaks. Every field is stored in
    the OS keyring, never in the database.
    """

    name: str
    label: str  # English source text
    secret: bool = True
    required: bool = True
    multiline: bool = False
    min_length: int = 8
    max_length: int = 512
    # The venue's own check of a pasted value (an address format, a checksum): returns the value
    # as it is kept (normalised), or raises ValueError whose text is a translated message for under
    # the field. Generic code calls it and knows nothing of the format.
    check: Callable[[str], str] | None = field(default=None, compare=False)
    placeholder: str = ""  # English source text shown in the empty input ("" for the default)

    def display_label(self) -> str:
        return translate("catalogue", self.label)

    def display_placeholder(self) -> str:
        return translate("catalogue", self.placeholder) if self.placeholder else ""


API_KEY = CredentialField("api_key", "API key", secret=False)
API_SECRET = CredentialField("secret", "Secret key")
API_PASSPHRASE = CredentialField("passphrase", "Passphrase", min_length=1, max_length=128)


@dataclass(frozen=True, slots=True)
class VenueInfo:
    """An exchange or a blockchain: everything the generic code needs to know about it."""

    id: str
    name: str
    supports_api: bool
    supports_files: bool
    hosts: tuple[ApiHost, ...]
    endpoints: tuple[EndpointInfo, ...]
    credentials: tuple[CredentialField, ...] = (API_KEY, API_SECRET)
    name_ja: str = ""  # the venue's own Japanese name (shown in a Japanese UI)
    supports_subaccounts: bool = False
    allows_custom_url: bool = True
    # Requests per IP address over all endpoints (Bybit: 600 per 5 s; a breach bans the IP).
    ip_rate_limit: RateLimit | None = None
    kind: str = "exchange"  # EXCHANGE or BLOCKCHAIN
    monogram: str = ""
    colour: str = "#888888"
    # Streams of one key synced at the same time (1 for venues that need strictly increasing
    # nonces per key).
    max_parallel_streams: int = 32

    def endpoint(self, endpoint_id: str) -> EndpointInfo:
        for endpoint in self.endpoints:
            if endpoint.id == endpoint_id:
                return endpoint
        raise KeyError(f"{self.id} has no endpoint {endpoint_id!r}")

    def host(self, host_id: str) -> ApiHost:
        for host in self.hosts:
            if host.id == host_id:
                return host
        raise KeyError(f"{self.id} has no API host {host_id!r}")

    @property
    def default_host(self) -> ApiHost:
        return self.hosts[0]

    def credential(self, name: str) -> CredentialField | None:
        for spec in self.credentials:
            if spec.name == name:
                return spec
        return None

    @property
    def needs_passphrase(self) -> bool:
        spec = self.credential("passphrase")
        return spec is not None and spec.required

    def display_name(self, language: str = "") -> str:
        """The venue's name; its Japanese name in a Japanese UI when it has one."""
        if language.startswith("ja") and self.name_ja:
            return self.name_ja
        return self.name

    @property
    def is_blockchain(self) -> bool:
        """A blockchain: its keys are wallets (an address or an extended public key), read-only by
        nature; the UI says "wallet" and "address" where an exchange says "key"."""
        return self.kind == BLOCKCHAIN

    @property
    def public_field(self) -> CredentialField | None:
        """A blockchain's wallet field (the first credential that is not a secret)."""
        return next((spec for spec in self.credentials if not spec.secret), None)

    def key_hint(self, values: Mapping[str, str]) -> str:
        """What names a key without revealing it: a wallet's shortened address; an exchange key's
        first characters (``values``: field name -> value)."""
        spec = self.public_field if self.is_blockchain else None
        if spec is not None and values.get(spec.name):
            return short_address(values[spec.name])
        shown = values.get("api_key", "") or next(
            (values[s.name] for s in self.credentials if not s.secret and values.get(s.name)), ""
        )
        return f"{shown[:4]}…" if len(shown) >= 8 else "…"

    def default_label(self, values: Mapping[str, str]) -> str:
        """A new key's label before the user names it: a wallet's shortened address, else the
        venue's name."""
        spec = self.public_field if self.is_blockchain else None
        if spec is not None and values.get(spec.name, "").strip():
            return short_address(values[spec.name].strip())
        return self.name


EXCHANGE = "exchange"
BLOCKCHAIN = "blockchain"


def chain_stream(
    stream_id: str,
    *,
    earliest_ms: int,
    limiter: str,
    rate_limit: RateLimit,
    page_limit: int,
    paging: Paging,
) -> StreamInfo:
    """A blockchain wallet's stream: the whole history from ``earliest_ms`` (the chain's first
    block), without a time window or a depth limit, block times in seconds."""
    return StreamInfo(
        id=stream_id,
        window_ms=None,
        depth_days=None,
        earliest_ms=earliest_ms,
        granularity_ms=1000,
        limiter=limiter,
        rate_limit=rate_limit,
        page_limit=page_limit,
        paging=paging,
    )


def blockchain_info(
    *,
    venue_id: str,
    name: str,
    name_ja: str,
    credentials: tuple[CredentialField, ...],
    monogram: str,
    colour: str,
    rate_limit: RateLimit,
    hosts: tuple[ApiHost, ...],
    endpoints: tuple[EndpointInfo, ...],
    max_parallel_streams: int,
) -> VenueInfo:
    """A blockchain's catalogue entry: a wallet read from a public API (or the user's own server),
    no download files, ``rate_limit`` our pace per server."""
    return VenueInfo(
        id=venue_id,
        name=name,
        name_ja=name_ja,
        kind=BLOCKCHAIN,
        credentials=credentials,
        supports_api=True,
        supports_files=False,
        allows_custom_url=True,
        monogram=monogram,
        colour=colour,
        ip_rate_limit=rate_limit,
        hosts=hosts,
        endpoints=endpoints,
        max_parallel_streams=max_parallel_streams,
    )


def short_address(text: str, head: int = 8, tail: int = 4) -> str:
    """``bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu`` -> ``bc1qcr8t…6fyu`` (at most 16 characters,
    what fits the key hint column)."""
    value = text.strip()
    if len(value) <= head + tail + 1:
        return value
    return f"{value[:head]}…{value[-tail:]}"
