"""The file the processes of this computer take turns at (the per-IP budget): one turn at a time,
whoever holds it (another open of the file, a process using ``filelock``, a forked child), and the
file as it is now, even if it was replaced since the last turn."""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock

from cryptact_desktop.sync.shared_file import SharedFile


def _entered_after(shared: SharedFile, hold: threading.Event) -> list[float]:
    """Enter ``shared`` on a thread once ``hold`` is set; the moment it got in."""
    entered: list[float] = []

    def enter() -> None:
        hold.wait()
        with shared:
            entered.append(time.monotonic())

    threading.Thread(target=enter, daemon=True).start()
    return entered


def test_one_turn_at_a_time_between_two_opens_of_the_file(tmp_path: Path) -> None:
    first = SharedFile(tmp_path / "budget.log")
    second = SharedFile(tmp_path / "budget.log")  # as another process holds it
    go = threading.Event()
    entered = _entered_after(second, go)
    with first:
        first.write(b"1 1\n")
        go.set()
        time.sleep(0.3)
        assert not entered, "the second got in while the first held the file"
        released = time.monotonic()
    deadline = time.monotonic() + 5
    while not entered and time.monotonic() < deadline:
        time.sleep(0.01)
    assert entered and entered[0] >= released
    with second:
        assert second.read() == b"1 1\n"


def test_a_process_using_filelock_and_one_using_shared_file_exclude_each_other(tmp_path: Path) -> None:
    path = tmp_path / "budget.log"
    shared = SharedFile(path)
    other = FileLock(str(path) + ".lock", is_singleton=False)
    go = threading.Event()
    entered = _entered_after(shared, go)
    with other:
        go.set()
        time.sleep(0.3)
        assert not entered
    deadline = time.monotonic() + 5
    while not entered and time.monotonic() < deadline:
        time.sleep(0.01)
    assert entered
    with shared, pytest.raises(TimeoutError):
        other.acquire(timeout=0.1)


def test_a_rewrite_replaces_the_whole_file_and_a_replaced_file_is_read_anew(tmp_path: Path) -> None:
    path = tmp_path / "budget.log"
    shared = SharedFile(path)
    with shared:
        assert shared.read() == b""
        shared.write(b"a long first line\nand a second\n")
        shared.write(b"short\n")
        assert shared.read() == b"short\n"
    assert path.read_bytes() == b"short\n"
    replacement = tmp_path / "new.log"
    replacement.write_bytes(b"from the new file\n")
    os.replace(replacement, path)
    with shared:
        assert shared.read() == b"from the new file\n"
    path.unlink()
    with shared:
        assert shared.read() == b""  # deleted: a new, empty file
        shared.write(b"again\n")
    assert path.read_bytes() == b"again\n"


def test_an_unusable_folder_raises_os_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    shared = SharedFile(blocker / "budget.log")
    with pytest.raises(OSError), shared:
        pass
    with pytest.raises(OSError), shared:  # and again: nothing was left half open
        pass


def _child_enters(shared: SharedFile, go: mp.Event, times: mp.Queue) -> None:
    go.wait()
    with shared:
        times.put(time.time())


@pytest.mark.skipif(sys.platform == "win32", reason="fork is POSIX")
def test_a_forked_child_takes_its_own_turn(tmp_path: Path) -> None:
    # A child forked while the parent has the file open shares the parent's open lock file: without
    # opening its own, it would get in while the parent holds the lock.
    shared = SharedFile(tmp_path / "budget.log")
    with shared:
        shared.write(b"parent\n")
    context = mp.get_context("fork")
    times: mp.Queue = context.Queue()
    go = context.Event()
    child = context.Process(target=_child_enters, args=(shared, go, times))
    child.start()
    with shared:
        go.set()
        time.sleep(0.5)
        released = time.time()
    entered = times.get(timeout=10)
    child.join(timeout=10)
    assert entered >= released
