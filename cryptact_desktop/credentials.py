"""API credentials as plain values: the fields a venue declares, never shown in a repr or a log.

Creating a :class:`Credentials` registers every value with :mod:`cryptact_desktop.redaction`, so a
value that reaches a log line anyway is masked. Only :class:`cryptact_desktop.secrets.SecretStore`
writes them anywhere (the OS keyring).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from cryptact_desktop import redaction


@dataclass(frozen=True, repr=False)
class Credentials:
    """An API key with its secret, and any further fields a venue declares (a passphrase, a PEM
    private key, a wallet address...). ``extra`` holds those other fields as (name, value) pairs.

    ``repr()``/``str()`` show only a short hint of the key.
    """

    api_key: str = ""
    secret: str = ""
    passphrase: str = ""
    extra: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for value in (self.api_key, self.secret, self.passphrase, *(v for _, v in self.extra)):
            redaction.register_secret(value)

    @classmethod
    def from_fields(cls, values: Mapping[str, str]) -> Credentials:
        """Credentials from field name -> value (the names a venue's ``CredentialField`` declare)."""
        known = ("api_key", "secret", "passphrase")
        extra = tuple(sorted((k, v) for k, v in values.items() if k not in known))
        return cls(
            api_key=values.get("api_key", ""),
            secret=values.get("secret", ""),
            passphrase=values.get("passphrase", ""),
            extra=extra,
        )

    def get(self, name: str) -> str:
        """The value of field ``name`` ("" when not given)."""
        if name in ("api_key", "secret", "passphrase"):
            return str(getattr(self, name))
        return dict(self.extra).get(name, "")

    def fields(self) -> dict[str, str]:
        values = {"api_key": self.api_key, "secret": self.secret, "passphrase": self.passphrase}
        values.update(self.extra)
        return values

    @property
    def key_hint(self) -> str:
        """The first 4 characters of the API key (or of the first public field) and an ellipsis."""
        shown = self.api_key or next((v for _, v in self.extra), "")
        return f"{shown[:4]}…" if len(shown) >= 8 else "…"

    def __repr__(self) -> str:
        passphrase = ", passphrase=***" if self.passphrase else ""
        extra = "".join(f", {name}=***" for name, _ in self.extra)
        return f"Credentials(api_key={self.key_hint!r}, secret=***{passphrase}{extra})"

    __str__ = __repr__

    # The JSON form is what goes into the keyring entry; only SecretStore uses these two.
    def to_json(self) -> str:
        return json.dumps(self.fields())

    @classmethod
    def from_json(cls, text: str) -> Credentials:
        """Parse a keyring entry. Raises ``ValueError`` (with no content quoted) if malformed."""
        try:
            data = json.loads(text)
        except ValueError:
            raise ValueError("keyring entry is not valid JSON") from None
        if not isinstance(data, dict):
            raise ValueError("keyring entry is not a JSON object")
        if not data or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise ValueError("keyring entry is not an object of string fields")
        return cls.from_fields(data)
