"""Domain settings (window geometry lives in QSettings, not here)."""

from __future__ import annotations

from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cryptact_desktop.store.gateway import Gateway
from cryptact_desktop.store.models import SettingRow


class SettingsStore(Gateway):
    def setting(self, name: str, default: str = "") -> str:
        with self._session() as session:
            row = session.get(SettingRow, name)
            return default if row is None else row.value

    def set_setting(self, name: str, value: str) -> None:
        """Write a setting (one statement, so two processes starting at once cannot collide)."""
        statement = (
            sqlite_insert(SettingRow)
            .values(name=name, value=value)
            .on_conflict_do_update(index_elements=["name"], set_={"value": value})
        )
        with self._write_lock, self._session() as session, session.begin():
            session.execute(statement)
