"""XRP Ledger account addresses: the classic ``r…`` address, checked locally before anything is
sent.

A classic address is the 20-byte account ID behind a one-byte type prefix (``0x00``), followed by
the first four bytes of the double SHA-256 of both (the checksum), written in base58 with the XRP
Ledger's own alphabet (it starts ``rpshnaf39w…``, so every account address starts with ``r``).
An X-address (``X…`` on the main network, ``T…`` on the test network) packs the same account ID
with a destination tag; a wallet is the account, so an X-address of the main network is accepted
and kept as its classic address (the tag only routes payments *into* a shared account).
"""

from __future__ import annotations

import hashlib

from cryptact_desktop.i18n import translate

ALPHABET = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
_INDEX = {char: value for value, char in enumerate(ALPHABET)}
ACCOUNT_PREFIX = b"\x00"
X_MAIN_PREFIX = b"\x05\x44"
X_TEST_PREFIX = b"\x04\x93"
ACCOUNT_ID_BYTES = 20


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = ALPHABET[digit] + text
    zeros = len(data) - len(data.lstrip(b"\x00"))
    return ALPHABET[0] * zeros + text


def b58decode(text: str) -> bytes:
    """The bytes of ``text`` (ValueError on a character outside the alphabet)."""
    number = 0
    for char in text:
        digit = _INDEX.get(char)
        if digit is None:
            raise ValueError("not base58")
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(text) - len(text.lstrip(ALPHABET[0]))
    return b"\x00" * zeros + body


def b58check_decode(text: str) -> bytes:
    """The payload of a checked base58 string (ValueError when the checksum does not match)."""
    raw = b58decode(text)
    if len(raw) < 5 or _checksum(raw[:-4]) != raw[-4:]:
        raise ValueError("checksum")
    return raw[:-4]


def b58check_encode(payload: bytes) -> str:
    return b58encode(payload + _checksum(payload))


def account_id(address: str) -> bytes:
    """The 20-byte account ID of a classic address (ValueError if it is not one)."""
    payload = b58check_decode(address)
    if len(payload) != 1 + ACCOUNT_ID_BYTES or payload[:1] != ACCOUNT_PREFIX:
        raise ValueError("not an account address")
    return payload[1:]


def classic_address(account: bytes) -> str:
    if len(account) != ACCOUNT_ID_BYTES:
        raise ValueError("an account ID is 20 bytes")
    return b58check_encode(ACCOUNT_PREFIX + account)


def is_classic_address(text: str) -> bool:
    try:
        account_id(text)
    except ValueError:
        return False
    return text.startswith("r")


def x_address(account: bytes, tag: int | None = None, *, test: bool = False) -> str:
    """The X-address of ``account`` (and destination ``tag``), for tests and the simulator."""
    if tag is not None and not 0 <= tag < 2**32:
        raise ValueError("a destination tag is 32 bits")
    flag = b"\x00" if tag is None else b"\x01"
    body = (tag or 0).to_bytes(8, "little")
    prefix = X_TEST_PREFIX if test else X_MAIN_PREFIX
    return b58check_encode(prefix + account + flag + body)


def decode_x_address(text: str) -> tuple[bytes, int | None, bool]:
    """(account ID, destination tag or None, is the test network) of an X-address."""
    payload = b58check_decode(text)
    if len(payload) != 31 or payload[:2] not in (X_MAIN_PREFIX, X_TEST_PREFIX):
        raise ValueError("not an X-address")
    flag = payload[22]
    tag_bytes = payload[23:]
    if flag not in (0, 1) or tag_bytes[4:] != b"\x00\x00\x00\x00":
        raise ValueError("not an X-address")
    tag = int.from_bytes(tag_bytes, "little") if flag == 1 else None
    if flag == 0 and any(tag_bytes):
        raise ValueError("not an X-address")
    return payload[2:22], tag, payload[:2] == X_TEST_PREFIX


def check_address_input(value: str) -> str:
    """The wallet field's check: a classic address as it is kept (an X-address of the main network
    becomes its classic address), or ValueError with a translated message for under the field."""
    text = value.strip()
    if text[:1] in ("X", "T") and len(text) > 40:
        try:
            account, _tag, test = decode_x_address(text)
        except ValueError:
            raise ValueError(_damaged()) from None
        if test:
            raise ValueError(
                translate("keys", "This is a Testnet address; paste the wallet's XRP Ledger mainnet address.")
            )
        return classic_address(account)
    if not text.startswith("r"):
        raise ValueError(
            translate(
                "keys",
                "An XRP Ledger address starts with r (for example r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk59).",
            )
        )
    if not 25 <= len(text) <= 35:
        raise ValueError(_damaged())
    try:
        account_id(text)
    except ValueError:
        raise ValueError(_damaged()) from None
    return text


def _damaged() -> str:
    return translate(
        "keys", "This address is damaged (its checksum does not match): copy it again from your wallet."
    )
