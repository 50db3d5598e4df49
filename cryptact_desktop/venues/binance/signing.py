"""Binance request signing (``rest-api.md``, "SIGNED (TRADE and USER_DATA) Endpoint security").

``signature`` is the hex HMAC-SHA256, keyed with the secret, of ``totalParams``: the query string
concatenated with the request body (a GET has only the query string), exactly as sent. It goes last
in the query string; ``timestamp`` (milliseconds) is mandatory and ``recvWindow`` (at most 60,000)
optional. The docs' example (secret ``NhqPtmdS…``, ``symbol=LTCBTC&side=BUY&…&timestamp=1499827319559``)
gives ``c8db5682…6b71``; the contract suite checks client and simulator against it.
"""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, total_params: str) -> str:
    """Lowercase hex HMAC-SHA256 of ``total_params`` (query string + body)."""
    return hmac.new(secret.encode("utf-8"), total_params.encode("utf-8"), hashlib.sha256).hexdigest()
