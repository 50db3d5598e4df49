"""What the keys tree says about a key and its endpoints, as plain functions over plain data.

A :class:`KeyNode` is one key as the tree shows it: its stored :class:`KeyConfig` plus the live
progress of a running sync. The functions here turn it into the texts of the tree — status,
details, progress, tooltips — and hold no Qt state; :mod:`.cells` maps them onto columns and
roles, :mod:`.tree_model` writes them into the items.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt

from cryptact_desktop.errors import KEY_FATAL_KINDS, Failure
from cryptact_desktop.state import EndpointState, EndpointStatus, KeyConfig
from cryptact_desktop.ui.widgets import venue_display_name
from cryptact_desktop.venues.base import VenueInfo
from cryptact_desktop.venues.registry import venue_info

translate = QCoreApplication.translate  # pyside6-lupdate finds translate("KeyTreeModel", "…") calls


@dataclass
class StreamProgress:
    """What a running sync reported about one stream so far."""

    pages: int = 0
    new_records: int = 0
    reached_ms: int | None = None
    finished: bool = False
    seconds_left: float = 0.0  # at least, by the exchange's rate limit (see SyncProgress)


@dataclass
class KeyNode:
    """One key row: the key as stored, its enabled endpoints in row order, and the running sync."""

    key: KeyConfig
    endpoints: list[str]
    running: bool = False
    progress: dict[str, dict[str, StreamProgress]] = field(default_factory=dict)  # endpoint → stream
    # progress_text() of each endpoint, until its next report (several cells show the same text).
    progress_texts: dict[str, str] = field(default_factory=dict)

    @property
    def info(self) -> VenueInfo | None:
        try:
            return venue_info(self.key.exchange)
        except KeyError:
            return None


# --------------------------------------------------------------------------- time text


def local_datetime(ms: int) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(ms)).toLocalTime()


def format_local(ms: int) -> str:
    """A moment in the user's local time and locale format, e.g. "2025/03/04 14:05" (ja_JP).

    Without a real locale ("C", e.g. LANG=C.UTF-8) Qt's short format is "24 11 2026 08:53";
    ISO reads better there: "2026-11-24 08:53".
    """
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return local_datetime(ms).toString("yyyy-MM-dd HH:mm")
    return locale.toString(local_datetime(ms), QLocale.FormatType.ShortFormat)


def format_date(ms: int) -> str:
    """A day in ISO form (unambiguous in every locale): "2025-03-04" (local time)."""
    return local_datetime(ms).date().toString(Qt.DateFormat.ISODate)


def format_both(ms: int) -> str:
    """Absolute UTC and local time, for tooltips."""
    utc = datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    local = QLocale().toString(local_datetime(ms), QLocale.FormatType.LongFormat)
    return translate("KeyTreeModel", "{utc}\n{local} (local time)").format(utc=utc, local=local)


# --------------------------------------------------------------------------- status


def display_status(state: EndpointState) -> EndpointStatus:
    """An endpoint's status when no sync of its key runs in this app: "syncing" left in the
    database by a crashed run means nothing, so show what it was before (as the store's
    ``reset_stale_syncing`` would)."""
    if state.status is not EndpointStatus.SYNCING:
        return state.status
    if state.failure is not None:
        return EndpointStatus.FAILED
    return EndpointStatus.OK if state.last_success_ms else EndpointStatus.NEVER


def status_text(status: EndpointStatus, paused: bool = False, *, partial: bool = False) -> str:
    """``partial``: never completed, but some history was fetched (e.g. a cancelled first sync)."""
    if paused and status is not EndpointStatus.SYNCING:
        return translate("KeyTreeModel", "Paused")
    if partial and status is EndpointStatus.NEVER:
        return translate("KeyTreeModel", "Incomplete")
    return {
        EndpointStatus.OK: translate("KeyTreeModel", "Up to date"),
        EndpointStatus.FAILED: translate("KeyTreeModel", "Failed"),
        EndpointStatus.NEVER: translate("KeyTreeModel", "Not synced yet"),
        EndpointStatus.SYNCING: translate("KeyTreeModel", "Syncing…"),
    }[status]


def failure_text(failure: Failure) -> str:
    """ "Invalid API key — check that the key was copied whole…": the problem and its fix."""
    if not failure.hint:
        return failure.message
    hint = failure.hint[:1].lower() + failure.hint[1:] if failure.hint[1:2].islower() else failure.hint
    return f"{failure.message} — {hint}"


def endpoint_running(node: KeyNode, endpoint: str) -> bool:
    """Whether the running sync still fetches this endpoint (some stream not finished)."""
    if not node.running:
        return False
    streams = node.progress.get(endpoint)
    return not streams or not all(s.finished for s in streams.values())


def endpoint_status(node: KeyNode, endpoint: str) -> EndpointStatus:
    if node.running:
        return EndpointStatus.SYNCING
    try:
        return display_status(node.key.endpoint(endpoint))
    except KeyError:
        return EndpointStatus.NEVER


def key_status(node: KeyNode) -> EndpointStatus:
    """The key's status: syncing, else the worst of its endpoints (failed, never, ok)."""
    if node.running:
        return EndpointStatus.SYNCING
    states = [display_status(node.key.endpoint(e)) for e in node.endpoints]
    if not states:
        return EndpointStatus.NEVER
    for status in (EndpointStatus.FAILED, EndpointStatus.NEVER):
        if status in states:
            return status
    return EndpointStatus.OK


