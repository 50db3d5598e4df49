"""Bybit ``retCode`` → our :class:`FailureKind` (docs: v5/error).

Bybit's ``retMsg`` is never copied into a user message for authentication errors: for 10004 it
echoes the signed string, API key included.
"""

from __future__ import annotations

from cryptact_desktop.errors import Failure, FailureKind, describe
from cryptact_desktop.i18n import translate

EXCHANGE = "Bybit"

RETRYABLE_CODES = frozenset({10000, 10016})  # server timeout / server error
RATE_LIMIT_CODE = 10006
CLOCK_SKEW_CODE = 10002

_KINDS: dict[int, FailureKind] = {
    10001: FailureKind.REQUEST_REJECTED,
    10002: FailureKind.CLOCK_SKEW,
    10003: FailureKind.AUTHENTICATION,
    10004: FailureKind.SIGNATURE,
    10005: FailureKind.PERMISSION,
    10006: FailureKind.RATE_LIMIT,
    10007: FailureKind.AUTHENTICATION,
    10008: FailureKind.PERMISSION,
    10009: FailureKind.REGION,
    10010: FailureKind.IP_WHITELIST,
    10016: FailureKind.EXCHANGE_UNAVAILABLE,
    10000: FailureKind.EXCHANGE_UNAVAILABLE,
    10017: FailureKind.REQUEST_REJECTED,
    10024: FailureKind.REGION,
    10028: FailureKind.PERMISSION,
    33004: FailureKind.KEY_EXPIRED,
    -2015: FailureKind.KEY_EXPIRED,
    181014: FailureKind.PERMISSION,
    182200: FailureKind.PERMISSION,
}

# Which permission group of a Bybit key each path (and execution category) needs to be read.
_PERMISSION_GROUP = {
    "spot": "Spot",
    "linear": "Contract (Derivatives)",
    "inverse": "Contract (Derivatives)",
    "option": "Options",
    "/v5/account/transaction-log": "Contract (Unified Trading)",
    "/v5/asset/": "Wallet",
    "/v5/asset/exchange/": "Exchange (Convert)",
    "/v5/earn/": "Earn",
}


def permission_hint(path: str, category: str = "") -> str:
    if category in _PERMISSION_GROUP:
        group = _PERMISSION_GROUP[category]
    else:
        matches = [p for p in _PERMISSION_GROUP if p.startswith("/") and path.startswith(p)]
        group = _PERMISSION_GROUP[max(matches, key=len)] if matches else ""
    if not group:
        return ""
    return translate("errors", "the key needs the “{group}” read permission").format(group=group)


def failure_for(ret_code: int, ret_msg: str, *, path: str, category: str = "") -> Failure:
    kind = _KINDS.get(ret_code)
    code = str(ret_code)
    if kind is None:
        # Unknown business error: show Bybit's own words (never auth-related, see module doc).
        return describe(FailureKind.REQUEST_REJECTED, exchange=EXCHANGE, code=code, detail=_safe(ret_msg))
    detail = hint = ""
    if kind is FailureKind.PERMISSION:
        detail = permission_hint(path, category)
    elif kind is FailureKind.REQUEST_REJECTED:
        detail = _safe(ret_msg)
    elif kind is FailureKind.KEY_EXPIRED:
        hint = translate(
            "errors",
            "Create a new read-only key on Bybit (keys without an IP whitelist expire after 90 days) "
            "and replace it here (Edit key).",
        )
    elif kind is FailureKind.REGION:
        hint = translate(
            "errors",
            "Use the API site that matches your Bybit account (for example bybit.eu or bybit.nl): "
            "Edit key → API site.",
        )
    return describe(kind, exchange=EXCHANGE, code=code, detail=detail, hint=hint)


def _safe(ret_msg: str) -> str:
    """Bybit's message, shortened, with anything bracketed (echoed request data) removed."""
    text = ret_msg.split("[", 1)[0].strip().rstrip(":,")
    return text[:160]
