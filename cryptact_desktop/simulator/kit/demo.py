"""The GUI demo mode's keys on a keyed exchange's simulator: one read-only key that works, and one
whose secret the client has wrong (every signed call is refused), both on one account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K")

# What a demo key is (see ``DemoKeys.entries``).
WORKING_KEY = "working"
REFUSED_KEY = "wrong secret"  # its client-side secret is wrong: every signed call is refused


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
        """(kind, api_key, secret) of each demo account the demo mode adds: kind ``WORKING_KEY`` or
        ``REFUSED_KEY`` (the app names them, in the user's language)."""
        return [
            (WORKING_KEY, self.key, self.secret),
            (REFUSED_KEY, self.broken_key, self.broken_client_secret),
        ]
