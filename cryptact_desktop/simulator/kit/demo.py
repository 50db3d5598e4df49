"""The GUI demo mode's keys on a keyed exchange's simulator: one read-only key that works, and one
whose secret the client has wrong (every signed call is refused), both on one account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from cryptact_desktop.i18n import translatable

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class DemoKeys:
    """``broken_server_secret`` is the broken key's secret on the simulator,
    ``broken_client_secret`` the one the demo hands the app."""

    key: str
    secret: str
    broken_key: str
    broken_server_secret: str
    broken_client_secret: str

    def server_keys(self, make: Callable[[str, str, str], K]) -> list[K]:
        """The simulator's keys, each made by ``make(api_key, secret, note)``."""
        return [
            make(self.key, self.secret, "demo read-only"),
            make(self.broken_key, self.broken_server_secret, "demo wrong secret"),
        ]

    def entries(self) -> list[tuple[str, str, str]]:
        """(label, api_key, secret) of each demo account the demo mode adds."""
        return [
            (translatable("demo", "Demo account (read-only key)"), self.key, self.secret),
            (translatable("demo", "Demo account (wrong secret)"), self.broken_key, self.broken_client_secret),
        ]
