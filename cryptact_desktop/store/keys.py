"""API keys (accounts) and their endpoints' settings."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select

from cryptact_desktop.key_input import clean_label
from cryptact_desktop.state import EndpointStatus, KeyConfig, NewKey
from cryptact_desktop.store.events import recount_hidden
from cryptact_desktop.store.gateway import UNSET, Gateway, _Unset, now_ms
from cryptact_desktop.store.models import ApiKeyRow, KeyEndpointRow, StreamProgressRow
from cryptact_desktop.store.rows import key_config


class KeysStore(Gateway):
    def add_key(self, new: NewKey) -> int:
        stamp = now_ms()
        with self._write_lock, self._session() as session, session.begin():
            row = ApiKeyRow(
                exchange=new.exchange,
                label=clean_label(new.label),
                subaccount=new.subaccount,
                host_id=new.host_id,
                base_url=new.base_url,
                sync_from_ms=new.sync_from_ms,
                paused=False,
                key_hint=new.key_hint,
                permissions="",
                exchange_user_id="",
                created_at_ms=stamp,
                updated_at_ms=stamp,
            )
            row.endpoints = [
                KeyEndpointRow(endpoint=endpoint, position=i, enabled=True, status=EndpointStatus.NEVER.value)
                for i, endpoint in enumerate(new.endpoints)
            ]
            session.add(row)
            session.flush()
            return row.id

    def get_key(self, key_id: int) -> KeyConfig:
        with self._session() as session:
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise KeyError(f"no key with id {key_id}")
            return key_config(row)

    def list_keys(self) -> list[KeyConfig]:
        with self._session() as session:
            rows = session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id)).all()
            return [key_config(row) for row in rows]

    def update_key(
        self,
        key_id: int,
        *,
        label: str | None = None,
        subaccount: str | None = None,
        host_id: str | None = None,
        base_url: str | None = None,
        sync_from_ms: int | None | _Unset = UNSET,
        paused: bool | None = None,
        key_hint: str | None = None,
        endpoints: Sequence[str] | None = None,
    ) -> KeyConfig:
        """Change a key's settings. ``endpoints`` is the new set of enabled endpoints: disabled
        ones keep their state and transactions (re-enabling resumes them). A label is checked
        (:func:`~cryptact_desktop.key_input.clean_label`: ``KeyInputError``)."""
        if label is not None:
            label = clean_label(label)
        regroup = False
        with self._write_lock, self._session() as session, session.begin():
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise KeyError(f"no key with id {key_id}")
            if label is not None:
                row.label = label
            if subaccount is not None and subaccount != row.subaccount:
                row.subaccount = subaccount
                regroup = True
            if host_id is not None:
                row.host_id = host_id
            if base_url is not None:
                row.base_url = base_url
            if not isinstance(sync_from_ms, _Unset):
                row.sync_from_ms = sync_from_ms
            if paused is not None:
                row.paused = paused
            if key_hint is not None:
                row.key_hint = key_hint
            if endpoints is not None:
                existing = {e.endpoint: e for e in row.endpoints}
                for e in row.endpoints:
                    e.enabled = e.endpoint in endpoints
                for i, endpoint in enumerate(endpoints):
                    if endpoint in existing:
                        existing[endpoint].position = i
                    else:
                        row.endpoints.append(
                            KeyEndpointRow(endpoint=endpoint, position=i, enabled=True, status="never")
                        )
            row.updated_at_ms = now_ms()
            session.flush()
            if regroup:  # another account now: which key shows which record may change
                recount_hidden(session)
            return key_config(row)

    def record_verification(
        self,
        key_id: int,
        *,
        read_only: bool | None,
        permissions: Sequence[str],
        exchange_user_id: str,
        is_master: bool | None,
        expires_at_ms: int | None,
    ) -> None:
        with self._write_lock, self._session() as session, session.begin():
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise KeyError(f"no key with id {key_id}")
            row.read_only = read_only
            row.permissions = ",".join(permissions)
            row.exchange_user_id = exchange_user_id
            row.is_master = is_master
            row.expires_at_ms = expires_at_ms
            row.verified_at_ms = now_ms()
            session.flush()
            recount_hidden(session)  # it may now share an account with another key, or no longer

    def remove_key(self, key_id: int, *, delete_transactions: bool) -> None:
        """Delete a key. Its transactions go with it unless ``delete_transactions`` is False,
        in which case they are kept under a paused, endpoint-less key labelled as removed."""
        with self._write_lock, self._session() as session, session.begin():
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                return
            if delete_transactions:
                session.delete(row)
                session.flush()
                recount_hidden(session)  # another key of its account may now show its records
                return
            # Keep the rows (they reference the key): retire the key instead of deleting it.
            row.paused = True
            row.label = f"{row.label} (removed)" if not row.label.endswith("(removed)") else row.label
            for endpoint in row.endpoints:
                endpoint.enabled = False
            session.execute(delete(StreamProgressRow).where(StreamProgressRow.key_id == key_id))
            row.updated_at_ms = now_ms()
