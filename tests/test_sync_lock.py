"""One sync per key across processes, and start-up recovery that leaves a live sync alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.errors import FailureKind
from cryptact_desktop.memory_keyring import MemoryKeyring
from cryptact_desktop.secrets import SecretStore
from cryptact_desktop.service import AppService
from cryptact_desktop.state import EndpointStatus, NewKey
from cryptact_desktop.store import Store

HOLDER = r"""
import sys, time
from pathlib import Path
from cryptact_desktop.sync_lock import SyncLocks
with SyncLocks(Path(sys.argv[1])).hold(int(sys.argv[2])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_key_synced_by_another_process_is_busy_and_not_reset(tmp_path: Path) -> None:
    service = AppService(Store(tmp_path / "app.sqlite"), SecretStore(MemoryKeyring()))
    key = service.add_key(
        NewKey(
            exchange="bybit", label="k", host_id="custom", base_url="http://127.0.0.1:9", endpoints=("spot",)
        ),
        Credentials("LOCKKEY000000001", "LOCKSECRET000000000000001"),
    )
    service.store.mark_syncing(key.id, ["spot"])
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "locks"), str(key.id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "held"
        result = service.sync_key(key.id)
        assert not result.ok
        assert [o.failure.kind for o in result.outcomes if o.failure] == [FailureKind.BUSY]
        assert service.recover_interrupted_syncs() == 0
        assert service.store.get_key(key.id).endpoint("spot").status is EndpointStatus.SYNCING
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
    # The other process is gone: its lock went with it, and the stale flag is reset.
    assert service.recover_interrupted_syncs() == 1
    assert service.store.get_key(key.id).endpoint("spot").status is EndpointStatus.NEVER
