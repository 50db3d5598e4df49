"""Bybit V5 HMAC-SHA256 request signing (docs: v5/guide, "Create A Request")."""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, timestamp_ms: int | str, api_key: str, recv_window: int | str, payload: str) -> str:
    """Lowercase hex HMAC-SHA256 of ``timestamp + api_key + recv_window + payload``.

    ``payload`` is the query string exactly as sent (GET) or the raw JSON body (POST).
    """
    message = f"{timestamp_ms}{api_key}{recv_window}{payload}"
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def query_string(params: list[tuple[str, str]]) -> str:
    """Join parameters in the given order without re-encoding exchange-issued cursors.

    Cursors come back from Bybit already percent-encoded or as base64 and must be returned as
    issued; only characters that a form decoder would alter are escaped.
    """
    return "&".join(f"{name}={_escape(value)}" for name, value in params)


def _escape(value: str) -> str:
    return value.replace("+", "%2B").replace(" ", "%20").replace("&", "%26").replace("#", "%23")
