"""rippled's and Clio's refusals -> our :class:`FailureKind`.

A JSON-RPC answer is HTTP 200 with ``{"result": {...}}``; a refusal has ``"status": "error"``, an
``error`` error_name, a numeric ``error_code`` and an ``error_message`` (which can echo the request:
it is never shown). The tokens (xrpl.org, "Error Formatting", ``account_tx`` and ``account_info``
"Possible Errors"):

* ``actMalformed`` (35): the server cannot read the address — the wallet fails as a bad key would
  (only a damaged address gets there: the app checks the checksum first);
* ``actNotFound`` (19): the account does not exist (never activated, or deleted): for
  ``account_info`` a warning when the wallet is added, for ``account_tx`` an empty history;
* ``lgrIdxMalformed`` (58), ``lgrIdxsInvalid`` (57), ``invalidParams`` (31): a ledger range or a
  paging marker we sent was refused (a marker expires after about ten minutes): the connector
  restarts the walk from the last ledger it stored; if that is refused too it is our problem;
* ``slowDown`` (10): the server's limit for this client is spent: wait and ask again;
* ``tooBusy`` (9), ``noNetwork`` (17), ``notSynced`` (18), ``noClosed``/``noCurrent``
  (15/16), ``amendmentBlocked`` (14), ``internal`` (73): the server cannot answer now: retried;
* ``unknownCmd`` (32), ``notSupported`` (75), ``noPermission`` (6), ``forbidden`` (3): the server
  does not serve this method to us — not a public rippled or Clio API.
"""

from __future__ import annotations

from cryptact_desktop.errors import Failure, FailureKind, describe

EXCHANGE = "XRP Ledger"

RETRY_LATER = frozenset(
    {
        "tooBusy",
        "noNetwork",
        "notSynced",
        "noClosed",
        "noCurrent",
        "amendmentBlocked",
        "internal",
        "failedToForward",
    }
)
RATE_LIMITED = frozenset({"slowDown"})
RANGE_REFUSED = frozenset({"lgrIdxMalformed", "lgrIdxsInvalid", "invalidParams"})
NOT_THIS_API = frozenset({"unknownCmd", "notSupported", "noPermission", "forbidden", "notImpl"})


def classify(error_name: str) -> FailureKind:
    """The kind of one refusal that is neither retried nor handled by the connector."""
    if error_name == "actMalformed":
        return FailureKind.INVALID_ADDRESS
    if error_name in NOT_THIS_API:
        return FailureKind.WRONG_SERVER
    if error_name in RETRY_LATER:
        return FailureKind.EXCHANGE_UNAVAILABLE
    if error_name in RATE_LIMITED:
        return FailureKind.RATE_LIMIT
    return FailureKind.REQUEST_REJECTED


def failure_for(kind: FailureKind, *, code: str, detail: str = "") -> Failure:
    return describe(kind, exchange=EXCHANGE, code=code, detail=detail)


def safe_error_name(value: object) -> str:
    """An error error_name as a code for the endpoint row: short letters only (a server could put
    anything there)."""
    text = value if isinstance(value, str) else ""
    return text if text.isalnum() and len(text) <= 40 else "error"