def key_partial(node: KeyNode) -> bool:
    """Some history was fetched although not every endpoint completed a sync."""
    key = node.key
    return key.record_count > 0 or any(key.endpoint(e).last_success_ms for e in node.endpoints)


def new_records(node: KeyNode, endpoint: str | None = None) -> int:
    """Records the running sync added so far (of one endpoint, or of the whole key)."""
    items = node.progress.items() if endpoint is None else [(endpoint, node.progress.get(endpoint, {}))]
    return sum(s.new_records for _, streams in items for s in streams.values())


# --------------------------------------------------------------------------- progress


def progress_text(node: KeyNode, endpoint: str) -> str:
    """ "page 12 · 340 new · reached 2025-03-04" for an endpoint of a running sync."""
    text = node.progress_texts.get(endpoint)
    if text is None:
        text = node.progress_texts[endpoint] = _progress_text(node, endpoint)
    return text


def _progress_text(node: KeyNode, endpoint: str) -> str:
    streams = node.progress.get(endpoint)
    if not streams:
        return translate("KeyTreeModel", "Waiting…")
    pages = sum(s.pages for s in streams.values())
    new = sum(s.new_records for s in streams.values())
    if all(s.finished for s in streams.values()):
        return translate("KeyTreeModel", "Fetched {new} new · finishing…").format(new=QLocale().toString(new))
    parts = [translate("KeyTreeModel", "page {pages}").format(pages=QLocale().toString(pages))]
    if new:
        parts.append(translate("KeyTreeModel", "{new} new").format(new=QLocale().toString(new)))
    reached = [s.reached_ms for s in streams.values() if s.reached_ms is not None and not s.finished]
    if reached:
        parts.append(translate("KeyTreeModel", "reached {date}").format(date=format_date(min(reached))))
    waiting = time_left_text(max(s.seconds_left for s in streams.values() if not s.finished))
    if waiting:
        parts.append(waiting)
    return " · ".join(parts)


SHOWN_WAIT_SECONDS = 60  # shorter waits for the rate limit are not worth a word


