"""Cryptact export benchmark: a full export of ``--rows`` stored spot trades, time and memory.

Fills a fresh database through the store (pages of 5,000), then times ``export_cryptact`` (mode
"all") while a thread samples the process's resident memory (Linux ``/proc/self/statm``; tracing
Python allocations would slow the export several times). A large export is mapped by several
processes (``export.cryptact.parts``): their number and the largest one's peak resident memory
(the whole process, its imports included: flat when it is the same for 200k and 1M rows) are
printed too, and the CPU time counts theirs. Ends with

    export N rows: S s (C s CPU), R rows/s, memory growth M MiB, P processes (peak P2 MiB each)

(target: 1M rows in at most 15 s with memory flat in the number of rows).

    python bench/bench_export.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import make_records  # noqa: E402

from cryptact_desktop.export.cryptact import export_cryptact, parts  # noqa: E402
from cryptact_desktop.state import NewKey  # noqa: E402
from cryptact_desktop.store import Store  # noqa: E402


class RssSampler(threading.Thread):
    """The largest growth of resident memory over the value at start, sampled every 20 ms, and
    each child process's peak (its ``VmHWM``: the kernel's own high-water mark, so a peak between
    samples counts too)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self._done = threading.Event()
        self.base = self.peak = _rss()
        self.children_peak: dict[int, int] = {}

    def run(self) -> None:
        while not self._done.wait(0.02):
            self.peak = max(self.peak, _rss())
            for pid, peak in _children_high_water().items():
                self.children_peak[pid] = max(peak, self.children_peak.get(pid, 0))

    def stop(self) -> int:
        self._done.set()
        self.join()
        return max(0, self.peak - self.base)


def _rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _children_high_water() -> dict[int, int]:
    """{pid: peak resident bytes} of this process's running part processes (Linux). Read only
    once a child runs its own program: between fork and exec it still counts this process's pages
    (a million rows' fill showed as a 207 MiB child)."""
    found = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            pids = (task / "children").read_text().split()
        except OSError:  # the thread ended
            continue
        for pid in pids:
            try:
                if b"spawn_main" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                    continue  # not exec'd yet, or not a part (the resource tracker)
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:  # ended
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    found[int(pid)] = int(line.split()[1]) * 1024
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "export.sqlite")
        key = store.add_key(NewKey(exchange="bybit", label="bench", host_id="global", endpoints=("spot",)))
        filled = 0
        while filled < args.rows:
            chunk = make_records(min(50_000, args.rows - filled), offset=filled)
            for i in range(0, len(chunk), 5000):
                store.commit_page(key, "spot", "execution_spot", chunk[i : i + 5000], covered=None)
            filled += len(chunk)
        out = Path(tmp) / "cryptact.csv"
        gc.collect()
        sampler = RssSampler()
        sampler.start()
        processes = parts.part_count(store, args.rows)
        started, cpu_started, children_started = time.perf_counter(), time.process_time(), _children_cpu()
        report = export_cryptact(store, out)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started + _children_cpu() - children_started
        growth = sampler.stop()
        children_peak = sampler.children_peak
        store.close()
    assert report.ok and report.rows_written == args.rows, report.summary_lines()[:5]
    print(
        f"export {args.rows} rows: {elapsed:.1f} s ({cpu:.1f} s CPU), {args.rows / elapsed:.0f} rows/s,"
        f" memory growth {growth / 2**20:.1f} MiB, {processes} processes"
        + (f" (peak {max(children_peak.values(), default=0) / 2**20:.0f} MiB each)" if processes > 1 else "")
    )


if __name__ == "__main__":
    main()
