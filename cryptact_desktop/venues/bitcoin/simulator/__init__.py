"""A local, deterministic Esplora API over a seeded chain (the Bitcoin venue's simulator).

Standard library only, and independent of the app (the wallet's addresses are handed in, not
derived here): ``chain.py`` builds the history and its truth, ``server.py`` serves it.
"""

from __future__ import annotations

from cryptact_desktop.simulator.kit import Fault, FaultPlan, RequestLogEntry

from .chain import SIZES, Chain, SharedTransfer, WalletAddresses, generate_chain, made_up_addresses
from .server import MODES, EsploraSimulator, valid_address

__all__ = [
    "MODES",
    "SIZES",
    "Chain",
    "EsploraSimulator",
    "Fault",
    "FaultPlan",
    "RequestLogEntry",
    "SharedTransfer",
    "WalletAddresses",
    "generate_chain",
    "made_up_addresses",
    "valid_address",
]
