"""Run a venue's simulator in the foreground from the command line (``python -m
cryptact_desktop.venues.<id>.simulator`` or ``demo-server --exchange <id>``).

Every venue parses the same options (``--seed``, ``--size``, ``--port``, ``--latency-ms``,
``--rate-limit-scale``, plus any of its own), builds its simulator, starts it, prints where it runs
and what to add as a key, and serves until Ctrl-C or until ``stop`` is set. The venue says only
what differs: its sizes, its own options, how to build the simulator and what to print.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable, Collection, Iterable
from typing import Protocol, TypeVar


class Runnable(Protocol):
    """A simulator (or a wallet around one) that serves between ``start()`` and ``stop()``."""

    def start(self) -> str: ...

    def stop(self) -> None: ...


R = TypeVar("R", bound=Runnable)


def serve_from_command_line(
    argv: list[str] | None,
    stop: threading.Event | None,
    *,
    prog: str,
    description: str | None,
    sizes: Collection[str] | Callable[[str], object],
    build: Callable[[argparse.Namespace], R],
    describe: Callable[[R, argparse.Namespace, str, float], Iterable[str]],
    options: Callable[[argparse.ArgumentParser], None] | None = None,
    default_seed: int = 1,
) -> int:
    """Parse ``argv``, build the simulator, start it, print its lines and serve until Ctrl-C or
    ``stop``; 0 when it stopped.

    ``sizes``: the ``--size`` values, or a function that parses one (and raises
    :class:`argparse.ArgumentTypeError` for a bad one). ``options`` adds the venue's own options.
    ``build(args)`` makes the simulator, not started. ``describe(simulator, args, url, seconds)``
    gives the lines to print once it runs (``seconds``: how long building and starting took);
    "Ctrl-C to stop." follows them.
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--seed", type=int, default=default_seed)
    if callable(sizes):
        parser.add_argument("--size", type=sizes, default="small")
    else:
        parser.add_argument("--size", choices=sorted(sizes), default="small")
    if options is not None:
        options(parser)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--rate-limit-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    simulator = build(args)
    url = simulator.start()
    try:
        for line in describe(simulator, args, url, time.monotonic() - started):
            print(line)  # noqa: T201
        print("Ctrl-C to stop.", flush=True)  # noqa: T201
        while not (stop is not None and stop.is_set()):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
    return 0
