"""bitFlyer Lightning request signing (docs: lightning.bitflyer.com/docs, "Authentication").

``ACCESS-SIGN`` is the hex HMAC-SHA256, keyed with the API secret, of ``ACCESS-TIMESTAMP`` + HTTP
method + request path + request body. The path includes the query string exactly as sent (a GET's
parameters are signed; clients that left them out report refusals), and the body is empty for GET.

``ACCESS-TIMESTAMP`` is "the request's Unix Timestamp". The docs' Node.js sample uses
``Date.now()`` (milliseconds), but mature clients (ccxt: "their nonce-timestamp is in seconds") send
seconds and API users report constant refusals with milliseconds, so we send whole seconds.
"""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, timestamp: str, method: str, path_with_query: str, body: str = "") -> str:
    """Lowercase hex HMAC-SHA256 of ``timestamp + method + path_with_query + body``."""
    message = f"{timestamp}{method}{path_with_query}{body}"
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()