def time_left_text(seconds: float) -> str:
    """ "at least 31 min more (rate limit)" for a long wait, else ""."""
    if seconds < SHOWN_WAIT_SECONDS:
        return ""
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        text = translate("KeyTreeModel", "at least {minutes} min more (rate limit)")
        return text.format(minutes=QLocale().toString(minutes))
    text = translate("KeyTreeModel", "at least {hours} h more (rate limit)")
    return text.format(hours=QLocale().toString(minutes // 60))


def key_progress_text(node: KeyNode) -> str:
    """ "Syncing: 3 of 7 done · 1,204 new" for a key whose sync runs."""
    total = len(node.endpoints)
    done = sum(1 for e in node.endpoints if not endpoint_running(node, e))
    new = new_records(node)
    text = translate("KeyTreeModel", "Syncing: {done} of {total} done").format(done=done, total=total)
    if new:
        text += " · " + translate("KeyTreeModel", "{new} new").format(new=QLocale().toString(new))
    left = [s.seconds_left for streams in node.progress.values() for s in streams.values() if not s.finished]
    waiting = time_left_text(max(left, default=0.0))
    if waiting:
        text += " · " + waiting
    return text


# --------------------------------------------------------------------------- details


def unreachable_text(node: KeyNode, state: EndpointState) -> str:
    """Why older history of an endpoint is missing (the API's look-back), with the fix."""
    if state.unreachable_to_ms is None:
        return ""
    info = node.info
    name = venue_display_name(info) if info else node.key.exchange
    text = translate(
        "KeyTreeModel",
        "History before {date} cannot be fetched via the API — import {exchange}'s export file",
    )
    return text.format(date=format_date(state.unreachable_to_ms + 1), exchange=name)


def key_details(node: KeyNode) -> str:
    """The key row's details column: progress, or what failed and how to fix it, or a prompt."""
    if node.running:
        return key_progress_text(node)
    key = node.key
    if not node.endpoints:
        return translate("KeyTreeModel", "No endpoints enabled")
    failed = [e for e in node.endpoints if display_status(key.endpoint(e)) is EndpointStatus.FAILED]
    if failed:
        common = shared_failure(node)
        if common is not None:
            return failure_text(common)  # one cause: said once, here, with its fix
        failures = [f for e in failed if (f := key.endpoint(e).failure) is not None]
        if len({f.message for f in failures}) == 1:
            return failures[0].message
        return translate("KeyTreeModel", "{failed} of {total} endpoints failed").format(
            failed=len(failed), total=len(node.endpoints)
        )
    if key.paused:
        return translate("KeyTreeModel", "Paused: not included in Sync all")
    if all(key.endpoint(e).status is EndpointStatus.NEVER for e in node.endpoints):
        return translate("KeyTreeModel", "Press Sync to fetch this key's history")
    return ""


def shared_failure(node: KeyNode) -> Failure | None:
    """The one failure every failed endpoint of the key shares (same message and fix) — a
    key-wide cause shown once on the key row — or None when the endpoints failed differently."""
    key = node.key
    failures = [
        f
        for e in node.endpoints
        if display_status(key.endpoint(e)) is EndpointStatus.FAILED and (f := key.endpoint(e).failure)
    ]
    if not failures or len({(f.message, f.hint) for f in failures}) != 1:
        return None
    every_endpoint = len(failures) == len(node.endpoints)
    return failures[0] if every_endpoint or failures[0].kind in KEY_FATAL_KINDS else None


def failure_tooltip(failure: Failure) -> str:
    """The whole failure on separate lines: what happened, the fix, the exchange's code."""
    tooltip = failure.message
    if failure.hint:
        tooltip += "\n" + failure.hint
    if failure.code:
        tooltip += "\n" + translate("KeyTreeModel", "Error code: {code}").format(code=failure.code)
    return tooltip


def endpoint_details(node: KeyNode, endpoint: str) -> tuple[str, str]:
    """(text, tooltip) of an endpoint row's details column. A failure the whole key shares is on
    the key row; the endpoint row then says nothing more (only what differs is repeated here)."""
    if node.running:
        text = progress_text(node, endpoint)
        return text, text
    state = node.key.endpoint(endpoint)
    status = display_status(state)
    if status is EndpointStatus.FAILED and state.failure is not None:
        failure = state.failure
        tooltip = failure_tooltip(failure)
        common = shared_failure(node)
        if common is not None and (common.message, common.hint) == (failure.message, failure.hint):
            return "", tooltip
        return failure_text(failure), tooltip
    unreachable = unreachable_text(node, state)
    if unreachable:
        return unreachable, unreachable
    if status is EndpointStatus.NEVER:
        lookback = endpoint_lookback(node, endpoint) or ""
        return lookback, lookback
    return "", ""


# --------------------------------------------------------------------------- names


def endpoint_name(node: KeyNode, endpoint: str) -> str:
    info = node.info
    if info is None:
        return endpoint
    try:
        return info.endpoint(endpoint).display_name()
    except KeyError:
        return endpoint


def endpoint_lookback(node: KeyNode, endpoint: str) -> str | None:
    """The API's look-back limit of the endpoint (None if the venue or endpoint is unknown)."""
    info = node.info
    if info is None:
        return None
    try:
        return info.endpoint(endpoint).display_lookback()
    except KeyError:
        return None


def key_name(key: KeyConfig, info: VenueInfo | None) -> str:
    """ "<exchange> · Main (sub-1)": the venue, the label when it says more, the sub-account."""
    name = venue_display_name(info) if info else key.exchange
    label = key.label or name
    text = f"{name} · {label}" if label != name else name
    if key.subaccount:
        text += f" ({key.subaccount})"
    return text


def key_title(key: KeyConfig) -> str:
    """ "<exchange> · Main": how messages name a key (the venue, and the label when it says more)."""
    try:
        name = venue_display_name(venue_info(key.exchange))
    except KeyError:
        name = key.exchange
    return f"{name} · {key.label}" if key.label and key.label != name else name


def key_tooltip(key: KeyConfig, info: VenueInfo | None) -> str:
    lines = [key_name(key, info)]
    if key.subaccount:
        lines.append(translate("KeyTreeModel", "Sub-account: {name}").format(name=key.subaccount))
    if key.key_hint and info is not None and info.is_blockchain:
        lines.append(translate("KeyTreeModel", "Address: {hint}").format(hint=key.key_hint))
    elif key.key_hint:
        lines.append(translate("KeyTreeModel", "API key: {hint}").format(hint=key.key_hint))
    if info is not None:
        try:
            host = info.host(key.host_id)
            site = translate("catalogue", host.label)
            if info.is_blockchain:
                lines.append(translate("KeyTreeModel", "Server: {site}").format(site=site))
            else:
                lines.append(translate("KeyTreeModel", "Site: {site}").format(site=site))
        except KeyError:
            if key.base_url:
                lines.append(translate("KeyTreeModel", "API address: {url}").format(url=key.base_url))
    if info is not None and info.is_blockchain:
        lines.append(translate("KeyTreeModel", "Read-only by nature: an address cannot spend"))
        return "\n".join(lines)
    if key.verification.read_only is False:
        lines.append(
            translate("KeyTreeModel", "Warning: this key can trade or withdraw — use a read-only key")
        )
    return "\n".join(lines)
