"""Signals and the app's child processes (a sync's process, a demo simulator's).

Ctrl-C in a terminal, and a logout's SIGTERM, reach every process of the group — the children
too. The parent decides what they mean (it quits like File → Quit and stops its children through
their pipes), so a child must not die of them half-way, printing a traceback: a child is started
with SIGINT and SIGTERM blocked (:func:`spawning`; a blocked signal stays blocked across the
``spawn`` method's exec, so no signal can land while the child's interpreter is still loading),
and the child installs its handlers before it unblocks them (:func:`child_takes_over`).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextmanager
def spawning() -> Iterator[None]:
    """Start child processes inside this block: they begin with SIGINT and SIGTERM blocked."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no process groups to worry about
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def child_takes_over(on_terminate: Callable[[], None] | None = None) -> None:
    """In a child's main thread: ignore Ctrl-C (the parent cancels), run ``on_terminate`` for a
    SIGTERM sent to it (None: ignore it too), then let the signals in."""
    if threading.current_thread() is not threading.main_thread():
        return

    def terminate(_signum: int, _frame: FrameType | None) -> None:
        if on_terminate is not None:
            on_terminate()

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, terminate)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
