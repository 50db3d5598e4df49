"""The ground truth per client stream, for tests and benchmarks.

The app's client splits some simulator streams further than the API's own categories do:
options are fetched per base coin (``execution_option_btc``, ``_eth``…) because Bybit returns
only BTC options when ``baseCoin`` is not given. This maps such a client stream back to the
simulator's records.
"""

from __future__ import annotations

from typing import Any

from .history import SimAccount

_OPTION_PREFIX = "execution_option_"


def sim_stream(client_stream_id: str) -> str:
    """The simulator stream that holds a client stream's records."""
    return "execution_option" if client_stream_id.startswith(_OPTION_PREFIX) else client_stream_id


def reachable(account: SimAccount, client_stream_id: str, now_ms: int) -> list[dict[str, Any]]:
    """The records a complete client stream must obtain at ``now_ms``."""
    records = account.reachable(sim_stream(client_stream_id), now_ms)
    if client_stream_id.startswith(_OPTION_PREFIX):
        coin = client_stream_id[len(_OPTION_PREFIX) :].upper()
        records = [r for r in records if str(r.get("symbol", "")).startswith(f"{coin}-")]
    return records
