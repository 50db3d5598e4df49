"""What a user pastes for a Bitcoin wallet, checked, and the addresses it stands for.

A wallet is either one address (P2PKH ``1…``, P2SH ``3…``, segwit ``bc1q…``/``bc1p…``) or an account's
extended public key, whose version names how its addresses are encoded (SLIP-0132):

* ``zpub`` — BIP 84, native segwit P2WPKH (``bc1q…``);
* ``ypub`` — BIP 49, P2WPKH nested in P2SH (``3…``);
* ``xpub`` — BIP 44, P2PKH (``1…``); but several wallet apps export native and nested segwit
  accounts as ``xpub`` too, so an ``xpub`` is looked up in all three encodings (see the connector).

Receive addresses are ``<key>/0/i`` and change addresses ``<key>/1/i`` (BIP 44's chains). Mainnet
only: a testnet address or key is refused, as are private keys (never to be pasted anywhere) and
multisig keys (``Ypub``/``Zpub``: their addresses need every cosigner's key).
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, field

from cryptact_desktop.i18n import translate
from cryptact_desktop.venues.bitcoin.encoding import (
    base58check_decode,
    base58check_encode,
    hash160,
    segwit_decode,
    segwit_encode,
)
from cryptact_desktop.venues.bitcoin.hd import ExtendedKey

RECEIVE = 0
CHANGE = 1
CHAINS = (RECEIVE, CHANGE)
HRP = "bc"
P2PKH_PREFIX = 0x00
P2SH_PREFIX = 0x05
LONGEST_ADDRESS = 90  # Bech32's limit; an extended key has 111 characters


class Script(enum.StrEnum):
    """How a derived public key becomes an address."""

    P2PKH = "pkh"  # BIP 44
    P2SH_P2WPKH = "sh-wpkh"  # BIP 49
    P2WPKH = "wpkh"  # BIP 84


# SLIP-0132 version bytes.
_PUBLIC_VERSIONS = {
    bytes.fromhex("0488b21e"): (Script.P2PKH, Script.P2SH_P2WPKH, Script.P2WPKH),  # xpub: any of them
    bytes.fromhex("049d7cb2"): (Script.P2SH_P2WPKH,),  # ypub
    bytes.fromhex("04b24746"): (Script.P2WPKH,),  # zpub
}
_PRIVATE_VERSIONS = {bytes.fromhex(v) for v in ("0488ade4", "049d7878", "04b2430c", "0295b005", "02aa7a99")}
_MULTISIG_VERSIONS = {bytes.fromhex(v) for v in ("0295b43f", "02aa7ed3")}  # Ypub, Zpub
_TESTNET_VERSIONS = {
    bytes.fromhex(v)
    for v in ("043587cf", "044a5262", "045f1cf6", "04358394", "044a4e28", "045f18bc", "024289ef", "02575483")
}
_TESTNET_HRPS = ("tb", "bcrt")


def _t(text: str) -> str:
    return translate("keys", text)


def address_of(public_key: bytes, script: Script) -> str:
    """The mainnet address of a compressed public key in ``script``'s encoding."""
    key_hash = hash160(public_key)
    if script is Script.P2PKH:
        return base58check_encode(bytes([P2PKH_PREFIX]) + key_hash)
    if script is Script.P2SH_P2WPKH:
        return base58check_encode(bytes([P2SH_PREFIX]) + hash160(b"\x00\x14" + key_hash))
    return segwit_encode(HRP, 0, key_hash)


def _check_address(text: str) -> str:
    """The address in its canonical form (segwit in lower case), or ``ValueError`` with a message."""
    lowered = text.lower()
    if lowered.startswith(tuple(f"{hrp}1" for hrp in _TESTNET_HRPS)):
        raise ValueError(_t("This is a testnet address: add a Bitcoin mainnet address (bc1…, 1… or 3…)."))
    if lowered.startswith(f"{HRP}1"):
        try:
            segwit_decode(text)
        except ValueError:
            raise ValueError(
                _t("This bc1… address has a typo (its checksum does not match): copy it again.")
            ) from None
        return lowered
    try:
        payload = base58check_decode(text)
    except ValueError:
        raise ValueError(
            _t(
                "Not a Bitcoin address or extended public key: paste an address (bc1…, 1… or 3…) or an "
                "account's xpub, ypub or zpub."
            )
        ) from None
    if len(payload) == 21 and payload[0] in (P2PKH_PREFIX, P2SH_PREFIX):
        return text
    if len(payload) == 21 and payload[0] in (0x6F, 0xC4):
        raise ValueError(_t("This is a testnet address: add a Bitcoin mainnet address (bc1…, 1… or 3…)."))
    raise ValueError(_t("Not a Bitcoin address: copy it again from your wallet app."))


