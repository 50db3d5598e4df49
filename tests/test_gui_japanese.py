"""Issue 13.2: the Japanese translation is complete, compiles with Qt's lrelease and is what the
screens show under a Japanese setting."""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QSettings,
    Qt,
    QTime,
    QTimeZone,
    QTranslator,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from cryptact_desktop.errors import FailureKind, describe
from cryptact_desktop.i18n import translate
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui import translation
from cryptact_desktop.ui.app import build_main_window
from cryptact_desktop.ui.assistant.wizard import AssistantWizard
from cryptact_desktop.ui.export_dialog import ExportDialog
from cryptact_desktop.ui.files.import_dialog import ImportDialog
from cryptact_desktop.ui.keys.sync_from import SyncFromField
from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog
from cryptact_desktop.ui.main.settings_dialog import SyncSettingsDialog
from cryptact_desktop.ui.widgets import format_in_zone, system_time_zone, time_zone_choices

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import translations as catalog  # noqa: E402

JA_TS = translation.TRANSLATIONS_DIR / "cryptact_desktop_ja.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Two English words in a row: a sentence that escaped translation.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ '’][A-Za-z]{2,})+")
# Names that stay as they are in a Japanese UI (products, exchanges, formats, user data below).
ALLOWED = ("Cryptact Desktop", "Ctrl+N", "CSV UTF-8", "Asia/Tokyo", "Main account", "Old key")


def test_every_text_has_a_japanese_translation() -> None:
    texts = catalog.all_texts()
    assert len(texts) > 800  # the extraction really ran over the code and the catalogue
    done = catalog.read_ts(JA_TS)
    missing = [key for key in texts if key not in done]
    assert missing == [], f"run: python tools/translations.py update, then translate {missing[:5]}"
    for key in texts:
        source, target = key[1], done[key]
        assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(target)), key
        if key[0][:1].isupper() and re.search(r"&[A-Za-z]", source.replace("P&L", "")):
            assert re.search(r"\(&[A-Z]\)", target), f"keep the access key, e.g. 同期(&S): {key}"


def test_cryptacts_own_words_are_used() -> None:
    done = catalog.read_ts(JA_TS)
    by_source = {source: text for (_, source), text in done.items()}
    assert by_source["Manage your API keys"] == "APIキーの管理"
    assert by_source["Sync"] == "同期"
    assert by_source["Endpoint"] == "エンドポイント"
    assert by_source["Sync from a custom &timestamp"].startswith("カスタムタイムスタンプから同期")
    assert by_source["Assistant"] == "アシスタント"


def test_the_translation_compiles_with_lrelease(tmp_path: Path) -> None:
    tool = translation.lrelease_tool()
    assert tool is not None, "lrelease comes with PySide6-Essentials, a dependency of the app"
    qm = translation.qm_file("ja", cache=tmp_path)
    assert qm is not None and qm.stat().st_size > 10_000
    loaded = QTranslator()
    assert loaded.load(str(qm))
    assert loaded.translate("errors", "Invalid API key") == "APIキーが無効です"
    again = translation.qm_file("ja", cache=tmp_path)
    assert again == qm  # compiled once per .ts content


@pytest.fixture
def japanese(tmp_path: Path, qapp: QApplication) -> Iterator[QSettings]:
    settings = QSettings(str(tmp_path / "ja.ini"), QSettings.Format.IniFormat)
    settings.setValue(translation.SETTINGS_LANGUAGE, "ja")
    installed = translation.install_translator(qapp, settings, cache=tmp_path / "cache")
    try:
        assert len(installed) >= 1
        yield settings
    finally:
        translation.remove_translators(qapp, installed)
        QLocale.setDefault(QLocale.system())


def _texts(widget: QWidget) -> list[str]:
    """Every text a user can read on ``widget`` and its children (labels, buttons, tabs, headers,
    combo items, placeholders, tool tips, window titles, actions)."""
    found: list[str] = [widget.windowTitle()]
    for child in [widget, *widget.findChildren(QWidget)]:
        found.append(child.toolTip())
        if isinstance(child, QLabel | QAbstractButton):
            found.append(child.text())
        elif isinstance(child, QLineEdit):
            found.append(child.placeholderText())
        elif isinstance(child, QGroupBox):
            found.append(child.title())
        elif isinstance(child, QTabWidget):
            found += [child.tabText(i) for i in range(child.count())]
        elif isinstance(child, QComboBox):
            found += [child.itemText(i) for i in range(child.count())]
        elif isinstance(child, QHeaderView) and child.model() is not None:
            model, orientation = child.model(), child.orientation()
            found += [str(model.headerData(i, orientation) or "") for i in range(child.count())]
        for action in child.actions():
            found += [action.text(), action.toolTip()]
    return [t for t in found if t]


def _cells(model: QAbstractItemModel) -> list[str]:
    """The display texts and tool tips of every row and child row of a tree model."""
    found: list[str] = []
    pending = [QModelIndex()]
    while pending:
        parent = pending.pop()
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if isinstance(value, str):
                        found.append(value)
            pending.append(model.index(row, 0, parent))
    return found


def _english(texts: list[str]) -> list[str]:
    left: list[str] = []
    for text in texts:
        plain = html.unescape(re.sub(r"<[^>]+>", " ", text))
        for allowed in ALLOWED:
            plain = plain.replace(allowed, "")
        plain = re.sub(r"\S+\.(com|jp|nl|eu|kz|ae|ge|id)\b|https?://\S+", "", plain)
        if ENGLISH.search(plain):
            left.append(text)
    return left


