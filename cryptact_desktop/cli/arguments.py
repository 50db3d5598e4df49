"""Values given on the command line: exchanges, endpoints, dates, API hosts, labels and KEY
arguments (a key id or an exact label)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from cryptact_desktop.api_urls import UnsafeUrl
from cryptact_desktop.cli.context import CliError
from cryptact_desktop.cli.render import EPOCH
from cryptact_desktop.i18n import translate
from cryptact_desktop.key_input import clean_label
from cryptact_desktop.state import KeyConfig
from cryptact_desktop.store import Store
from cryptact_desktop.venues.base import VenueInfo
from cryptact_desktop.venues.registry import CUSTOM_HOST, base_url_for, venue_info, venue_infos


def _t(text: str) -> str:
    return translate("cli", text)


def exchange_info(exchange_id: str) -> VenueInfo:
    try:
        return venue_info(exchange_id)
    except KeyError:
        raise CliError(
            _t("Unknown exchange {name}. Valid exchanges: {valid}").format(
                name=exchange_id, valid=", ".join(e.id for e in venue_infos())
            )
        ) from None


def parse_endpoints(info: VenueInfo, text: str) -> tuple[str, ...]:
    """``spot,linear`` → catalogue-ordered ids; ``all`` → every endpoint; ``default`` → the defaults."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    valid = [e.id for e in info.endpoints]
    if "all" in names:
        return tuple(valid)
    if "default" in names:
        names = [n for n in names if n != "default"] + [e.id for e in info.endpoints if e.default_enabled]
    unknown = [n for n in names if n not in valid]
    if unknown:
        raise CliError(
            _t("Unknown endpoint(s) for {exchange}: {unknown}. Valid endpoints: {valid}").format(
                exchange=info.name, unknown=", ".join(unknown), valid=", ".join(valid)
            ),
            _t('Separate several with commas, e.g. "spot,deposits"; "all" selects every endpoint.'),
        )
    if not names:
        raise CliError(
            _t("Choose at least one endpoint. Valid endpoints: {valid}").format(valid=", ".join(valid))
        )
    return tuple(e for e in valid if e in names)


def default_endpoints(info: VenueInfo) -> tuple[str, ...]:
    return tuple(e.id for e in info.endpoints if e.default_enabled)


def parse_when(text: str) -> int:
    """``2024-01-01`` (midnight UTC) or an ISO time (``2024-01-01T00:00:00Z``; no zone means UTC)."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
    except ValueError:
        raise CliError(
            _t("Cannot read the date {value!r}").format(value=value),
            _t("Use a date such as 2024-01-01 or a UTC time such as 2024-01-01T00:00:00Z."),
        ) from None
    ms = (moment - EPOCH) // timedelta(milliseconds=1)
    if ms > int(time.time() * 1000):
        raise CliError(_t("The sync-from date {value} is in the future").format(value=value))
    return ms


def resolve_host(info: VenueInfo, host: str | None, base_url: str | None) -> tuple[str, str]:
    """(host id, base URL) from ``--host``/``--base-url``; a base URL alone means ``custom``."""
    if host is None:
        host = CUSTOM_HOST if base_url else info.default_host.id
    host = host.strip().lower()
    valid = [h.id for h in info.hosts] + ([CUSTOM_HOST] if info.allows_custom_url else [])
    if host not in valid:
        raise CliError(
            _t("Unknown API host {host} for {exchange}. Valid hosts: {valid}").format(
                host=host, exchange=info.name, valid=", ".join(valid)
            )
        )
    if host != CUSTOM_HOST:
        if base_url:
            raise CliError(_t("--base-url is only used with --host custom"))
        return host, ""
    if not base_url:
        raise CliError(_t("--host custom needs --base-url URL"))
    try:  # the app's one rule for typed-in API addresses (cryptact_desktop.api_urls)
        return host, base_url_for(info, CUSTOM_HOST, base_url)
    except UnsafeUrl as exc:  # the reason only: the address may hold a user name or a password
        raise CliError(
            _t("The custom API URL is refused: {reason}").format(reason=str(exc)),
            _t("For example https://api.example.com or http://127.0.0.1:8080 for the demo server."),
        ) from None


def check_label(store: Store, label: str, except_id: int | None = None) -> str:
    label = clean_label(label)
    if label.isdigit():
        raise CliError(_t("A label cannot be only digits: a number on the command line means a key id."))
    for key in store.list_keys():
        if key.label == label and key.id != except_id:
            raise CliError(
                _t("A key labelled {label!r} already exists (id {id})").format(label=label, id=key.id),
                _t("Labels must be unique so that commands can name keys by label."),
            )
    return label


def resolve_key(store: Store, text: str) -> KeyConfig:
    """KEY arguments: a numeric key id, or a key's exact label."""
    keys = store.list_keys()
    value = text.strip()
    if value.isdigit():
        for key in keys:
            if key.id == int(value):
                return key
    matches = [key for key in keys if key.label == value]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CliError(
            _t("Several keys are labelled {label!r}").format(label=value),
            _t("Name the key by its id: {ids}.").format(ids=", ".join(str(k.id) for k in matches)),
        )
    raise CliError(
        _t("No key with the id or label {key!r}").format(key=value),
        _t("Run `keys list` to see the keys and their ids."),
    )


def resolve_keys(store: Store, texts: Sequence[str]) -> list[KeyConfig]:
    found: dict[int, KeyConfig] = {}
    for text in texts:
        key = resolve_key(store, text)
        found.setdefault(key.id, key)
    return list(found.values())