def _check_extended(text: str) -> str:
    try:
        payload = base58check_decode(text)
    except ValueError:
        raise ValueError(
            _t("This extended public key has a typo (its checksum does not match): copy it again.")
        ) from None
    version = payload[:4]
    if version in _PRIVATE_VERSIONS:
        raise ValueError(
            _t(
                "This is a PRIVATE key: never paste it anywhere. Paste the account's extended public key "
                "(xpub, ypub or zpub) instead; it only lets the app read the history."
            )
        )
    if version in _MULTISIG_VERSIONS:
        raise ValueError(_t("Multisig wallets are not supported yet: add their addresses one by one."))
    if version in _TESTNET_VERSIONS:
        raise ValueError(_t("This is a testnet key: add a Bitcoin mainnet key (xpub, ypub or zpub)."))
    if version not in _PUBLIC_VERSIONS:
        raise ValueError(_t("Not an extended public key this app knows: use an xpub, ypub or zpub."))
    try:
        ExtendedKey.parse(text)
    except ValueError:
        raise ValueError(
            _t("This extended public key is damaged: copy it again from your wallet app.")
        ) from None
    return text


def check_wallet_input(value: str) -> str:
    """The credential check of the wallet field (``CredentialField.check``): a ``bitcoin:`` URI is
    reduced to its address; returns the address or key as kept, or raises ``ValueError`` with a
    message for under the field."""
    text = value.strip()
    if text.lower().startswith("bitcoin:"):
        text = text[len("bitcoin:") :].split("?", 1)[0]
    if len(text) > LONGEST_ADDRESS:
        return _check_extended(text)
    return _check_address(text)


@dataclass(frozen=True, slots=True)
class Slot:
    """One address of a wallet: its encoding and place (``chain`` -1 for a single address)."""

    script: Script
    chain: int
    index: int

    @property
    def subject(self) -> str:
        """The stream subject naming it (``wpkh.0.12``; ``address`` for a single address)."""
        return "address" if self.chain < 0 else f"{self.script.value}.{self.chain}.{self.index}"

    @classmethod
    def from_subject(cls, subject: str) -> Slot:
        if subject == "address":
            return cls(Script.P2WPKH, -1, 0)
        script, chain, index = subject.split(".")
        slot = cls(Script(script), int(chain), int(index))
        if slot.chain not in CHAINS or slot.index < 0:
            raise ValueError(subject)
        return slot


@dataclass
class Wallet:
    """A checked wallet: one address, or an account key with its derived addresses (cached: a
    derivation costs a few milliseconds)."""

    text: str
    key: ExtendedKey | None = None
    scripts: tuple[Script, ...] = ()
    _chains: dict[tuple[Script, int], ExtendedKey] = field(default_factory=dict, repr=False)
    _addresses: dict[Slot, str] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def parse(cls, value: str) -> Wallet:
        """``ValueError`` (with a message) when ``value`` is not a wallet this app reads."""
        text = check_wallet_input(value)
        if len(text) > LONGEST_ADDRESS:
            key = ExtendedKey.parse(text)
            return cls(text, key, _PUBLIC_VERSIONS[key.version])
        return cls(text)

    @property
    def is_single(self) -> bool:
        return self.key is None

    @property
    def ambiguous(self) -> bool:
        """An ``xpub``: which encodings it was used with is found by looking."""
        return len(self.scripts) > 1

    def address(self, slot: Slot) -> str:
        if self.key is None:
            return self.text
        with self._lock:
            found = self._addresses.get(slot)
            if found is None:
                chain_key = self._chains.get((slot.script, slot.chain))
                if chain_key is None:
                    chain_key = self._chains[(slot.script, slot.chain)] = self.key.child(slot.chain)
                found = self._addresses[slot] = address_of(
                    chain_key.child(slot.index).public_key, slot.script
                )
            return found

    def known_addresses(self) -> frozenset[str]:
        """Every address derived so far (what a transaction's inputs and outputs are checked against)."""
        if self.key is None:
            return frozenset({self.text})
        with self._lock:
            return frozenset(self._addresses.values())
