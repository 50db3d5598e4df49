"""An Etherscan-compatible API's answers -> what the request loop does, or our :class:`FailureKind`.

The envelope is ``{"status": "1"|"0", "message": …, "result": …}`` with HTTP 200 for refusals too;
an error is ``status`` "0", ``message`` "NOTOK" and the reason as text in ``result`` (Etherscan's
"Common Error Messages"; Blockscout answers the same shape). The text is matched, never shown:

* "No transactions found" / "No token transfers found" (``message``, ``result`` an empty list): an
  empty page, not an error;
* "Max rate limit reached…", "…rate limit…": wait and ask again (a free key's 3 a second; a spent
  daily allowance ("Max daily rate limit reached…") ends the sync at once: waiting cannot help);
* "Invalid API Key", "Missing/Invalid API Key", "Too many invalid api key attempts": the key —
  every further request fails the same way;
* "…not supported for this chain…upgrade your api plan": the key's plan does not serve the chain;
* "Missing or unsupported chainid parameter", "…deprecated V1 endpoint…": the server does not
  serve this chain or this API (a custom URL of another chain's explorer, an old v1 address);
* "Error! Invalid address format": the wallet address;
* "Result window is too large…": our paging went past page × offset 10,000 (a bug on our side);
* "Query Timeout occured…", "Unexpected error…": the server's trouble, retried.
"""

from __future__ import annotations

import enum

from cryptact_desktop.errors import Failure, FailureKind, describe
from cryptact_desktop.i18n import translate


class Verdict(enum.Enum):
    EMPTY = "empty"
    RATE_LIMITED = "rate_limited"
    TRANSIENT = "transient"
    FAILED = "failed"


def classify(message: str, result: str) -> tuple[Verdict, FailureKind | None]:
    """What a ``status`` "0" answer means (``message`` and ``result`` as text)."""
    text = f"{message} {result}".lower()
    if message.lower().startswith("no ") and "found" in message.lower():
        return Verdict.EMPTY, None
    if "rate limit" in text and ("daily" in text or "day/limit" in text):
        return Verdict.FAILED, FailureKind.RATE_LIMIT  # spent until tomorrow: waiting cannot help
    if "rate limit" in text:
        return Verdict.RATE_LIMITED, None
    if "api key" in text or "apikey" in text:
        return Verdict.FAILED, FailureKind.AUTHENTICATION
    if "upgrade" in text or "not supported for this chain" in text or "plan" in text:
        return Verdict.FAILED, FailureKind.PERMISSION
    if "chainid" in text or "chain id" in text or "deprecated" in text:
        return Verdict.FAILED, FailureKind.WRONG_SERVER
    if "address" in text:
        return Verdict.FAILED, FailureKind.INVALID_ADDRESS
    if "timeout" in text or "unexpected error" in text or "try again" in text:
        return Verdict.TRANSIENT, None
    return Verdict.FAILED, FailureKind.REQUEST_REJECTED


def failure_for(kind: FailureKind, *, exchange: str, code: str) -> Failure:
    """The message of a refusal, with the remedy this venue knows better than the standard one."""
    hint = ""
    if kind is FailureKind.AUTHENTICATION:
        hint = translate(
            "errors",
            "Paste your Etherscan API key again (Edit wallet; etherscan.io → API dashboard), or choose "
            "Blockscout as the server, which needs no key.",
        )
    elif kind is FailureKind.RATE_LIMIT:
        hint = translate(
            "errors",
            "Today's allowance of your Etherscan key is used up: sync again tomorrow, or choose "
            "Blockscout as the server (Edit wallet).",
        )
    elif kind is FailureKind.PERMISSION:
        hint = translate(
            "errors",
            "Etherscan's free plan does not serve {exchange}: choose Blockscout as the server (Edit "
            "wallet), or use a key of a paid plan.",
        ).format(exchange=exchange)
    return describe(kind, exchange=exchange, code=code, hint=hint)
