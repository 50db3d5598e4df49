"""BIP 32 public derivation: extended public keys and their non-hardened children.

An account's extended public key (``xpub``/``ypub``/``zpub``) gives every receive (chain 0) and
change (chain 1) public key of the account without any private key: CKDpub(K, c, i) =
point(IL) + K, where IL is the left half of HMAC-SHA512(c, serP(K) || ser32(i)). Only the secp256k1
group law is needed (point addition and multiplication of the generator), written out here on the
standard library's integers.

Checked against BIP 32's test vectors 1 and 2 and BIP 49/84's in
``tests/venues/bitcoin/test_bitcoin_keys.py``.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from cryptact_desktop.venues.bitcoin.encoding import base58check_decode, base58check_encode, hash160

# secp256k1 (SEC 2, section 2.4.1)
P = 2**256 - 2**32 - 977
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
GX = 0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798
GY = 0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8
HARDENED = 0x80000000

Point = tuple[int, int] | None  # affine coordinates; None is the point at infinity
_Jacobian = tuple[int, int, int]  # (X, Y, Z): x = X/Z^2, y = Y/Z^3; Z == 0 at infinity


def _double(point: _Jacobian) -> _Jacobian:
    x, y, z = point
    if z == 0 or y == 0:
        return (0, 1, 0)
    yy = y * y % P
    s = 4 * x * yy % P
    m = 3 * x * x % P
    nx = (m * m - 2 * s) % P
    ny = (m * (s - nx) - 8 * yy * yy) % P
    nz = 2 * y * z % P
    return (nx, ny, nz)


def _add(first: _Jacobian, second: _Jacobian) -> _Jacobian:
    x1, y1, z1 = first
    x2, y2, z2 = second
    if z1 == 0:
        return second
    if z2 == 0:
        return first
    z1z1, z2z2 = z1 * z1 % P, z2 * z2 % P
    u1, u2 = x1 * z2z2 % P, x2 * z1z1 % P
    s1, s2 = y1 * z2 * z2z2 % P, y2 * z1 * z1z1 % P
    if u1 == u2:
        return _double(first) if s1 == s2 else (0, 1, 0)
    h = (u2 - u1) % P
    r = (s2 - s1) % P
    hh = h * h % P
    hhh = h * hh % P
    v = u1 * hh % P
    nx = (r * r - hhh - 2 * v) % P
    ny = (r * (v - nx) - s1 * hhh) % P
    nz = h * z1 * z2 % P
    return (nx, ny, nz)


def _affine(point: _Jacobian) -> Point:
    x, y, z = point
    if z == 0:
        return None
    inverse = pow(z, -1, P)
    inverse2 = inverse * inverse % P
    return (x * inverse2 % P, y * inverse2 * inverse % P)


def _generator_table() -> list[_Jacobian]:
    table: list[_Jacobian] = []
    point: _Jacobian = (GX, GY, 1)
    for _ in range(256):
        table.append(point)
        point = _double(point)
    return table


_G_POWERS: list[_Jacobian] = []


def multiply_generator(scalar: int) -> Point:
    """scalar · G (a table of G · 2^i, built once, turns it into at most 256 additions)."""
    if not _G_POWERS:
        _G_POWERS.extend(_generator_table())
    scalar %= N
    result: _Jacobian = (0, 1, 0)
    bit = 0
    while scalar:
        if scalar & 1:
            result = _add(result, _G_POWERS[bit])
        scalar >>= 1
        bit += 1
    return _affine(result)


def add_points(first: Point, second: Point) -> Point:
    if first is None:
        return second
    if second is None:
        return first
    return _affine(_add((*first, 1), (*second, 1)))


def compress(point: Point) -> bytes:
    """SEC1 compressed serialisation (serP): 02/03 by the parity of y, then x."""
    if point is None:
        raise ValueError("the point at infinity has no serialisation")
    x, y = point
    return bytes([2 + (y & 1)]) + x.to_bytes(32, "big")


def decompress(data: bytes) -> tuple[int, int]:
    """The point of a 33-byte compressed public key; ``ValueError`` when it is not on the curve."""
    if len(data) != 33 or data[0] not in (2, 3):
        raise ValueError("not a compressed public key")
    x = int.from_bytes(data[1:], "big")
    if x >= P:
        raise ValueError("x out of range")
    y_squared = (pow(x, 3, P) + 7) % P
    y = pow(y_squared, (P + 1) // 4, P)
    if y * y % P != y_squared:
        raise ValueError("not on the curve")
    if y & 1 != data[0] & 1:
        y = P - y
    return (x, y)


@dataclass(frozen=True, slots=True)
class ExtendedKey:
    """A BIP 32 extended public key (serialised as 78 bytes in Base58Check)."""

    version: bytes
    depth: int
    fingerprint: bytes
    child_number: int
    chain_code: bytes
    public_key: bytes  # 33 bytes, compressed

    @classmethod
    def parse(cls, text: str) -> ExtendedKey:
        """Decode an extended key's fields (its version is not judged here); ``ValueError`` for a
        bad checksum, a wrong length or a key that is not a public key on the curve."""
        data = base58check_decode(text)
        if len(data) != 78:
            raise ValueError("an extended key has 78 bytes")
        key = cls(
            version=data[0:4],
            depth=data[4],
            fingerprint=data[5:9],
            child_number=int.from_bytes(data[9:13], "big"),
            chain_code=data[13:45],
            public_key=data[45:78],
        )
        if key.public_key[0] == 0:
            raise ValueError("a private key")
        decompress(key.public_key)
        return key

    def serialize(self) -> str:
        return base58check_encode(
            self.version
            + bytes([self.depth])
            + self.fingerprint
            + self.child_number.to_bytes(4, "big")
            + self.chain_code
            + self.public_key
        )

    def child(self, index: int) -> ExtendedKey:
        """CKDpub: the non-hardened child ``index`` (``ValueError`` for a hardened index, and for
        the 1-in-2^127 index whose key is invalid: BIP 32 says to skip it)."""
        if not 0 <= index < HARDENED:
            raise ValueError("a public key derives only non-hardened children")
        digest = hmac.new(
            self.chain_code, self.public_key + index.to_bytes(4, "big"), hashlib.sha512
        ).digest()
        tweak = int.from_bytes(digest[:32], "big")
        if tweak >= N:
            raise ValueError("invalid child")
        point = add_points(multiply_generator(tweak), decompress(self.public_key))
        if point is None:
            raise ValueError("invalid child")
        return ExtendedKey(
            version=self.version,
            depth=self.depth + 1,
            fingerprint=hash160(self.public_key)[:4],
            child_number=index,
            chain_code=digest[32:],
            public_key=compress(point),
        )

    def derive(self, *path: int) -> ExtendedKey:
        key = self
        for index in path:
            key = key.child(index)
        return key
