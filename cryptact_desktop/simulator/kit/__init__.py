"""What every venue simulator shares: a loopback HTTP server, fault injection, rate-limit counters,
a server clock and a request log. A venue's simulator adds its routes, authentication and rendering
(see ``venues/<id>/simulator/``).

Standard library only, and independent of the app's sync code on purpose: a simulator is a second,
separate reading of a venue's documentation, so it cannot share the client's mistakes.
"""

from __future__ import annotations

from .faults import FAULT_KINDS, Fault, FaultPlan
from .httpd import HOST, Reply
from .limits import RollingCounter
from .server import RequestLogEntry, SimulatorServer

__all__ = [
    "FAULT_KINDS",
    "HOST",
    "Fault",
    "FaultPlan",
    "Reply",
    "RequestLogEntry",
    "RollingCounter",
    "SimulatorServer",
]
