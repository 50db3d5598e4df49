"""A large export mapped by several processes at once, one time range each.

Why: mapping and checking a row is Python work that holds the interpreter lock throughout
(15-24 us a row on a slow machine), so on one core a million rows took 16-24 s and threads would
not help. The entries are split by time into about equal runs (:func:`split_times`); each run is
mapped by its own process (started with ``spawn``, as a sync's is), which writes its lines to its
own part file next to the export. The parent waits, adds the tallies up in time order and joins
the parts after the header: the file is the one a single process writes, byte for byte.

Every process reads the same database: WAL lets readers and a running sync go on side by side.
A process that fails or dies fails the export (nothing is written over the user's file); the
parts are always deleted.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import tzinfo
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from cryptact_desktop import i18n, redaction
from cryptact_desktop.child_signals import child_takes_over, spawning
from cryptact_desktop.export.cryptact.stream import EntryMapper, Tally, write_lines
from cryptact_desktop.state import TransactionFilter
from cryptact_desktop.store import Store
from cryptact_desktop.store.faults import StorageError

log = logging.getLogger(__name__)

PARALLEL_FROM = 60_000  # entries: fewer are mapped in about the time it takes to start a process
MAX_PARTS = 4


class ExportPartFailed(RuntimeError):
    """A process mapping part of the export ended without its part (killed, out of memory, …).
    ``str()`` is the message for the user."""


def _t(text: str) -> str:
    return i18n.translate("export_cryptact", text)


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def part_count(store: Store, entries: int) -> int:
    """How many processes should map ``entries`` entries of ``store``: 1 (this one) for a small
    export, a database only this process can open, or a single CPU."""
    if entries < PARALLEL_FROM or str(store.database) == ":memory:":
        return 1
    return max(1, min(usable_cpus(), MAX_PARTS))


def split_times(store: Store, flt: TransactionFilter, parts: int, entries: int) -> list[int]:
    """Times that cut the ``entries`` entries ``flt`` selects into ``parts`` runs of about equal
    size, each the time of the first entry of a run after the first (increasing; fewer where many
    entries share a time: entries of one time always stay in one run, so the runs keep the file's
    order)."""
    return sorted(set(store.time_quantiles(flt, parts, entries)))


@dataclass(frozen=True)
class PartJob:
    """What a part's process maps and where it writes (plain data: it crosses to the child)."""

    database: str
    flt: TransactionFilter
    key_ids: tuple[int, ...]
    tz: tzinfo
    fiat: str
    path: str
    translation: Callable[[], None] | None  # see i18n.child_setup
    log_to: redaction.ChildLogging  # where the child logs


def write_parts(
    store: Store,
    flt: TransactionFilter,
    cuts: Sequence[int],
    *,
    key_ids: Sequence[int],
    tz: tzinfo,
    fiat: str,
    directory: Path,
    prefix: str,
) -> list[tuple[Path, Tally]]:
    """Map what ``flt`` selects in ``len(cuts) + 1`` processes, one run between cuts each, and
    return each run's part file and tally in time order. The caller deletes the files.

    Raises :class:`StorageError` or ``OSError`` as the failing process met it,
    :class:`ExportPartFailed` for a process that ended without its part.
    """
    bounds = [flt.from_ms, *cuts]
    ends = [cut - 1 for cut in cuts] + [flt.to_ms]
    jobs: list[PartJob] = []
    database = str(Path(str(store.database)).resolve())
    translation = i18n.child_setup()
    log_to = redaction.child_logging()
    try:
        for number, (start, end) in enumerate(zip(bounds, ends, strict=True)):
            descriptor, name = tempfile.mkstemp(prefix=f"{prefix}{number}.", suffix=".tmp", dir=directory)
            os.close(descriptor)
            jobs.append(
                PartJob(
                    database=database,
                    flt=replace(flt, from_ms=start, to_ms=end),
                    key_ids=tuple(key_ids),
                    tz=tz,
                    fiat=fiat,
                    path=name,
                    translation=translation,
                    log_to=log_to,
                )
            )
        tallies = _run(jobs)
    except BaseException:
        for job in jobs:
            Path(job.path).unlink(missing_ok=True)
        raise
    return [(Path(job.path), tally) for job, tally in zip(jobs, tallies, strict=True)]


def _run(jobs: Sequence[PartJob]) -> list[Tally]:
    context = multiprocessing.get_context("spawn")
    processes: list[Any] = []
    links: list[Connection] = []
    try:
        for number, job in enumerate(jobs):
            ours, theirs = context.Pipe(duplex=False)
            process = context.Process(
                target=part_main, args=(theirs, job), name=f"export-part-{number}", daemon=True
            )
            with spawning():
                process.start()
            theirs.close()
            processes.append(process)
            links.append(ours)
        return _collect(links)
    finally:
        for link in links:
            link.close()
        for process in processes:
            if process.is_alive():  # a failure elsewhere: its part is no longer wanted
                process.kill()
            process.join()


def _collect(links: list[Connection]) -> list[Tally]:
    """Each part's tally, in part order; the first failure raises."""
    found: dict[int, Tally] = {}
    waiting = dict(enumerate(links))
    while waiting:
        for ready in wait(list(waiting.values())):
            number = next(n for n, candidate in waiting.items() if candidate is ready)
            link = waiting.pop(number)
            try:
                kind, payload = link.recv()
            except (EOFError, OSError):
                log.error("the process of export part %s ended without its part", number)
                raise ExportPartFailed(
                    _t(
                        "The export stopped: one of the processes writing it ended unexpectedly (the"
                        " computer may have run out of memory, or the process was ended). Nothing was"
                        " written. Export again; close other programs first if it happens again."
                    )
                ) from None
            if kind == "storage":
                raise StorageError(*payload[:2], detail=payload[2])
            if kind == "os":
                raise OSError(*payload)
            if kind != "tally":
                raise ExportPartFailed(
                    _t(
                        "The export stopped: part of it failed ({error}). Nothing was written. The log"
                        " file has the details; please report it."
                    ).format(error=payload)
                )
            found[number] = payload
    return [found[number] for number in range(len(links))]


def part_main(conn: Connection, job: PartJob) -> None:
    """A part's process: map its run of entries into its part file and send back the tally."""
    # Ctrl-C is the parent's to act on; a SIGTERM (the parent quitting ends its daemon children so)
    # ends the part at once.
    child_takes_over(_end_part)
    job.log_to.apply()
    try:
        if job.translation is not None:  # skip reasons and warnings in the user's language
            job.translation()
        store = Store(job.database, run_migrations=False, check=False)  # the parent checked it
        try:
            mapper = EntryMapper(store, key_ids=job.key_ids, tz=job.tz, fiat=job.fiat)
            with open(job.path, "w", encoding="utf-8", newline="") as handle:
                tally = write_lines(store, mapper, job.flt, handle, first_line=1)
            message: tuple[str, Any] = ("tally", tally)
        finally:
            store.close()
    except SystemExit:  # a SIGTERM: end without a part (the parent, if any, says the process ended)
        with contextlib.suppress(OSError):
            os.unlink(job.path)
        return
    except StorageError as error:
        message = ("storage", (error.problem, error.database, error.detail))
    except OSError as error:
        message = ("os", (error.errno, error.strerror, error.filename))
    except BaseException as error:  # reported, whatever it was
        log.exception("an export part failed in its process")
        message = ("error", type(error).__name__)
    try:
        conn.send(message)
    except OSError:  # the parent is gone: nobody will join this part
        with contextlib.suppress(OSError):
            os.unlink(job.path)


def _end_part() -> None:
    raise SystemExit(1)
