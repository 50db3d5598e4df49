"""One row per economic event: which stored rows the default views do not show as their own.

Two kinds of stored rows are not events of their own:

* a **copy** (``mirror_of`` set): a ledger's entry for a trade or a convert that the key also
  syncs from the endpoint it names (enabled there, or holding rows). It is the same rule the
  Cryptact export follows; when the key does not sync that endpoint, the copy is the only row of
  the event and is shown.
* a **record another key of the same exchange account holds**: keys whose account identity
  (:func:`account_identity`: exchange, verified user id, sub-account) is the same are ordered by
  id, and a record (same endpoint and exchange record id) is shown under the first key holding it.

Both stay stored (they are the event's sources, see ``TransactionsStore.sources_of``); the key
list's counts leave them out too (``key_endpoints.hidden_count``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from cryptact_desktop.store.models import ApiKeyRow, KeyEndpointRow, TransactionRow

AccountIdentity = tuple[str, str, str]


def account_identity(exchange: str, user_id: str, subaccount: str) -> AccountIdentity | None:
    """Who a key reads: (exchange, the user id the exchange reported, sub-account), or None while
    the key is unverified (no user id known)."""
    uid = user_id.strip()
    if not uid:
        return None
    return (exchange, uid, subaccount.strip().casefold())


def account_groups(session: Session) -> dict[AccountIdentity, list[int]]:
    """The key ids of every account held by more than zero keys, oldest key first."""
    groups: dict[AccountIdentity, list[int]] = defaultdict(list)
    for key_id, exchange, user_id, subaccount in session.execute(
        select(ApiKeyRow.id, ApiKeyRow.exchange, ApiKeyRow.exchange_user_id, ApiKeyRow.subaccount).order_by(
            ApiKeyRow.id
        )
    ):
        identity = account_identity(exchange, user_id, subaccount)
        if identity is not None:
            groups[identity].append(int(key_id))
    return dict(groups)


def earlier_keys(session: Session) -> dict[int, tuple[int, ...]]:
    """For each key that shares its account with older keys: those older keys."""
    earlier: dict[int, tuple[int, ...]] = {}
    for ids in account_groups(session).values():
        for position, key_id in enumerate(ids[1:], start=1):
            earlier[key_id] = tuple(ids[:position])
    return earlier


def same_account(session: Session, key_id: int) -> list[int]:
    """``key_id`` and every other key of its account."""
    for ids in account_groups(session).values():
        if key_id in ids:
            return ids
    return [key_id]


def hidden_condition(
    earlier: Mapping[int, tuple[int, ...]], *, copies: bool = True, duplicates: bool = True
) -> ColumnElement[bool]:
    """True for a ``transactions`` row that is not an event of its own (see the module doc)."""
    t = TransactionRow
    parts: list[ColumnElement[bool]] = []
    if copies:
        endpoint = aliased(KeyEndpointRow)
        parts.append(
            and_(
                t.mirror_of != "",
                exists().where(
                    endpoint.key_id == t.key_id,
                    endpoint.endpoint == t.mirror_of,
                    or_(endpoint.enabled.is_(True), endpoint.record_count > 0),
                ),
            )
        )
    if duplicates:
        other = aliased(TransactionRow)
        parts += [
            and_(
                t.key_id == key_id,
                exists().where(
                    other.key_id.in_(older),
                    other.endpoint == t.endpoint,
                    other.exchange_id == t.exchange_id,
                ),
            )
            for key_id, older in sorted(earlier.items())
        ]
    return or_(*parts) if parts else false()


def recount_hidden(session: Session, key_ids: Iterable[int] | None = None) -> None:
    """Set ``hidden_count`` of the endpoints of ``key_ids`` (every key when None)."""
    earlier = earlier_keys(session)
    t = TransactionRow
    statement = select(t.key_id, t.endpoint, func.count()).where(hidden_condition(earlier))
    endpoints = select(KeyEndpointRow)
    if key_ids is not None:
        ids = sorted(set(key_ids))
        statement = statement.where(t.key_id.in_(ids))
        endpoints = endpoints.where(KeyEndpointRow.key_id.in_(ids))
    counts = {
        (int(key_id), str(endpoint)): int(count)
        for key_id, endpoint, count in session.execute(statement.group_by(t.key_id, t.endpoint))
    }
    for row in session.scalars(endpoints):
        row.hidden_count = counts.get((row.key_id, row.endpoint), 0)
