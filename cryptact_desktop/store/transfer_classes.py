"""The user's classifications of outgoing transfers (see :mod:`cryptact_desktop.transfers`)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cryptact_desktop.store.gateway import Gateway, now_ms
from cryptact_desktop.store.models import TransferClassRow

EntryRef = tuple[int, str, str]  # (key id, endpoint, exchange record id)


class TransferClassesStore(Gateway):
    def transfer_classes(self) -> dict[EntryRef, str]:
        """Every stored classification: entry identity -> its value."""
        with self._session() as session:
            rows = session.execute(
                select(
                    TransferClassRow.key_id,
                    TransferClassRow.endpoint,
                    TransferClassRow.exchange_id,
                    TransferClassRow.classification,
                )
            )
            return {(key_id, endpoint, ident): value for key_id, endpoint, ident, value in rows}

    def transfer_classes_decided_after(self, after_ms: int) -> list[EntryRef]:
        """The entries whose classification was set after ``after_ms``."""
        with self._session() as session:
            rows = session.execute(
                select(
                    TransferClassRow.key_id, TransferClassRow.endpoint, TransferClassRow.exchange_id
                ).where(TransferClassRow.decided_at_ms > after_ms)
            )
            return [(key_id, endpoint, ident) for key_id, endpoint, ident in rows]

    def set_transfer_class(self, ref: EntryRef, classification: str | None) -> None:
        """Store (or with None, clear) the classification of the entry ``ref``."""
        key_id, endpoint, exchange_id = ref
        with self.write_session() as session:
            if classification is None:
                session.execute(
                    delete(TransferClassRow).where(
                        TransferClassRow.key_id == key_id,
                        TransferClassRow.endpoint == endpoint,
                        TransferClassRow.exchange_id == exchange_id,
                    )
                )
                return
            values = {
                "key_id": key_id,
                "endpoint": endpoint,
                "exchange_id": exchange_id,
                "classification": classification,
                "decided_at_ms": now_ms(),
            }
            statement = sqlite_insert(TransferClassRow).values(**values)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["key_id", "endpoint", "exchange_id"],
                    set_={"classification": classification, "decided_at_ms": values["decided_at_ms"]},
                )
            )
