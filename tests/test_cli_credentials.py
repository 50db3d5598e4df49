"""Credential fields declared by the venue: cleaning them in the core, reading them in the CLI."""

from __future__ import annotations

import pytest

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.service import KeyInputError, clean_credential_fields, clean_credentials
from cryptact_desktop.venues.base import API_KEY, API_SECRET, CredentialField

PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIGx0ZXN0a2V5MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3\n"
    "-----END PRIVATE KEY-----"
)
PRIVATE_KEY = CredentialField("private_key", "Private key", multiline=True, min_length=40, max_length=4096)
ADDRESS = CredentialField(
    "address", "Wallet address", secret=False, required=False, min_length=20, max_length=64
)
FIELDS = (API_KEY, PRIVATE_KEY, ADDRESS)


# -- the core: clean_credential_fields ----------------------------------------------------------


def test_fields_are_trimmed_and_a_multiline_field_keeps_its_line_breaks() -> None:
    pasted = "  " + PEM.replace("\n", "\r\n  ") + "\r\n\r\n"
    creds = clean_credential_fields({"api_key": " KEY0000001\n", "private_key": pasted}, FIELDS)
    assert creds.api_key == "KEY0000001"
    assert creds.get("private_key") == PEM
    assert creds.get("address") == ""  # optional and not given
    assert creds == Credentials.from_fields({"api_key": "KEY0000001", "private_key": PEM})


def test_each_rule_names_the_field() -> None:
    def problem(values: dict[str, str]) -> tuple[str, str]:
        with pytest.raises(KeyInputError) as info:
            clean_credential_fields(values, FIELDS)
        return info.value.field_name, info.value.message

    base = {"api_key": "KEY0000001", "private_key": PEM}
    assert problem({**base, "api_key": "   "}) == ("api_key", "This field is required.")
    assert problem({"api_key": "KEY0000001"}) == ("private_key", "This field is required.")
    assert problem({**base, "api_key": "KEY 0000001"})[0] == "api_key"
    assert "spaces" in problem({**base, "api_key": "KEY\u200b0000001"})[1]
    assert problem({**base, "api_key": "KEY1"}) == (
        "api_key",
        "Does not look like a complete key: paste it again.",
    )
    assert problem({**base, "private_key": "x" * 39})[0] == "private_key"
    assert problem({**base, "private_key": PEM.replace("BEGIN", "BE\tGIN")}) == (
        "private_key",
        "Contains invisible characters: paste it again.",
    )
    assert problem({**base, "address": "0xabc def0123456789abcdef"})[0] == "address"
    assert problem({**base, "address": "0x" + "a" * 63})[1].startswith("Does not look")
    # Spaces inside a multi-line field are its own text (PEM headers have them).
    assert clean_credential_fields(base, FIELDS).get("private_key").startswith("-----BEGIN PRIVATE KEY")


def test_the_classic_wrapper_keeps_its_rules_and_messages() -> None:
    creds = clean_credentials(" KEY0000001 ", "\tSECRET0000001\n")
    assert (creds.api_key, creds.secret, creds.passphrase) == ("KEY0000001", "SECRET0000001", "")
    with pytest.raises(KeyInputError) as missing:
        clean_credentials("KEY0000001", "SECRET0000001", needs_passphrase=True)
    assert (missing.value.field_name, missing.value.message) == (
        "passphrase",
        "This exchange needs the key's passphrase.",
    )
    assert (
        clean_credentials("KEY0000001", "SECRET0000001", " pass ", needs_passphrase=True).passphrase == "pass"
    )
    with pytest.raises(KeyInputError) as short:
        clean_credentials("KEY0000001", "short")
    assert short.value.field_name == "secret"
    assert clean_credentials("KEY0000001", "SECRET0000001") == clean_credential_fields(
        {"api_key": "KEY0000001", "secret": "SECRET0000001", "ignored": "x"}, (API_KEY, API_SECRET)
    )
