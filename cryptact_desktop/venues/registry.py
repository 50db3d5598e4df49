"""The list of venues: the one place in the app that names them (one line per venue).

Generic code (engine, store, import, reconcile, export, UI, CLI) finds a venue here by id and
never imports a venue package itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cryptact_desktop.api_urls import check_api_url
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.sync.connector import Connector
from cryptact_desktop.venues import bitcoin, bitflyer, bybit, evm, xrpl
from cryptact_desktop.venues.base import VenueInfo
from cryptact_desktop.venues.venue import Venue

if TYPE_CHECKING:
    from cryptact_desktop.imports.spec import FileFormat, KnownFile

VENUES: tuple[Venue, ...] = (
    bybit.VENUE,
    bitflyer.VENUE,
    bitcoin.VENUE,
    xrpl.VENUE,
    evm.ETHEREUM,
    evm.POLYGON,
    evm.ARBITRUM,
    evm.OPTIMISM,
    evm.BASE,
    evm.BNB,
)

CUSTOM_HOST = "custom"


def venue(venue_id: str) -> Venue:
    for item in VENUES:
        if item.id == venue_id:
            return item
    raise KeyError(f"unknown venue {venue_id!r}")


def venue_info(venue_id: str) -> VenueInfo:
    """The catalogue entry of ``venue_id``; ``KeyError`` if no such venue."""
    return venue(venue_id).info


def venue_infos() -> tuple[VenueInfo, ...]:
    return tuple(item.info for item in VENUES)


def venue_name(venue_id: str) -> str:
    """The venue's display name, or a readable fallback for an id no longer in the list."""
    try:
        return venue_info(venue_id).name
    except KeyError:
        return venue_id.title() or "Exchange"


def file_formats(venue_id: str | None = None) -> tuple[FileFormat, ...]:
    """The importable file types of one venue, or of every venue."""
    items = VENUES if venue_id is None else (venue(venue_id),)
    return tuple(fmt for item in items for fmt in item.file_formats())


def known_files() -> tuple[KnownFile, ...]:
    """Files every venue recognises but refuses, then files of exchanges the app does not support."""
    from cryptact_desktop.imports.known import FOREIGN_FILES  # the importer imports this module

    return (*(known for item in VENUES for known in item.known_files()), *FOREIGN_FILES)


def base_url_for(info: VenueInfo, host_id: str, custom_url: str = "") -> str:
    """The API base URL of ``host_id``; ``custom`` (advanced use, e.g. a simulator) takes ``custom_url``,
    which must pass :func:`cryptact_desktop.api_urls.check_api_url` (``UnsafeUrl``, a ValueError)."""
    if host_id == CUSTOM_HOST:
        return check_api_url(custom_url)
    return info.host(host_id).base_url


def make_connector(
    venue_id: str,
    host_id: str,
    custom_url: str,
    credentials: Credentials,
    *,
    rate_limit_scale: float = 1.0,
) -> Connector:
    """The connector of one key. ``rate_limit_scale`` multiplies the venue's limits (only for
    simulators run faster than the real venue; the real limits are the default)."""
    item = venue(venue_id)
    return item.connect(credentials, base_url_for(item.info, host_id, custom_url), rate_limit_scale)
