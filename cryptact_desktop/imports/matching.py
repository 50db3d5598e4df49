"""Which API record a file row without the venue's id is: the matching decision, as pure code.

How a record ends up stored once:

* **Same exchange id.** A file row that carries the exchange's id (a spot trade's Transaction ID) is
  stored under the same ``(key, endpoint, exchange_id)`` as the API's record, so the unique constraint
  keeps one row whichever came first. If the file came first, the API's version replaces the file's
  (trigger ``trg_transactions_api_replaces_file``, migration 0002); the file's own values stay in
  ``file_records`` so a disagreement can be shown.
* **No exchange id** (the transaction log export, deposits/withdrawals): the row is stored under a
  ``file:…`` key derived from its content, then matched to API rows (:func:`link_file_rows`) on:

  - time: closer than the file's time precision (a file that writes seconds allows ±999 ms, one that
    writes minutes ±59.999 s; deposits with a transaction hash ±1 day, because the file's ``Date``
    may be when the deposit was requested rather than credited);
  - the keys of the file type's ``MatchProfile`` compared exactly (numbers as decimals, so
    ``5.36000000`` equals ``5.36``; for an exchange's ledger file, e.g.: currency, contract, type,
    direction, change and trade id; for deposits and withdrawals: coin, amount and transaction hash); a
    value the file leaves empty is not compared;
  - the price rounded to the decimals the file wrote (``9.32`` matches an API ``9.3234``).

  One file row and exactly one API row that match each other only → linked: the file's ``file:…``
  transaction is removed and the file row points at the API row. k identical file rows and k identical
  API rows (same values, e.g. two equal fills in one second) → linked pairwise, since every pairing is
  the same. Anything else with more than one candidate → **held for review** (``match_reviews``):
  the file row leaves ``transactions`` (no double) and nothing is merged until the user decides
  (``reviews.resolve_review``). Run :func:`link_file_rows` (or ``report.reconcile``) after every sync: it
  also recounts ``record_count`` (the sync counts an API row that replaced a file row as new) and
  stores a linked file row again if its API row has disappeared since (a re-fetch that deleted it).

The store reads what the decision needs and applies its outcome in one transaction
(``Store.link_file_rows``); this module only decides.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from cryptact_desktop.imports.spec import MatchProfile
from cryptact_desktop.records import decimal_text
from cryptact_desktop.state import TransactionView
from cryptact_desktop.store import Store
from cryptact_desktop.store.file_links import Decide, Hold, Link, MatchContext
from cryptact_desktop.store.file_rows import FileGroup, FileRow, LinkOutcome
from cryptact_desktop.venues.registry import file_formats


def match_profiles(exchange: str) -> dict[str, MatchProfile]:
    """How rows without an exchange id are matched, per endpoint of ``exchange``'s file types."""
    try:
        formats = file_formats(exchange)
    except KeyError:  # a venue no longer in the app: its rows are only stored, never matched
        return {}
    return {endpoint: f.match for f in formats if f.match is not None for endpoint in f.endpoints}


def link_file_rows(store: Store, account_id: int) -> LinkOutcome:
    """Match the account's file rows without exchange ids to API rows and recount the key list's
    counts of the account. Call after every sync."""
    account = store.import_account(account_id)
    if account is None:
        return LinkOutcome(0, 0)
    return store.link_file_rows(account_id, decide_for(account.exchange))


def _as_decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def comparable(value: Any) -> str:
    """A value as compared between a file and the API: decimals canonical, text upper-case,
    "None"/"--" empty."""
    text = "" if value is None else str(value).strip()
    if text.lower() in ("none", "--", "null"):
        return ""
    if text and (text[0].isdigit() or text[0] in "+-.") and _as_decimal(text) is not None:
        return decimal_text(text)
    return text.upper()


def price_matches(file_value: str, api_value: str, places: int | None) -> bool:
    """The API's price equals the file's once rounded (or cut) to the decimals the file wrote."""
    file_number, api_number = _as_decimal(file_value), _as_decimal(api_value)
    if file_number is None or api_number is None:
        return comparable(file_value) == comparable(api_value)
    if api_number == file_number:
        return True
    if places is None:
        return False
    quantum = Decimal(1).scaleb(-places)
    return file_number in (
        api_number.quantize(quantum, rounding=ROUND_HALF_EVEN),
        api_number.quantize(quantum, rounding=ROUND_DOWN),
    )


def _time_tolerance(row: FileRow, match_raw: Mapping[str, Any], profile: MatchProfile | None) -> int:
    if profile is None:
        return max(row.time_precision_ms, 1)
    return max(profile.tolerance_ms(match_raw, row.time_precision_ms), 1)