def test_japanese_screens_show_no_english_sentences(
    japanese: QSettings, tmp_path: Path, qtbot: QtBot
) -> None:
    assert translate("errors", "Invalid API key") == "APIキーが無効です"
    assert QLocale().language() == QLocale.Language.Japanese
    store = Store(tmp_path / "ja.db")
    service = AppService(store, SecretStore(MemoryKeyring()))
    window = build_main_window(service, store, settings=japanese, quit_app=lambda: None)
    qtbot.addWidget(window)
    try:
        screens: dict[str, list[str]] = {"empty main window": _texts(window)}
        service.store.add_key(
            NewKey(exchange="bybit", label="Main account", host_id="global", endpoints=("spot",))
        )
        window.refresh_keys()
        screens["main window with a key"] = _texts(window) + _cells(window.model)
        window.show_transactions(None)
        screens["transactions"] = _texts(window)
        dialogs: dict[str, QWidget] = {
            "API key picker": VenuePickerDialog(window),
            "add key": window.open_key_dialog("bybit"),
            "export": ExportDialog(service, window, directory=tmp_path),
            "import": ImportDialog(service, window),
            "settings": SyncSettingsDialog(0, window),
            "assistant": AssistantWizard(service, window),
        }
        for name, dialog in dialogs.items():
            screens[name] = _texts(dialog)
            dialog.close()
        failure = describe(FailureKind.NETWORK, exchange="Bybit")
        screens["a failure"] = [failure.message, failure.hint]
        untranslated = {name: _english(texts) for name, texts in screens.items() if _english(texts)}
        assert untranslated == {}
        assert all(len(texts) > 3 for name, texts in screens.items() if name != "a failure")
    finally:
        window.controller.shutdown()
        window.close()
        store.close()


def test_language_follows_the_settings_then_the_system(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "lang.ini"), QSettings.Format.IniFormat)
    settings.setValue(translation.SETTINGS_LANGUAGE, "en")
    assert translation.chosen_language(settings) == "en"
    settings.setValue(translation.SETTINGS_LANGUAGE, "ja")
    assert translation.chosen_language(settings) == "ja"
    settings.setValue(translation.SETTINGS_LANGUAGE, "")
    system = QLocale.system().name().split("_")[0]
    assert translation.chosen_language(settings) == (system if system in translation.LANGUAGES else "en")
    assert QCoreApplication.translate("errors", "Invalid API key") == "Invalid API key"  # no leak


def test_settings_offer_the_language(qtbot: QtBot) -> None:
    dialog = SyncSettingsDialog(0, language="ja")
    qtbot.addWidget(dialog)
    assert dialog.language() == "ja"
    combo = dialog.language_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["", "en", "ja"]
    combo.setCurrentIndex(0)
    assert dialog.language() == ""  # back to the system's


def test_sync_from_takes_a_time_zone(qtbot: QtBot) -> None:
    moment = 1_704_067_200_000  # 2024-01-01 00:00:00 UTC
    field = SyncFromField("", start_ms=moment)
    qtbot.addWidget(field)
    field.set_zone("UTC")
    assert field.edit.dateTime().toString("yyyy-MM-dd HH:mm:ss") == "2024-01-01 00:00:00"
    field.set_zone("Asia/Tokyo")  # the same moment, shown in JST
    assert field.edit.dateTime().toString("yyyy-MM-dd HH:mm:ss") == "2024-01-01 09:00:00"
    assert field.value_ms() == moment
    # A time typed while JST is chosen means JST.
    field.edit.setDateTime(QDateTime(QDate(2024, 4, 1), QTime(0, 0), QTimeZone(b"Asia/Tokyo")))
    assert field.value_ms() == 1_711_897_200_000  # 2024-03-31 15:00 UTC
    assert field.zone_combo.itemData(0) == system_time_zone()  # the computer's zone comes first


def test_times_carry_their_zone() -> None:
    assert format_in_zone(1_704_067_200_000, "Asia/Tokyo") == "2024-01-01 09:00:00 JST"
    assert format_in_zone(1_704_067_200_000, "UTC") == "2024-01-01 00:00:00 UTC"
    assert time_zone_choices()[0] == system_time_zone()
    assert len(set(time_zone_choices())) == len(time_zone_choices())


def test_a_sync_process_words_failures_in_the_windows_language(japanese: QSettings) -> None:
    from cryptact_desktop import i18n

    setup = i18n.child_setup()
    assert setup is not None  # what the sync's child process runs first
    window_translator = i18n._translator
    try:
        i18n.install_translator(None)
        setup()  # as in the child: the same compiled file, no QCoreApplication needed
        assert describe(FailureKind.NETWORK, exchange="Bybit").message == "Bybit に接続できません"
    finally:
        i18n.install_translator(window_translator, child_setup=setup)


def test_the_demo_keys_are_named_in_the_windows_language(japanese: QSettings, tmp_path: Path) -> None:
    # The demo's accounts are made in its child processes, which know no language: their labels
    # are marked there and translated when the window's process adds them as keys.
    from cryptact_desktop.ui import demo_session
    from cryptact_desktop.ui.app import start_demo

    store = Store(tmp_path / "demo.db")
    demos = start_demo(AppService(store, SecretStore(MemoryKeyring())))
    try:
        labels = [key.label for key in store.list_keys()]
        assert len(labels) >= len(demos) >= 2
        assert "デモアカウント（読み取り専用キー）" in labels
        assert _english(labels) == []
    finally:
        for demo in demos:
            demo.stop()
        demo_session.clear()
        store.close()
