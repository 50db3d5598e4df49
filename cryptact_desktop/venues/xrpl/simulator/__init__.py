"""A local, deterministic rippled JSON-RPC API over a seeded ledger history (the XRP Ledger venue's
simulator).

Standard library only, and independent of the app: ``ledger.py`` builds the history and its truth
(with its own address encoding), ``server.py`` serves it.
"""

from __future__ import annotations

from cryptact_desktop.simulator.kit import Fault, FaultPlan, RequestLogEntry

from .ledger import SIZES, History, SharedTransfer, Truth, generate_history, made_up_address
from .server import MODES, RippledSimulator

__all__ = [
    "MODES",
    "SIZES",
    "Fault",
    "FaultPlan",
    "History",
    "RequestLogEntry",
    "RippledSimulator",
    "SharedTransfer",
    "Truth",
    "generate_history",
    "made_up_address",
]
