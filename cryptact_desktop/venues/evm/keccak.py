"""Keccak-256 (the original Keccak submission's padding, as Ethereum uses it) on the standard library.

``hashlib.sha3_256`` is FIPS 202 SHA3-256: the same Keccak-f[1600] permutation and rate (136 bytes),
but a different padding byte (0x06 instead of Keccak's 0x01), so its digests differ and Ethereum's
address checksum (EIP-55) cannot use it. The permutation below is written from the Keccak reference
(FIPS 202 section 3); :func:`sponge` takes the padding byte, so the tests check it against
``hashlib.sha3_256`` on inputs of every length around the block size, and the Keccak-256 digests
against published vectors.

Speed is no concern: the app hashes one 40-character address when a wallet is added.
"""

from __future__ import annotations

_MASK = (1 << 64) - 1
_RATE = 136  # bytes: 1600 - 2 × 256 bits of capacity
_ROUNDS = 24

# Rotation offsets r[x][y] (FIPS 202 table 2), indexed [x + 5 * y].
_ROTATIONS = (
    0, 1, 62, 28, 27,
    36, 44, 6, 55, 20,
    3, 10, 43, 25, 39,
    41, 45, 15, 21, 8,
    18, 2, 61, 56, 14,
)  # fmt: skip


def _round_constants() -> tuple[int, ...]:
    """The 24 iota constants, from the degree-8 LFSR of FIPS 202 algorithm 5."""
    constants: list[int] = []
    state = 1
    for _ in range(_ROUNDS):
        constant = 0
        for j in range(7):
            if state & 1:
                constant |= 1 << ((1 << j) - 1)
            state = ((state << 1) ^ 0x71) & 0xFF if state & 0x80 else state << 1
        constants.append(constant)
    return tuple(constants)


_ROUND_CONSTANTS = _round_constants()


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK if shift else value


def permute(lanes: list[int]) -> None:
    """Keccak-f[1600] on 25 64-bit lanes (``lanes[x + 5 * y]``), in place."""
    for constant in _ROUND_CONSTANTS:
        # theta
        columns = [lanes[x] ^ lanes[x + 5] ^ lanes[x + 10] ^ lanes[x + 15] ^ lanes[x + 20] for x in range(5)]
        for x in range(5):
            d = columns[(x - 1) % 5] ^ _rotl(columns[(x + 1) % 5], 1)
            for y in range(0, 25, 5):
                lanes[x + y] ^= d
        # rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y])
        moved = [0] * 25
        for x in range(5):
            for y in range(5):
                moved[y + 5 * ((2 * x + 3 * y) % 5)] = _rotl(lanes[x + 5 * y], _ROTATIONS[x + 5 * y])
        # chi
        for y in range(0, 25, 5):
            row = moved[y : y + 5]
            for x in range(5):
                lanes[x + y] = row[x] ^ ((~row[(x + 1) % 5]) & row[(x + 2) % 5])
        # iota
        lanes[0] ^= constant


def sponge(data: bytes, *, pad: int, rate: int = _RATE, size: int = 32) -> bytes:
    """The sponge over ``data`` with the domain padding byte ``pad`` (0x01 Keccak, 0x06 SHA-3)."""
    padded = bytearray(data)
    padded.append(pad)
    padded.extend(b"\x00" * (-len(padded) % rate))
    padded[-1] |= 0x80
    lanes = [0] * 25
    for offset in range(0, len(padded), rate):
        block = padded[offset : offset + rate]
        for i in range(rate // 8):
            lanes[i] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        permute(lanes)
    out = b"".join(lane.to_bytes(8, "little") for lane in lanes[: rate // 8])
    return out[:size]


def keccak256(data: bytes) -> bytes:
    """Ethereum's Keccak-256 digest of ``data`` (32 bytes)."""
    return sponge(data, pad=0x01)
