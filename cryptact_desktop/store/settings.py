"""Domain settings (window geometry lives in QSettings, not here)."""

from __future__ import annotations

from cryptact_desktop.store.gateway import Gateway
from cryptact_desktop.store.models import SettingRow


class SettingsStore(Gateway):
    def setting(self, name: str, default: str = "") -> str:
        with self._session() as session:
            row = session.get(SettingRow, name)
            return default if row is None else row.value

    def set_setting(self, name: str, value: str) -> None:
        with self._write_lock, self._session() as session, session.begin():
            row = session.get(SettingRow, name)
            if row is None:
                session.add(SettingRow(name=name, value=value))
            else:
                row.value = value
