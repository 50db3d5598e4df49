"""The key dialog's credential inputs come from the venue's declaration (``VenueInfo.credentials``),
and venues are named in the UI's language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.service import AppService, KeyInputError, clean_credentials
from cryptact_desktop.state import NewKey
from cryptact_desktop.store import Store
from cryptact_desktop.ui.keys.credential_form import CredentialForm, clean_credentials_for
from cryptact_desktop.ui.keys.field_errors import FieldErrors
from cryptact_desktop.ui.keys.key_form import KeyForm
from cryptact_desktop.ui.keys.venue_picker import VenuePickerDialog
from cryptact_desktop.ui.main.actions import enabled_actions
from cryptact_desktop.ui.widgets import venue_display_name
from cryptact_desktop.venues.base import (
    API_KEY,
    API_PASSPHRASE,
    API_SECRET,
    ApiHost,
    CredentialField,
    EndpointInfo,
    RateLimit,
    StreamInfo,
    VenueInfo,
)
from cryptact_desktop.venues.registry import venue_infos

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

PEM = (
    "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB1a2b3c4d5e6f7\nAwEHoUQDQgAE9z8y7x6w5v4u\n"
    "-----END EC PRIVATE KEY-----"
)
NAME = "organizations/1/apiKeys/abc"
_STREAM = StreamInfo("fills", 86_400_000, None, 0, 1, "private", RateLimit(10, 1), 100)
_ENDPOINTS = (EndpointInfo("spot", "Spot trades", "Everything", (_STREAM,)),)
_HOSTS = (ApiHost("global", "Global", "https://api.example.com"),)


def venue(*credentials: CredentialField, name_ja: str = "") -> VenueInfo:
    return VenueInfo(
        "examplex", "ExampleX", True, False, _HOSTS, _ENDPOINTS, credentials=credentials, name_ja=name_ja
    )


PASSPHRASE_VENUE = venue(API_KEY, API_SECRET, API_PASSPHRASE)
PEM_VENUE = venue(
    CredentialField("key_name", "API key name", secret=False, max_length=200),
    CredentialField("private_key", "Private key", multiline=True, min_length=40, max_length=4096),
)


@pytest.fixture
def locale_ja() -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale("ja_JP"))
    yield
    QLocale.setDefault(previous)


def build_form(qtbot: QtBot, info: VenueInfo) -> tuple[QWidget, CredentialForm, FieldErrors]:
    host = QWidget()
    qtbot.addWidget(host)
    layout = QFormLayout(host)
    errors = FieldErrors(lambda: None)
    form = CredentialForm(info, host, errors=errors)
    form.add_rows(layout)
    host.show()
    return host, form, errors


def test_every_declared_field_is_an_input_named_after_it(qtbot: QtBot) -> None:
    host, form, _errors = build_form(qtbot, PASSPHRASE_VENUE)
    names = [w.objectName() for w in host.findChildren(QLineEdit)]
    assert names == ["credential_api_key", "credential_secret", "credential_passphrase"]
    api_key, secret, passphrase = (form.input(n) for n in ("api_key", "secret", "passphrase"))
    assert isinstance(api_key, QLineEdit) and api_key.echoMode() == QLineEdit.EchoMode.Normal
    assert isinstance(secret, QLineEdit) and secret.echoMode() == QLineEdit.EchoMode.Password
    assert isinstance(passphrase, QLineEdit) and passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert [api_key.accessibleName(), secret.accessibleName()] == ["API key", "Secret key"]
    assert api_key.placeholderText() == "Paste the API key from ExampleX"
    assert secret.placeholderText() == "Paste the secret key from ExampleX"
    labels = {label.text() for label in host.findChildren(QLabel)}
    assert {"API key:", "Secret key:", "Passphrase:"} <= labels
    # "Show" unmasks every secret field, and masks them again.
    assert form.show_secret_button is not None
    form.show_secret_button.click()
    assert secret.echoMode() == passphrase.echoMode() == QLineEdit.EchoMode.Normal
    form.show_secret_button.click()
    assert secret.echoMode() == passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert form.first_secret() is secret


def test_classic_fields_go_through_the_core_rules() -> None:
    typed = {"api_key": "  KEY0000001 ", "secret": "\tSECRET00000001 ", "passphrase": " pass "}
    made = clean_credentials_for(PASSPHRASE_VENUE, typed)
    assert made == clean_credentials(*typed.values(), needs_passphrase=True)
    assert made == Credentials("KEY0000001", "SECRET00000001", "pass")
    with pytest.raises(KeyInputError) as missing:
        clean_credentials_for(PASSPHRASE_VENUE, {**typed, "passphrase": ""})
    assert missing.value.field_name == "passphrase"


def test_a_multiline_field_keeps_its_inner_line_breaks(qtbot: QtBot) -> None:
    host, form, _errors = build_form(qtbot, PEM_VENUE)
    box = host.findChild(QPlainTextEdit, "credential_private_key")
    line = host.findChild(QLineEdit, "credential_key_name")
    assert box is not None and line is not None and form.input("private_key") is box
    assert form.show_secret_button is None  # no single-line secret to unmask
    edited: list[str] = []
    form.edited.connect(edited.append)
    box.setFocus()
    box.insertPlainText(f"\n  {PEM}\r\n\n")  # pasted with stray blank lines and Windows line ends
    qtbot.keyClicks(line, " organizations/1/apiKeys/abc ")
    assert "private_key" in edited and "key_name" in edited
    made = form.clean()
    assert made.get("private_key") == PEM and made.get("private_key").count("\n") == 3
    assert made.get("key_name") == "organizations/1/apiKeys/abc"
    assert made == Credentials.from_fields({"key_name": "organizations/1/apiKeys/abc", "private_key": PEM})
    assert "***" in repr(made) and PEM not in repr(made)


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"key_name": "", "private_key": PEM}, "key_name", "This field is required."),
        ({"key_name": "a name", "private_key": PEM}, "key_name", "Contains spaces"),
        ({"key_name": NAME, "private_key": "-----BEGIN-----"}, "private_key", "complete key"),
        ({"key_name": NAME, "private_key": PEM.replace("MHc", "M\x00Hc")}, "private_key", "invisible"),
    ],
)
def test_spec_rules_name_the_field_and_the_fix(typed: dict[str, str], field: str, message: str) -> None:
    with pytest.raises(KeyInputError) as refused:
        clean_credentials_for(PEM_VENUE, typed)
    assert refused.value.field_name == field and message in refused.value.message


def test_an_optional_field_may_stay_empty() -> None:
    info = venue(
        API_KEY, API_SECRET, CredentialField("passphrase", "Passphrase", required=False, min_length=1)
    )
    made = clean_credentials_for(
        info, {"api_key": "KEY0000001", "secret": "SECRET00000001", "passphrase": ""}
    )
    assert made == Credentials("KEY0000001", "SECRET00000001")


def test_the_key_dialog_form_is_built_from_the_declaration(qtbot: QtBot, service: AppService) -> None:
    dialog = KeyForm(service, PEM_VENUE)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.findChild(QPlainTextEdit, "credential_private_key") is not None
    assert dialog.findChild(QLineEdit, "credential_key_name") is not None
    assert dialog.findChild(QLineEdit, "credential_api_key") is None
    assert dialog.findChild(QLabel, "private_keyError") is not None  # its message line
    assert dialog.focusWidget() is dialog.findChild(QLineEdit, "credential_key_name")


def test_venues_are_named_in_the_ui_language(qtbot: QtBot, locale_ja: None) -> None:
    named = venue(API_KEY, API_SECRET, name_ja="エグザンプル")
    assert venue_display_name(named) == "エグザンプル"
    assert venue_display_name(venue(API_KEY, API_SECRET)) == "ExampleX"  # no Japanese name: its own
    picker = VenuePickerDialog()
    qtbot.addWidget(picker)
    listing = picker.findChild(QListWidget, "exchangeList")
    assert listing is not None
    shown = [listing.item(row).text() for row in range(listing.count())]
    assert shown == [info.display_name("ja_JP") for info in venue_infos()]
    QLocale.setDefault(QLocale("en_US"))
    assert venue_display_name(named) == "ExampleX"


def test_action_enable_rules(store: Store) -> None:
    none = enabled_actions(None, running=False, any_running=False, syncable=False)
    assert not (none.sync_selected or none.edit or none.remove or none.pause or none.cancel or none.sync_all)
    key = store.get_key(store.add_key(NewKey("bybit", "Main", "global", ("spot",))))
    idle = enabled_actions(key, running=False, any_running=False, syncable=True)
    assert idle.sync_selected and idle.edit and idle.remove and idle.pause and idle.sync_all
    assert not idle.cancel and not idle.paused
    busy = enabled_actions(key, running=True, any_running=True, syncable=True)
    assert not busy.sync_selected and not busy.edit and busy.remove and busy.cancel
    paused = store.update_key(key.id, paused=True)
    assert enabled_actions(paused, running=False, any_running=False, syncable=False).paused
    bare = store.update_key(key.id, endpoints=())
    assert not enabled_actions(bare, running=False, any_running=False, syncable=False).pause


@pytest.fixture
def service(store: object, secret_store: object) -> AppService:
    return AppService(store, secret_store)  # type: ignore[arg-type]
