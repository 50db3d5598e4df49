"""The byte-level encodings of Bitcoin addresses and extended keys, on the standard library alone.

* ``hash160`` = RIPEMD-160(SHA-256(data)). RIPEMD-160 is written out here: ``hashlib`` offers it only
  when the OpenSSL it was built with still ships the algorithm (OpenSSL 3 moved it to the "legacy"
  provider, which many systems leave off), and an address must not depend on that.
* Base58Check (legacy ``1…``/``3…`` addresses and ``xpub``/``ypub``/``zpub`` keys).
* Bech32 (BIP 173, segwit version 0: ``bc1q…``) and Bech32m (BIP 350, version 1 and up: ``bc1p…``).

Checked against the published test vectors (RIPEMD-160 paper, BIP 173, BIP 350) in
``tests/venues/bitcoin/test_bitcoin_keys.py``.
"""

from __future__ import annotations

import hashlib
import struct

# ------------------------------------------------------------------------------------ RIPEMD-160

_R_LEFT = (
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
    3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
    1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
    4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
)  # fmt: skip
_R_RIGHT = (
    5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
    6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
    15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
    8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
    12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
)  # fmt: skip
_S_LEFT = (
    11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
    7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
    11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
    11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
    9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
)  # fmt: skip
_S_RIGHT = (
    8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
    9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
    9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
    15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
    8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
)  # fmt: skip
_K_LEFT = (0x00000000, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xA953FD4E)
_K_RIGHT = (0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9, 0x00000000)
_MASK = 0xFFFFFFFF


def _f(round_: int, x: int, y: int, z: int) -> int:
    if round_ == 0:
        return x ^ y ^ z
    if round_ == 1:
        return (x & y) | (~x & z)
    if round_ == 2:
        return (x | ~y) ^ z
    if round_ == 3:
        return (x & z) | (y & ~z)
    return x ^ (y | ~z)


def _rol(value: int, bits: int) -> int:
    value &= _MASK
    return ((value << bits) | (value >> (32 - bits))) & _MASK


def ripemd160(data: bytes) -> bytes:
    """RIPEMD-160 of ``data`` (Dobbertin, Bosselaers, Preneel, 1996)."""
    h0, h1, h2, h3, h4 = 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0
    padded = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack("<Q", 8 * len(data))
    for offset in range(0, len(padded), 64):
        words = struct.unpack("<16I", padded[offset : offset + 64])
        al, bl, cl, dl, el = h0, h1, h2, h3, h4
        ar, br, cr, dr, er = h0, h1, h2, h3, h4
        for j in range(80):
            round_ = j // 16
            t = _rol(al + _f(round_, bl, cl, dl) + words[_R_LEFT[j]] + _K_LEFT[round_], _S_LEFT[j]) + el
            al, el, dl, cl, bl = el, dl, _rol(cl, 10), bl, t & _MASK
            t = (
                _rol(ar + _f(4 - round_, br, cr, dr) + words[_R_RIGHT[j]] + _K_RIGHT[round_], _S_RIGHT[j])
                + er
            )
            ar, er, dr, cr, br = er, dr, _rol(cr, 10), br, t & _MASK
        h0, h1, h2, h3, h4 = (
            (h1 + cl + dr) & _MASK,
            (h2 + dl + er) & _MASK,
            (h3 + el + ar) & _MASK,
            (h4 + al + br) & _MASK,
            (h0 + bl + cr) & _MASK,
        )
    return struct.pack("<5I", h0, h1, h2, h3, h4)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def hash160(data: bytes) -> bytes:
    """RIPEMD-160(SHA-256(data)): a public key's or a script's 20-byte hash."""
    return ripemd160(sha256(data))


# ------------------------------------------------------------------------------------ Base58Check

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {ch: i for i, ch in enumerate(_B58)}


def base58check_encode(payload: bytes) -> str:
    data = payload + sha256(sha256(payload))[:4]
    number = int.from_bytes(data, "big")
    chars = []
    while number:
        number, rest = divmod(number, 58)
        chars.append(_B58[rest])
    zeros = len(data) - len(data.lstrip(b"\x00"))
    return "1" * zeros + "".join(reversed(chars))


def base58check_decode(text: str) -> bytes:
    """The payload of a Base58Check string; ``ValueError`` for a bad character or checksum."""
    number = 0
    for ch in text:
        if ch not in _B58_INDEX:
            raise ValueError("not base58")
        number = number * 58 + _B58_INDEX[ch]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    data = b"\x00" * zeros + body
    if len(data) < 5:
        raise ValueError("too short")
    payload, checksum = data[:-4], data[-4:]
    if sha256(sha256(payload))[:4] != checksum:
        raise ValueError("bad checksum")
    return payload


# ------------------------------------------------------------------------------------ Bech32 / Bech32m

_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= _GENERATOR[i] if (top >> i) & 1 else 0
    return checksum


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]


def _convert_bits(data: bytes | list[int], from_bits: int, to_bits: int, pad: bool) -> list[int]:
    acc = bits = 0
    out: list[int] = []
    top = (1 << to_bits) - 1
    for value in data:
        if value < 0 or value >> from_bits:
            raise ValueError("bad value")
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & top)
    if pad:
        if bits:
            out.append((acc << (to_bits - bits)) & top)
    elif bits >= from_bits or (acc << (to_bits - bits)) & top:
        raise ValueError("bad padding")
    return out


def segwit_encode(hrp: str, version: int, program: bytes) -> str:
    """A segwit address: Bech32 for version 0, Bech32m for versions 1 to 16 (BIP 350)."""
    const = _BECH32_CONST if version == 0 else _BECH32M_CONST
    data = [version, *_convert_bits(program, 8, 5, True)]
    values = _hrp_expand(hrp) + data
    polymod = _polymod([*values, 0, 0, 0, 0, 0, 0]) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32_CHARSET[d] for d in data + checksum)


def segwit_decode(address: str) -> tuple[str, int, bytes]:
    """(human-readable part, witness version, program) of a segwit address; ``ValueError`` when it
    is not one (mixed case, bad character or checksum, wrong length, wrong checksum variant)."""
    if address.lower() != address and address.upper() != address:
        raise ValueError("mixed case")
    text = address.lower()
    position = text.rfind("1")
    if position < 1 or position + 7 > len(text) or len(text) > 90:
        raise ValueError("bad separator or length")
    hrp, rest = text[:position], text[position + 1 :]
    if any(ord(ch) < 33 or ord(ch) > 126 for ch in hrp) or any(ch not in _BECH32_CHARSET for ch in rest):
        raise ValueError("bad character")
    data = [_BECH32_CHARSET.index(ch) for ch in rest]
    const = _polymod(_hrp_expand(hrp) + data)
    if not data or const not in (_BECH32_CONST, _BECH32M_CONST):
        raise ValueError("bad checksum")
    version = data[0]
    program = bytes(_convert_bits(data[1:-6], 5, 8, False))
    if version > 16 or not 2 <= len(program) <= 40:
        raise ValueError("bad program")
    if version == 0 and len(program) not in (20, 32):
        raise ValueError("bad version 0 program")
    if (version == 0) != (const == _BECH32_CONST):
        raise ValueError("wrong checksum variant")
    return hrp, version, program
