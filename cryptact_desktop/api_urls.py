"""The one rule for API addresses the user types in (a custom API site, a blockchain server).

Signed requests carry the API key and a signature; over plain ``http://`` anyone on the network
path can read them. So an API address must be ``https://``, or plain ``http://`` only when its
*host* is this computer (a simulator or a self-hosted node on loopback). The URL is parsed, never
prefix-tested: ``http://localhost.evil.example`` and ``http://127.0.0.1@evil.example`` point
elsewhere and are refused.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from cryptact_desktop.i18n import translate


class UrlProblem:
    """Why an address is refused (``UnsafeUrl.problem``), for a form to say it its own way."""

    EMPTY = "empty"
    MALFORMED = "malformed"
    SCHEME = "scheme"  # not http(s)
    PLAIN_HTTP = "plain_http"  # http:// to anything but this computer


class UnsafeUrl(ValueError):
    """The address is not one this app sends requests to; ``str()`` says why, in the user's words."""

    def __init__(self, message: str, problem: str = UrlProblem.MALFORMED) -> None:
        super().__init__(message)
        self.problem = problem


def url_problem(url: str) -> str | None:
    """The :class:`UrlProblem` of ``url``, or None if requests may be sent to it."""
    if not url.strip():
        return UrlProblem.EMPTY
    try:
        check_api_url(url)
    except UnsafeUrl as refused:
        return refused.problem
    return None


def is_loopback_host(host: str) -> bool:
    """``localhost``, ``127.0.0.0/8`` or ``::1`` (the parsed host name, without brackets)."""
    name = host.strip().rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_api_url(url: str) -> str:
    """``url`` without surrounding space and trailing slashes, if requests may be sent to it.

    Raises :class:`UnsafeUrl` otherwise: not http(s), no host, user info or a fragment in the
    address, or plain http to a host other than this computer.
    """
    text = url.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise UnsafeUrl(translate("keys", "This is not a web address.")) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise UnsafeUrl(translate("keys", "The address must start with https://"), UrlProblem.SCHEME)
    if not host:
        raise UnsafeUrl(translate("keys", "This is not a web address."))
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeUrl(translate("keys", "The address must not contain a user name or an @."))
    if parts.fragment or parts.query:
        raise UnsafeUrl(translate("keys", "The address must not contain ? or #."))
    if any(ch.isspace() for ch in text):
        raise UnsafeUrl(translate("keys", "The address must not contain spaces."))
    if scheme == "http" and not is_loopback_host(host):
        raise UnsafeUrl(
            translate(
                "keys",
                "A custom API URL must use https:// (plain http only for a server on this computer).",
            ),
            UrlProblem.PLAIN_HTTP,
        )
    return text


def is_safe_to_sign(url: str) -> bool:
    """Whether a signed request may go to ``url`` (https, or http to a loopback host)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if "@" in parts.netloc or not host:
        return False
    scheme = parts.scheme.lower()
    return scheme == "https" or (scheme == "http" and is_loopback_host(host))
