"""A faithful, deterministic Bybit V5 REST simulator over seeded account histories.

Standard library only, and independent of ``cryptact_desktop.sync`` on purpose (a second reading
of the Bybit documentation, so it cannot share the client's mistakes). See ``server.py`` for the
HTTP side, ``history.py`` for the accounts and ``faults.py`` for fault injection.
"""

from __future__ import annotations

from cryptact_desktop.simulator.kit import Fault, FaultPlan, RequestLogEntry
from cryptact_desktop.simulator.kit.demo import DemoKeys

from .history import SharedWithdrawal, SimAccount, generate_account
from .server import BybitSimulator, SimulatedKey, sign
from .streams import STREAM_IDS

__all__ = [
    "STREAM_IDS",
    "BybitSimulator",
    "Fault",
    "FaultPlan",
    "RequestLogEntry",
    "SharedWithdrawal",
    "SimAccount",
    "SimulatedKey",
    "DEMO_SPARE_KEY",
    "DEMO_SPARE_SECRET",
    "DEMO_SPARE_UID",
    "demo_setup",
    "generate_account",
    "sign",
]

DEMO_UID = 100001
DEMO_KEYS = DemoKeys(
    key="SIMDEMOREADONLY01",
    secret="SimDemoSecretReadOnly0123456789abcdefXYZ",  # noqa: S106 (simulated credential)
    broken_key="SIMDEMOBADSECRET02",
    broken_server_secret="SimDemoServerSideSecret9876543210fedcbaQ",  # noqa: S106
    broken_client_secret="SimDemoWrongClientSecret000000000000000",  # noqa: S106
)
# A second demo account the demo does not add: its key is shown in the key dialog to paste.
DEMO_SPARE_UID = 100002
DEMO_SPARE_KEY = "SIMDEMOPASTEME03"
DEMO_SPARE_SECRET = "SimDemoPasteThisSecret0123456789abcdefQRS"  # noqa: S105 (simulated credential)


def demo_setup(
    now_ms: int | None = None, *, speed: float = 1.0
) -> tuple[BybitSimulator, list[tuple[str, str, str]]]:
    """A simulator (not started) with one "small" account and the two :class:`DemoKeys` for the
    GUI demo mode (every call of the broken one fails with 10004), and their (kind, api_key,
    secret) triples. A second, "tiny" account (``DEMO_SPARE_UID``) has a read-only key
    (``DEMO_SPARE_KEY``) that is not among the triples: the demo shows it in the key dialog for
    the user to paste. ``speed`` multiplies Bybit's rate limits (per endpoint and per IP) so a demo
    sync is quick.
    """
    account = generate_account(seed=1, size="small", now_ms=now_ms, uid=DEMO_UID)
    spare = generate_account(seed=2, size="tiny", now_ms=now_ms, uid=DEMO_SPARE_UID)
    keys = DEMO_KEYS.server_keys(lambda key, secret, note: SimulatedKey(key, secret, DEMO_UID, note=note))
    keys.append(SimulatedKey(DEMO_SPARE_KEY, DEMO_SPARE_SECRET, DEMO_SPARE_UID, note="demo key to paste"))
    sim = BybitSimulator(
        accounts=[account, spare], keys=keys, rate_limit_scale=speed, ip_limit=(int(600 * speed), 5.0)
    )
    return sim, DEMO_KEYS.entries()
