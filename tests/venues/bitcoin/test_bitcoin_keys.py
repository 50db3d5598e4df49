"""Bitcoin's byte encodings, BIP 32 public derivation and address encodings, on published vectors:
RIPEMD-160 (the authors' page), BIP 173/350 (Bech32, Bech32m), BIP 32 test vectors 1 and 2, BIP 49
(nested segwit, testnet vector) and BIP 84 (native segwit)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from cryptact_desktop.venues.bitcoin.encoding import (
    base58check_decode,
    base58check_encode,
    hash160,
    ripemd160,
    segwit_decode,
    segwit_encode,
)
from cryptact_desktop.venues.bitcoin.hd import HARDENED, ExtendedKey, N, compress, multiply_generator
from cryptact_desktop.venues.bitcoin.wallet import (
    CHANGE,
    RECEIVE,
    Script,
    Slot,
    Wallet,
    address_of,
    check_wallet_input,
)


@pytest.mark.parametrize(
    ("message", "digest"),
    [
        (b"", "9c1185a5c5e9fc54612808977ee8f548b2258d31"),
        (b"a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe"),
        (b"abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
        (b"message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36"),
        (b"abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc"),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "12a053384a9c0c88e405a06c27dcf49ada62eb2b",
        ),
        (b"1234567890" * 8, "9b752e45573d4b39f4dbd3323cab82bf63326bfb"),
    ],
)
def test_ripemd160_matches_the_published_vectors(message: bytes, digest: str) -> None:
    assert ripemd160(message).hex() == digest


def test_ripemd160_over_a_million_as() -> None:
    assert ripemd160(b"a" * 1_000_000).hex() == "52783243c1697bdbe16d37f97f68f08325dc1528"


@pytest.mark.parametrize(
    ("address", "script"),
    [
        ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
        (
            "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
            "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
        ),
        (
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
            "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        ),
    ],
)
def test_segwit_addresses_of_bip173_and_bip350(address: str, script: str) -> None:
    hrp, version, program = segwit_decode(address)
    assert hrp == "bc"
    expected = bytes.fromhex(script)
    assert (version, program) == ((expected[0] - 0x50) if expected[0] else 0, expected[2:])
    assert segwit_encode("bc", version, program) == address.lower()


@pytest.mark.parametrize(
    "bad",
    [
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",  # checksum
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  # v1 with a Bech32 checksum
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7Kv8f3t4",  # mixed case
        "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",  # v16 program too short (BIP 173 invalid)
    ],
)
def test_a_damaged_segwit_address_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        segwit_decode(bad)


def test_p2pkh_of_a_known_public_key() -> None:
    # The classic example: public key -> 1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs.
    key = bytes.fromhex("0250863ad64a87ae8a2fe83c1af1a8403cb53f53e486d8511dad8a04887e5b2352")
    assert hash160(key).hex() == "f54a5851e9372b87810a8e60cdd2e7cfd80b6e31"
    assert address_of(key, Script.P2PKH) == "1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs"
    assert base58check_decode("1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs") == b"\x00" + hash160(key)
    with pytest.raises(ValueError):
        base58check_decode("1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAt")


# BIP 32 test vectors: extended public keys and their non-hardened children.
@pytest.mark.parametrize(
    ("parent", "path", "child"),
    [
        (
            "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw",
            (1,),
            "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ",
        ),
        (
            "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5",
            (2, 1000000000),
            "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy",
        ),
        (
            "xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB",
            (0,),
            "xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH",
        ),
        (
            "xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL",
            (2,),
            "xpub6FnCn6nSzZAw5Tw7cgR9bi15UV96gLZhjDstkXXxvCLsUXBGXPdSnLFbdpq8p9HmGsApME5hQTZ3emM2rnY5agb9rXpVGyy3bdW6EEgAtqt",
        ),
    ],
)
def test_bip32_public_derivation(parent: str, path: tuple[int, ...], child: str) -> None:
    key = ExtendedKey.parse(parent)
    assert key.serialize() == parent
    assert key.derive(*path).serialize() == child


def test_a_public_key_cannot_derive_a_hardened_child() -> None:
    key = ExtendedKey.parse(
        "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8"
    )
    with pytest.raises(ValueError):
        key.child(HARDENED)


def _private_child(secret: int, chain_code: bytes, index: int) -> tuple[int, bytes]:
    """CKDpriv, for the tests only (the app never holds a private key)."""
    if index >= HARDENED:
        data = b"\x00" + secret.to_bytes(32, "big") + index.to_bytes(4, "big")
    else:
        data = compress(multiply_generator(secret)) + index.to_bytes(4, "big")
    digest = hmac.new(chain_code, data, hashlib.sha512).digest()
    return (int.from_bytes(digest[:32], "big") + secret) % N, digest[32:]


def _public_of(private_text: str, version: str) -> str:
    """The extended public key of an extended private key (the same fields, the public point)."""
    data = base58check_decode(private_text)
    secret = int.from_bytes(data[46:78], "big")
    public = compress(multiply_generator(secret))
    return base58check_encode(bytes.fromhex(version) + data[4:45] + public)


BIP84_ACCOUNT_PRIVATE = (
    "zprvAdG4iTXWBoARxkkzNpNh8r6Qag3irQB8PzEMkAFeTRXxHpbF9z4Qg"
    "EvBRmfvqWvGp42t42nvgGpNgYSJA9iefm1yYNZKEm7z6qUWCroSQnE"
)
BIP84_ROOT_PRIVATE = (
    "zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62Xu"
    "ezvGdPvG6GFBZduosCc1YP5wixPox7zhZLfiUm8aunE96BBa4Kei5"
)


def test_bip84_native_segwit_addresses_from_the_account_key() -> None:
    zpub = _public_of(BIP84_ACCOUNT_PRIVATE, "04b24746")
    assert zpub.startswith("zpub")
    wallet = Wallet.parse(zpub)
    assert wallet.scripts == (Script.P2WPKH,)
    assert wallet.address(Slot(Script.P2WPKH, RECEIVE, 0)) == "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"
    assert wallet.address(Slot(Script.P2WPKH, RECEIVE, 1)) == "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g"
    assert wallet.address(Slot(Script.P2WPKH, CHANGE, 0)) == "bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el"
    key = ExtendedKey.parse(zpub).derive(0, 0)
    assert key.public_key.hex() == "0330d54fd0dd420a6e5f8d3624f5f3482cae350f79d5f0753bf5beef9c2d91af3c"


def test_the_bip84_account_key_is_derived_from_its_root() -> None:
    # m/84'/0'/0' by private derivation from the root, then made public: the same account key.
    data = base58check_decode(BIP84_ROOT_PRIVATE)
    secret, chain = int.from_bytes(data[46:78], "big"), data[13:45]
    for index in (84 + HARDENED, HARDENED, HARDENED):
        secret, chain = _private_child(secret, chain, index)
    account = ExtendedKey.parse(_public_of(BIP84_ACCOUNT_PRIVATE, "04b24746"))
    assert account.chain_code == chain
    assert account.public_key == compress(multiply_generator(secret))


def test_bip49_nested_segwit_on_its_testnet_vector() -> None:
    account = ExtendedKey.parse(
        "upub5EFU65HtV5TeiSHmZZm7FUffBGy8UKeqp7vw43jYbvZPpoVsgU93oac7Wk3u6moKegAEWtGNF8DehrnHtv21XXEMYRUocHqguyjknFHYfgY"
    )
    public_key = account.derive(0, 0).public_key
    assert public_key.hex() == "03a1af804ac108a8a51782198c2d034b28bf90c8803f5a53f76276fa69a4eae77f"
    key_hash = hash160(public_key)
    assert key_hash.hex() == "38971f73930f6c141d977ac4fd4a727c854935b3"
    script_hash = hash160(b"\x00\x14" + key_hash)
    assert script_hash.hex() == "336caa13e08b96080a32b5d818d59b4ab3b36742"
    assert base58check_encode(b"\xc4" + script_hash) == "2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2"
    # The mainnet encoding differs only in the prefix byte.
    assert address_of(public_key, Script.P2SH_P2WPKH) == base58check_encode(b"\x05" + script_hash)


def test_an_xpub_stands_for_every_encoding_and_a_ypub_for_nested_segwit() -> None:
    xpub = _public_of(BIP84_ACCOUNT_PRIVATE, "0488b21e")
    ypub = _public_of(BIP84_ACCOUNT_PRIVATE, "049d7cb2")
    assert Wallet.parse(xpub).ambiguous
    assert Wallet.parse(ypub).scripts == (Script.P2SH_P2WPKH,)
    # Same key: the xpub's native segwit address is the zpub's.
    assert (
        Wallet.parse(xpub).address(Slot(Script.P2WPKH, RECEIVE, 0))
        == "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"
    )


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        ("  bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu ", "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"),
        ("BC1QCR8TE4KR609GCAWUTMRZA0J4XV80JY8Z306FYU", "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"),
        ("bitcoin:1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs?amount=0.1", "1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs"),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    ],
)
def test_the_wallet_field_keeps_a_clean_address(pasted: str, kept: str) -> None:
    assert check_wallet_input(pasted) == kept


@pytest.mark.parametrize(
    ("pasted", "says"),
    [
        ("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyv", "typo"),
        ("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "testnet"),
        (BIP84_ACCOUNT_PRIVATE, "PRIVATE"),
        ("hello", "Not a Bitcoin address"),
        (BIP84_ACCOUNT_PRIVATE[:-1] + "F", "typo"),
        (
            "upub5EFU65HtV5TeiSHmZZm7FUffBGy8UKeqp7vw43jYbvZPpoVsgU93oac7Wk3u6moKegAEWtGNF8DehrnHtv21XXEMYRUocHqguyjknFHYfgY",
            "testnet",
        ),
    ],
)
def test_the_wallet_field_refuses_with_a_reason(pasted: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        check_wallet_input(pasted)


def test_stream_subjects_round_trip() -> None:
    slot = Slot(Script.P2SH_P2WPKH, CHANGE, 12)
    assert slot.subject == "sh-wpkh.1.12"
    assert Slot.from_subject(slot.subject) == slot
    assert Slot.from_subject("address").chain == -1
