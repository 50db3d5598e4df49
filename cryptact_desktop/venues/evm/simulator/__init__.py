"""A local, deterministic Etherscan-compatible API over a seeded account history (the EVM venues'
simulator).

Standard library only, and independent of the app (the wallet's address is handed in):
``history.py`` builds the history and its truth, ``server.py`` serves it.
"""

from __future__ import annotations

from .history import SIZES, TOKENS, History, SharedTransfer, TruthEvent, TruthLeg, generate_history
from .server import MODES, EtherscanSimulator

__all__ = [
    "MODES",
    "SIZES",
    "TOKENS",
    "EtherscanSimulator",
    "History",
    "SharedTransfer",
    "TruthEvent",
    "TruthLeg",
    "generate_history",
]
