"""One error taxonomy for every exchange, with a human message and a fix for each kind.

Connectors map an exchange's own codes to a :class:`FailureKind`; the store keeps the resulting
:class:`Failure` on the endpoint row; the GUI and CLI show ``message`` and ``hint``. Messages are
built from status and error codes only, never from ``str()`` of an HTTP exception (which can
contain URLs, query strings or headers).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cryptact_desktop.i18n import translate


class FailureKind(enum.StrEnum):
    AUTHENTICATION = "authentication"  # key unknown / wrong environment
    SIGNATURE = "signature"  # secret does not match the key
    KEY_EXPIRED = "key_expired"
    PERMISSION = "permission"  # key lacks a read permission
    IP_WHITELIST = "ip_whitelist"  # key bound to other IP addresses
    REGION = "region"  # service restricted for this country/region
    CLOCK_SKEW = "clock_skew"
    RATE_LIMIT = "rate_limit"
    IP_BANNED = "ip_banned"  # HTTP 403 from the exchange's edge
    NETWORK = "network"
    EXCHANGE_UNAVAILABLE = "exchange_unavailable"
    UNEXPECTED_RESPONSE = "unexpected_response"
    REQUEST_REJECTED = "request_rejected"  # the exchange refused our parameters (a bug on our side)
    # Not a failure: history the venue no longer gives (a delisted pair), named on the endpoint row
    # with the file remedy while the endpoint completes everything else.
    HISTORY_GAP = "history_gap"
    WRONG_URL = "wrong_url"  # a custom API address that is not the exchange's API
    KEYRING = "keyring"
    STORAGE = "storage"  # the local database or data folder cannot be used (see store.faults)
    BUSY = "busy"  # another window or command is syncing this key
    CANCELLED = "cancelled"
    INVALID_ADDRESS = "invalid_address"  # a wallet's address or extended public key is not valid
    WRONG_SERVER = "wrong_server"  # the server address does not answer as the venue's API


# Failures after which no further request with the same key can succeed: the engine stops every
# stream of the key at once instead of letting each one run into the same wall.
KEY_FATAL_KINDS = frozenset(
    {
        FailureKind.AUTHENTICATION,
        FailureKind.SIGNATURE,
        FailureKind.KEY_EXPIRED,
        FailureKind.IP_WHITELIST,
        FailureKind.REGION,
        FailureKind.IP_BANNED,
        FailureKind.WRONG_URL,
        FailureKind.KEYRING,
        FailureKind.STORAGE,
        FailureKind.INVALID_ADDRESS,
        FailureKind.WRONG_SERVER,
    }
)


@dataclass(frozen=True, slots=True)
class Failure:
    """What went wrong, in words a user can act on. Never contains a secret."""

    kind: FailureKind
    message: str
    hint: str
    code: str = ""  # the exchange's own code (e.g. "10004") or HTTP status, for support

    def one_line(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        return f"{self.message}{code} — {self.hint}"


def _t(text: str) -> str:
    return translate("errors", text)


def main_account_only(exchange: str, endpoint: str) -> Failure:
    """A sub-account key refused on an endpoint only a main-account key can read (the venue
    reports it as a missing permission, which it is not)."""
    ex = exchange or _t("the exchange")
    return Failure(
        FailureKind.PERMISSION,
        _t("{endpoint} need a main-account key: this key belongs to a sub-account").format(endpoint=endpoint),
        _t(
            "Add a read-only key of your {exchange} main account for {endpoint}, or untick {endpoint} "
            "for this key (Edit key); no permission of a sub-account key can read them."
        ).format(exchange=ex, endpoint=endpoint),
    )


def describe(
    kind: FailureKind, *, exchange: str = "", code: str = "", detail: str = "", hint: str = ""
) -> Failure:
    """Build the standard message and remediation hint for ``kind``.

    ``exchange`` is the venue's display name; ``detail`` is an already-safe extra sentence
    (e.g. which permission is missing), appended to the message; ``hint`` replaces the standard
    remedy where the venue knows a better one (already translated, ``{exchange}`` filled in).
    """
    ex = exchange or _t("the exchange")
    texts: dict[FailureKind, tuple[str, str]] = {
        FailureKind.AUTHENTICATION: (
            _t("Invalid API key"),
            _t(
                "Check that the key was copied whole and belongs to {exchange} mainnet (not testnet or "
                "demo trading) and to the site/region selected for this key."
            ),
        ),
        FailureKind.SIGNATURE: (
            _t("The secret key does not match the API key"),
            _t("Paste the secret again exactly as {exchange} showed it when the key was created."),
        ),
        FailureKind.KEY_EXPIRED: (
            _t("The API key has expired"),
            _t("Create a new read-only key on {exchange} and replace it here (Edit key)."),
        ),
        FailureKind.PERMISSION: (
            _t("The API key lacks a read permission for this endpoint"),
            _t(
                "Edit the key on {exchange} and tick the read permission for this history, "
                "or untick the endpoint here."
            ),
        ),
        FailureKind.IP_WHITELIST: (
            _t("This computer's IP address is not on the key's IP whitelist"),
            _t(
                "Add this computer's public IP address to the key on {exchange}, "
                "or create a key without an IP restriction."
            ),
        ),
        FailureKind.REGION: (
            _t("{exchange} refuses access from this country or region"),
            _t("Use the API site that matches your {exchange} account (Edit key → API site)."),
        ),
        FailureKind.CLOCK_SKEW: (
            _t("This computer's clock is too far off"),
            _t("Turn on automatic date and time in your system settings, then sync again."),
        ),
        FailureKind.RATE_LIMIT: (
            _t("{exchange} rate limit reached"),
            _t("Wait a minute and press Sync again; what was fetched so far is kept."),
        ),
        FailureKind.IP_BANNED: (
            _t("{exchange} temporarily blocked requests from this IP address"),
            _t("Wait at least 10 minutes before syncing again; what was fetched so far is kept."),
        ),
        FailureKind.NETWORK: (
            _t("Cannot reach {exchange}"),
            _t(
                "Check your internet connection (and proxy or VPN), then sync again; "
                "the sync resumes where it stopped."
            ),
        ),
        FailureKind.EXCHANGE_UNAVAILABLE: (
            _t("{exchange} is not answering properly right now"),
            _t("Try again later; the sync resumes where it stopped."),
        ),
        FailureKind.UNEXPECTED_RESPONSE: (
            _t("{exchange} sent data this app does not understand"),
            _t("Sync again later; if it keeps happening, send the sync log to support."),
        ),
        FailureKind.REQUEST_REJECTED: (
            _t("{exchange} rejected the request"),
            _t("This is a problem in the app, not with your key: send the sync log to support."),
        ),
        FailureKind.HISTORY_GAP: (
            _t("{exchange}'s API no longer gives part of this history"),
            _t("Import {exchange}'s export file that covers it; everything else was fetched."),
        ),
        FailureKind.WRONG_URL: (
            _t("{exchange} does not answer at the key's API address"),
            _t(
                "Check the address (Edit key \u2192 API site), or choose one of {exchange}'s own API sites; "
                "nothing is wrong with the key itself."
            ),
        ),
        FailureKind.STORAGE: (
            _t("The app's database cannot be used"),
            _t("Check the disk and the data folder, then try again; what was stored so far is kept."),
        ),
        FailureKind.KEYRING: (
            _t("The key's secret cannot be read from the system keyring"),
            _t("Unlock your system keyring (or re-enter the secret with Edit key), then sync again."),
        ),
        FailureKind.BUSY: (
            _t("Another Cryptact Desktop window or command is already syncing this key"),
            _t("Wait for it to finish, then look again; nothing is fetched twice."),
        ),
        FailureKind.CANCELLED: (
            _t("Sync cancelled"),
            _t("Press Sync to continue; nothing fetched so far is lost."),
        ),
        FailureKind.INVALID_ADDRESS: (
            _t("{exchange} does not accept this wallet address"),
            _t(
                "Check that the address or extended public key was copied whole from your wallet app "
                "(Edit wallet), then sync again."
            ),
        ),
        FailureKind.WRONG_SERVER: (
            _t("The server address does not answer as a {exchange} API"),
            _t(
                "Check the server address (Edit wallet → server), or choose the default public "
                "server, then sync again."
            ),
        ),
    }
    message, standard_hint = texts[kind]
    message = message.format(exchange=ex)
    if detail:
        message = f"{message}: {detail}"
    return Failure(kind=kind, message=message, hint=hint or standard_hint.format(exchange=ex), code=code)


class SyncFailure(Exception):
    """Raised by connectors and the HTTP layer; carries a ready-to-show :class:`Failure`.

    ``str()`` of this exception is the safe one-line message, so a stray log call cannot leak
    anything the failure itself does not contain.
    """

    def __init__(self, failure: Failure, *, retry_after_ms: int | None = None) -> None:
        super().__init__(failure.one_line())
        self.failure = failure
        self.retry_after_ms = retry_after_ms

    @property
    def kind(self) -> FailureKind:
        return self.failure.kind
