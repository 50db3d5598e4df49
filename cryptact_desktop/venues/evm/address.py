"""An EVM account address: ``0x`` and 40 hexadecimal digits, with EIP-55's mixed-case checksum.

EIP-55: hash the lower-case hex digits (as ASCII text) with Keccak-256; a letter is upper case
exactly where the matching hex digit of the hash is 8 or more. An address written all in lower or
all in upper case carries no checksum and is accepted as it is; a mixed-case one must match, which
catches a mistyped or damaged address before anything is asked of a server. Every EVM chain uses
the same address format (EIP-1191's chain-specific checksum is not used by the chains offered
here), so one address can be added to several chains.
"""

from __future__ import annotations

from cryptact_desktop.i18n import translate
from cryptact_desktop.venues.evm.keccak import keccak256

_HEX = frozenset("0123456789abcdef")


def checksummed(address: str) -> str:
    """The EIP-55 form of a valid address (any case in)."""
    digits = address[2:].lower()
    digest = keccak256(digits.encode("ascii")).hex()[:40]
    return "0x" + "".join(
        c.upper() if c.isalpha() and int(h, 16) >= 8 else c for c, h in zip(digits, digest, strict=True)
    )


def parse_address(text: str) -> str:
    """The address in ``text`` in its checksummed form, or ValueError (a translated sentence)."""
    value = text.strip()
    if value[:2] not in ("0x", "0X"):
        raise ValueError(translate("keys", "An address starts with 0x: copy it again from your wallet."))
    digits = value[2:]
    if len(digits) != 40:
        raise ValueError(
            translate("keys", "An address has 40 characters after 0x: copy it again from your wallet.")
        )
    if not set(digits.lower()) <= _HEX:
        raise ValueError(
            translate("keys", "An address has only the digits 0–9 and letters a–f after 0x: copy it again.")
        )
    normal = checksummed("0x" + digits)
    mixed = digits != digits.lower() and digits != digits.upper()
    if mixed and "0x" + digits != normal:
        raise ValueError(
            translate(
                "keys",
                "The address's upper and lower case letters do not match its checksum: a character is "
                "wrong. Copy it again from your wallet.",
            )
        )
    return normal


def same_address(a: str, b: str) -> bool:
    """Whether two addresses as an API writes them (any case) are the same account."""
    return a.lower() == b.lower()
