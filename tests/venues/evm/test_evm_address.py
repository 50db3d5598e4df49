"""Keccak-256 and EIP-55 addresses on the standard library, against published vectors."""

from __future__ import annotations

import hashlib

import pytest

from cryptact_desktop.service import KeyInputError, clean_credential_fields
from cryptact_desktop.venues.evm import ETHEREUM
from cryptact_desktop.venues.evm.address import checksummed, parse_address, same_address
from cryptact_desktop.venues.evm.keccak import keccak256, sponge

# Keccak-256 digests as Ethereum tooling prints them (the empty string's is the "empty code hash"
# of every account without code; "abc" is the Keccak team's short message).
KECCAK_VECTORS = [
    (b"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
    (b"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
    (
        b"The quick brown fox jumps over the lazy dog",
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
    ),
    # The ERC-20 Transfer event's topic: keccak256("Transfer(address,address,uint256)").
    (
        b"Transfer(address,address,uint256)",
        "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
    ),
]

# EIP-55's own examples: all caps, all lower, and mixed case.
EIP55 = [
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]


@pytest.mark.parametrize(("data", "digest"), KECCAK_VECTORS)
def test_keccak256_vectors(data: bytes, digest: str) -> None:
    assert keccak256(data).hex() == digest


@pytest.mark.parametrize("length", [0, 1, 55, 135, 136, 137, 271, 272, 273, 500])
def test_the_permutation_with_sha3_padding_equals_hashlib(length: int) -> None:
    # Same permutation and rate as SHA3-256; only the padding byte differs. Around one and two
    # blocks, so absorbing several blocks is covered too.
    data = bytes((i * 7 + 3) % 256 for i in range(length))
    assert sponge(data, pad=0x06) == hashlib.sha3_256(data).digest()
    assert keccak256(data) != hashlib.sha3_256(data).digest()


@pytest.mark.parametrize("address", EIP55)
def test_eip55_examples(address: str) -> None:
    mixed = address[2:] not in (address[2:].lower(), address[2:].upper())
    if mixed:
        assert checksummed(address.lower()) == address
    assert parse_address(address).lower() == address.lower()
    assert parse_address(f"  {address}\n") == checksummed(address)


@pytest.mark.parametrize(
    "text",
    [
        "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",  # no 0x
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",  # 39 digits
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd",  # 41 digits
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",  # not hex
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",  # one letter's case changed
        "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    ],
)
def test_malformed_or_mistyped_addresses_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_address(text)


def test_the_key_dialog_checks_the_address_and_keeps_it_checksummed() -> None:
    fields = ETHEREUM.info.credentials
    clean = clean_credential_fields({"address": EIP55[4].lower(), "provider_key": ""}, fields)
    assert clean.get("address") == EIP55[4]
    with pytest.raises(KeyInputError) as refused:
        clean_credential_fields({"address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"}, fields)
    assert refused.value.field_name == "address"
    assert same_address(EIP55[4], EIP55[4].upper().replace("0X", "0x"))
