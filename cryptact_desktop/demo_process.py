"""A venue's demo simulator in a child process, as a real exchange is another machine.

In the window's own process the simulator's request threads would share the interpreter lock
with the GUI thread, and the demo — a newcomer's first impression — would stutter where a real
exchange would not. The child starts ``Venue.demo(speed)``, reports its address and demo accounts
over a pipe (with the spare account the key dialog shows and the path of a sample download file
it wrote) and serves until the parent says ``stop`` or goes away.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import shutil
import tempfile
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from cryptact_desktop.child_signals import child_takes_over, spawning
from cryptact_desktop.venues.venue import DemoAccount, DemoExchange

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


class DemoStartFailed(RuntimeError):
    """The demo simulator's process did not come up."""


class DemoInChildProcess(DemoExchange):
    """A running demo simulator in a child process (see the module docstring).

    Construction starts the process; :meth:`wait_ready` returns once it serves (start several,
    then wait for each: they come up side by side).
    """

    def __init__(self, venue_id: str, speed: float) -> None:
        context = multiprocessing.get_context("spawn")
        self.venue_id = venue_id
        self._conn, theirs = context.Pipe(duplex=True)
        self._process: Any = context.Process(
            target=serve_demo, args=(theirs, venue_id, speed), name=f"demo-{venue_id}", daemon=True
        )
        with spawning():  # Ctrl-C is the window's to handle: it stops the demo through the pipe
            self._process.start()
        theirs.close()
        self.base_url = ""
        self.accounts: tuple[DemoAccount, ...] = ()
        self.spare: DemoAccount | None = None
        self._sample: str | None = None

    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> None:
        try:
            if not self._conn.poll(timeout_s):
                raise DemoStartFailed(f"the {self.venue_id} demo did not start")
            base_url, accounts, spare, sample = self._conn.recv()
        except (EOFError, OSError) as exc:
            self.stop()
            raise DemoStartFailed(f"the {self.venue_id} demo did not start") from exc
        except DemoStartFailed:
            self.stop()
            raise
        self.base_url = base_url
        self.accounts = tuple(accounts)
        self.spare = spare
        self._sample = sample

    def sample_file(self, folder: Path) -> Path | None:
        """The sample download file the child wrote at start, copied into ``folder``."""
        if not self._sample:
            return None
        source = Path(self._sample)
        target = folder / source.name
        shutil.copyfile(source, target)
        return target

    def stop(self) -> None:
        with contextlib.suppress(OSError):  # already gone
            self._conn.send("stop")
        self._conn.close()
        self._process.join(STOP_TIMEOUT_S)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def serve_demo(conn: Connection, venue_id: str, speed: float) -> None:
    """The child: start the venue's demo, report it, serve until told to stop (or orphaned)."""
    from cryptact_desktop.venues.registry import venue

    child_takes_over()
    item = venue(venue_id)
    if item.demo is None:
        conn.close()
        return
    demo = item.demo(speed)
    try:
        sample = demo.sample_file(Path(tempfile.mkdtemp(prefix=f"cryptact-demo-{venue_id}-")))
        conn.send((demo.base_url, tuple(demo.accounts), demo.spare, str(sample) if sample else None))
        with contextlib.suppress(EOFError, OSError):  # EOF: the parent is gone
            conn.recv()  # "stop"
    finally:
        demo.stop()
        conn.close()
