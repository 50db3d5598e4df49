"""Esplora's refusals -> our :class:`FailureKind`.

Esplora answers an error with an HTTP status and a short plain-text body (electrs' REST server:
``400 Invalid Bitcoin address``, ``400 Invalid hex string``…); its ``API.md`` documents no codes.
The body is matched, never shown (it can echo what was sent):

* 400 naming the address: the wallet's address is not one this server reads (another network's,
  damaged) — the whole wallet fails, as a bad key would;
* another 400: a parameter we sent was refused (a saved paging cursor, say): the engine redoes the
  walk once, then reports it as our problem;
* 404 on an API path, 401: the server address is not an Esplora API (a website, a node's admin
  page, a server that wants credentials this venue does not have);
* 403: the public server's edge refuses this IP address (its abuse protection);
* 429 and 5xx are waited out and retried by the request loop.
"""

from __future__ import annotations

from cryptact_desktop.errors import Failure, FailureKind, describe

EXCHANGE = "Bitcoin"


def classify(status: int, body: str) -> FailureKind:
    """The kind of one refusal (``status`` not 2xx, 429 or 5xx)."""
    text = body.lower()
    if status == 400:
        return FailureKind.INVALID_ADDRESS if "address" in text else FailureKind.REQUEST_REJECTED
    if status in (401, 404, 405):
        return FailureKind.WRONG_SERVER
    if status == 403:
        return FailureKind.IP_BANNED
    return FailureKind.REQUEST_REJECTED


def failure_for(kind: FailureKind, *, status: int) -> Failure:
    return describe(kind, exchange=EXCHANGE, code=f"HTTP {status}")
