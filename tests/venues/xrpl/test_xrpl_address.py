"""XRP Ledger addresses on published vectors: the genesis account and the special addresses
ACCOUNT_ZERO/ACCOUNT_ONE (xrpl.org, "Addresses"), and the X-address encodings of
rGWrZyQqhTp9Xu7G5Pkayo7bXjH4k4QYpf from the X-address format's test vectors."""

from __future__ import annotations

import pytest

from cryptact_desktop.service import KeyInputError, clean_credential_fields
from cryptact_desktop.venues.xrpl.address import (
    account_id,
    check_address_input,
    classic_address,
    decode_x_address,
    is_classic_address,
    x_address,
)
from cryptact_desktop.venues.xrpl.catalogue import XRPL
from cryptact_desktop.venues.xrpl.simulator.ledger import decode_address, made_up_address

GENESIS = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"
VECTOR = "rGWrZyQqhTp9Xu7G5Pkayo7bXjH4k4QYpf"


@pytest.mark.parametrize(
    ("address", "hex_id"),
    [
        (GENESIS, "b5f762798a53d543a014caf8b297cff8f2f937e8"),
        ("rrrrrrrrrrrrrrrrrrrrrhoLvTp", "00" * 20),
        ("rrrrrrrrrrrrrrrrrrrrBZbvji", "00" * 19 + "01"),
    ],
)
def test_classic_addresses_round_trip_their_account_id(address: str, hex_id: str) -> None:
    assert account_id(address).hex() == hex_id
    assert classic_address(bytes.fromhex(hex_id)) == address
    assert decode_address(address) == bytes.fromhex(hex_id)  # the simulator's own reading agrees


@pytest.mark.parametrize(
    ("tag", "test", "expected"),
    [
        (None, False, "XVLhHMPHU98es4dbozjVtdWzVrDjtV5fdx1mHp98tDMoQXb"),
        (1, False, "XVLhHMPHU98es4dbozjVtdWzVrDjtV8xvjGQTYPiAx6gwDC"),
        (None, True, "TVE26TYGhfLC7tQDno7G8dGtxSkYQn49b3qD26PK7FcGSKE"),
    ],
)
def test_x_addresses_match_the_format_vectors(tag: int | None, test: bool, expected: str) -> None:
    assert x_address(account_id(VECTOR), tag, test=test) == expected
    assert decode_x_address(expected) == (account_id(VECTOR), tag, test)


def test_the_field_check_keeps_a_classic_address_and_refuses_damage_with_a_reason() -> None:
    assert check_address_input(f"  {GENESIS} ") == GENESIS
    assert check_address_input("XVLhHMPHU98es4dbozjVtdWzVrDjtV8xvjGQTYPiAx6gwDC") == VECTOR
    for damaged in (GENESIS[:-1] + "U", GENESIS[:10], "0x52908400098527886E0F7030069857D2E4169EE7"):
        with pytest.raises(ValueError, match=r"\S"):
            check_address_input(damaged)
    with pytest.raises(ValueError, match="Testnet"):
        check_address_input("TVE26TYGhfLC7tQDno7G8dGtxSkYQn49b3qD26PK7FcGSKE")
    assert not is_classic_address("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu")


def test_the_add_key_form_runs_the_check() -> None:
    cleaned = clean_credential_fields({"address": GENESIS}, XRPL.credentials)
    assert cleaned.get("address") == GENESIS
    with pytest.raises(KeyInputError):
        clean_credential_fields({"address": GENESIS[:-1] + "U"}, XRPL.credentials)
    assert XRPL.key_hint({"address": GENESIS}) == "rHb9CJAW…tyTh"


def test_the_simulators_addresses_are_valid_for_the_app() -> None:
    for label in ("wallet 1", "exchange 0", "issuer USD"):
        assert is_classic_address(made_up_address(label))