def differences(row: FileRow, api: TransactionView, profile: MatchProfile | None = None) -> tuple[str, ...]:
    """The fields the file states that disagree with the API's stored version (``profile``: how the
    row's endpoint matches rows without an id, which widens the time tolerance of some rows)."""
    match_raw = json.loads(row.match_json or "{}")
    found: list[str] = []
    for name in (f for f in row.compared.split(",") if f):
        if name == "timestamp_ms":
            if abs(api.timestamp_ms - row.timestamp_ms) >= _time_tolerance(row, match_raw, profile):
                found.append(name)
        elif name == "price":
            if not price_matches(row.price, api.price, row.price_places):
                found.append(name)
        elif comparable(getattr(row, name)) != comparable(getattr(api, name)):
            found.append(name)
    return tuple(found)


def _profile_matches(
    profile: MatchProfile, row: FileRow, file_raw: Mapping[str, Any], api_raw: Mapping[str, Any]
) -> bool:
    for key in profile.keys:
        wanted = comparable(file_raw.get(key))
        if wanted and wanted != comparable(api_raw.get(key)):
            return False
    if profile.price_key:
        file_price = comparable(file_raw.get(profile.price_key))
        if file_price not in ("", "0") and not price_matches(
            file_price, str(api_raw.get(profile.price_key) or ""), row.price_places
        ):
            return False
    return True


def decide_for(exchange: str) -> Decide:
    """The matching decision for the accounts of ``exchange`` (its file types' match profiles)."""
    profiles = match_profiles(exchange)

    def decide(groups: list[FileGroup], ctx: MatchContext) -> tuple[list[Link], list[Hold]]:
        return _decide(groups, ctx, profiles)

    return decide


def _decide(
    groups: list[FileGroup], ctx: MatchContext, profiles: Mapping[str, MatchProfile]
) -> tuple[list[Link], list[Hold]]:
    links: list[Link] = []
    holds: list[Hold] = []
    linked_to = dict(ctx.linked_to)
    by_endpoint: dict[str, list[FileGroup]] = defaultdict(list)
    for group in groups:
        by_endpoint[group.endpoint].append(group)
    for endpoint, members in by_endpoint.items():
        profile = profiles.get(endpoint)
        if profile is None:
            continue
        raws = [json.loads(g.first.match_json or "{}") for g in members]
        tolerances = [_time_tolerance(g.first, raw, profile) for g, raw in zip(members, raws, strict=True)]
        lo = min(g.first.timestamp_ms - tol for g, tol in zip(members, tolerances, strict=True))
        hi = max(g.first.timestamp_ms + tol for g, tol in zip(members, tolerances, strict=True))
        api_rows = ctx.api_rows(endpoint, lo, hi)
        times = [r.timestamp_ms for r in api_rows]
        tx_times = {r.id: r.timestamp_ms for r in api_rows}
        parsed: dict[int, dict[str, Any]] = {}
        candidates: list[list[int]] = []
        for group, raw, tol in zip(members, raws, tolerances, strict=True):
            start = _bisect_left(times, group.first.timestamp_ms - tol + 1)
            found: list[int] = []
            for api in api_rows[start:]:
                if api.timestamp_ms >= group.first.timestamp_ms + tol:
                    break
                owner = linked_to.get(api.id)
                if owner is not None and owner != group.record_key:
                    continue
                api_raw = parsed.get(api.id)
                if api_raw is None:
                    api_raw = parsed[api.id] = json.loads(api.raw_json or "{}")
                if _profile_matches(profile, group.first, raw, api_raw):
                    found.append(api.id)
            candidates.append(found)
        api_values = ctx.api_values(c for cs in candidates for c in cs)
        for component in _components(candidates):
            groups_in = [members[i] for i in component]
            cands = sorted({c for i in component for c in candidates[i]}, key=lambda c: (tx_times[c], c))
            if not cands:
                continue
            if len(groups_in) == 1 and len(cands) == 1:
                links.append((groups_in[0], cands[0]))
                linked_to[cands[0]] = groups_in[0].record_key
            elif (
                len(groups_in) == len(cands)
                and len({g.values() for g in groups_in}) == 1
                and len({api_values[c] for c in cands}) == 1
            ):
                ordered = sorted(groups_in, key=lambda g: (g.first.timestamp_ms, g.record_key))
                for group, candidate in zip(ordered, cands, strict=True):
                    links.append((group, candidate))
                    linked_to[candidate] = group.record_key
            else:
                holds.extend((members[i], candidates[i]) for i in component if candidates[i])
    return links, holds


def _bisect_left(values: Sequence[int], target: int) -> int:
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _components(candidates: Sequence[Sequence[int]]) -> list[list[int]]:
    """Connected components of file groups (by index) that share a candidate."""
    parent = list(range(len(candidates)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}
    for i, cands in enumerate(candidates):
        for c in cands:
            if c in owner:
                parent[find(i)] = find(owner[c])
            else:
                owner[c] = i
    components: dict[int, list[int]] = defaultdict(list)
    for i in range(len(candidates)):
        components[find(i)].append(i)
    return list(components.values())
