"""``sync``, ``status`` and ``runs``: fetching new history (with progress lines and Ctrl-C), each
key's sync state, and the sync log."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from cryptact_desktop.cli.arguments import parse_endpoints, resolve_key, resolve_keys
from cryptact_desktop.cli.context import (
    EXIT_CANCELLED,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_SYNCING,
    CliError,
    Context,
)
from cryptact_desktop.cli.render import (
    day,
    failure_json,
    host_text,
    key_json,
    local,
    run_json,
    status_text,
    table,
    unreachable_json,
    unreachable_text,
)
from cryptact_desktop.i18n import translate
from cryptact_desktop.state import EndpointStatus, KeyConfig
from cryptact_desktop.sync.engine import EndpointOutcome, SyncProgress, SyncResult
from cryptact_desktop.sync_lock import SyncLocks
from cryptact_desktop.venues.registry import venue_info

PROGRESS_INTERVAL_S = 1.0  # at most one progress line per stream per interval (plus its final line)


def _t(text: str) -> str:
    return translate("cli", text)


class ProgressPrinter:
    """Progress lines to stderr: one per stream per second at most, plus each stream's last one."""

    def __init__(self, ctx: Context, key: KeyConfig) -> None:
        self._ctx = ctx
        self._key = key
        self._last: dict[tuple[str, str], float] = {}
        self._reached: dict[tuple[str, str], int] = {}

    def __call__(self, progress: SyncProgress) -> None:
        stream = (progress.endpoint, progress.stream)
        if progress.reached_ms is not None:
            self._reached[stream] = progress.reached_ms
        now = time.monotonic()
        last = self._last.get(stream)
        if not progress.finished and last is not None and now - last < PROGRESS_INTERVAL_S:
            return
        self._last[stream] = now
        text = _t("{label} {endpoint}/{stream}: {pages} pages, {new} new rows").format(
            label=self._key.label,
            endpoint=progress.endpoint,
            stream=progress.stream,
            pages=progress.pages,
            new=progress.new_records,
        )
        if progress.windows_total:
            text += _t(", window {done}/{total}").format(
                done=progress.windows_done, total=progress.windows_total
            )
        reached = self._reached.get(stream)
        if reached is not None:
            text += _t(", complete up to {date}").format(date=day(reached))
        if progress.finished:
            text += _t(" — finished")
        self._ctx.note(text)


def _run_interruptibly(ctx: Context, work: Callable[[], SyncResult], stop: threading.Event) -> SyncResult:
    """Run ``work`` in a thread; Ctrl-C sets ``stop`` and waits for the engine to wind down."""
    box: dict[str, Any] = {}
    finished = threading.Event()

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # handed to the calling thread
            box["error"] = exc
        finally:
            finished.set()

    worker = threading.Thread(target=target, name="cli-sync", daemon=False)
    worker.start()
    # Poll an Event rather than join(): an interrupted Thread.join() can leave is_alive() wrong.
    while True:
        try:
            if finished.wait(0.2):
                break
        except KeyboardInterrupt:
            if not stop.is_set():
                stop.set()
                ctx.note(_t("Stopping… finishing the requests in flight (what was fetched is kept)."))
            else:
                ctx.note(_t("Still stopping…"))
    worker.join()
    if "error" in box:
        raise box["error"]
    result: SyncResult = box["result"]
    return result


def _outcome_word(outcome: EndpointOutcome, stopped: bool) -> str:
    if outcome.cancelled:
        return _t("cancelled") if stopped else _t("stopped")
    return status_text(outcome.status)


def _print_result(ctx: Context, key: KeyConfig, result: SyncResult, stopped: bool) -> None:
    ctx.say(
        _t("Key {id} ({label}): {new} new records").format(id=key.id, label=key.label, new=result.new_records)
    )
    if not result.outcomes:
        ctx.say("  " + _t("no endpoints enabled"))
    width = max((len(o.endpoint) for o in result.outcomes), default=0)
    for o in result.outcomes:
        line = f"  {o.endpoint:<{width}}  {_outcome_word(o, stopped)}"
        if o.new_records or o.duplicates or o.status is EndpointStatus.OK:
            line += "  " + _t("+{new} new, {dup} already stored").format(new=o.new_records, dup=o.duplicates)
        ctx.say(line)
        pad = " " * (width + 4)
        if o.failure is not None:
            code = f" [{o.failure.code}]" if o.failure.code else ""
            ctx.say(f"{pad}{o.failure.message}{code}")
            ctx.say(f"{pad}{o.failure.hint}")
        elif o.cancelled and not stopped:
            ctx.say(pad + _t("stopped because another endpoint of this key failed with a key error"))
        if o.unreachable is not None:
            ctx.say(pad + unreachable_text(o.unreachable[1] + 1))


def _result_json(key: KeyConfig, result: SyncResult, stopped: bool) -> dict[str, Any]:
    return {
        "id": key.id,
        "label": key.label,
        "run_id": result.run_id,
        "new_records": result.new_records,
        "ok": result.ok,
        "endpoints": [
            {
                "endpoint": o.endpoint,
                "status": o.status.value,
                "outcome": ("cancelled" if stopped else "stopped") if o.cancelled else o.status.value,
                "new_records": o.new_records,
                "duplicates": o.duplicates,
                "failure": failure_json(o.failure),
                "unreachable": unreachable_json(*o.unreachable) if o.unreachable else None,
            }
            for o in result.outcomes
        ],
    }


def cmd_sync(ctx: Context) -> int:
    a = ctx.args
    store = ctx.store
    keys = resolve_keys(store, a.keys) if a.keys else [k for k in store.list_keys() if not k.paused]
    endpoints: tuple[str, ...] | None = None
    if a.endpoints is not None:
        wanted: list[str] = []
        for info in {venue_info(k.exchange).id: venue_info(k.exchange) for k in keys}.values():
            wanted += [e for e in parse_endpoints(info, a.endpoints) if e not in wanted]
        endpoints = tuple(wanted)
    if not keys:
        if ctx.json:
            ctx.emit_json({"cancelled": False, "exit_code": EXIT_OK, "keys": [], "not_synced": []})
        else:
            ctx.say(_t("No keys to sync (paused keys are synced only when named)."))
        return EXIT_OK
    service = ctx.service
    stop = threading.Event()
    results: list[dict[str, Any]] = []
    failed = False
    done: list[int] = []
    for key in keys:
        if stop.is_set():
            break
        printer = None if a.quiet else ProgressPrinter(ctx, key)
        key_id = key.id

        def work(key_id: int = key_id, printer: ProgressPrinter | None = printer) -> SyncResult:
            return service.sync_key(key_id, endpoints=endpoints, should_stop=stop.is_set, on_progress=printer)

        result = _run_interruptibly(ctx, work, stop)
        done.append(key.id)
        stopped = stop.is_set()
        if any(o.status is not EndpointStatus.OK and not (o.cancelled and stopped) for o in result.outcomes):
            failed = True
        if ctx.json:
            results.append(_result_json(key, result, stopped))
        else:
            _print_result(ctx, key, result, stopped)
    cancelled = stop.is_set()
    code = EXIT_CANCELLED if cancelled else (EXIT_FAILED if failed else EXIT_OK)
    if ctx.json:
        ctx.emit_json(
            {
                "cancelled": cancelled,
                "exit_code": code,
                "keys": results,
                "not_synced": [k.id for k in keys if k.id not in done],
            }
        )
    elif cancelled:
        ctx.say(_t("Sync cancelled: what was fetched so far is kept; run sync again to continue."))
    return code


INTERRUPTED = "interrupted"  # shown for an endpoint left "syncing" by a process that has ended


def _live_syncs(ctx: Context, keys: list[KeyConfig]) -> set[int]:
    """The keys among ``keys`` flagged as syncing that a live process is syncing right now (the
    others were left so by a process that was killed or crashed)."""
    flagged = [k.id for k in keys if any(e.status is EndpointStatus.SYNCING for e in k.endpoints)]
    if not flagged:
        return set()
    locks = SyncLocks.beside(ctx.store.database)
    live = set()
    for key_id in flagged:
        try:
            if not locks.is_free(key_id):
                live.add(key_id)
        except OSError:  # the lock cannot even be checked: do not claim it is dead
            live.add(key_id)
    return live


def _shown(status: EndpointStatus, live: bool) -> str:
    if status is EndpointStatus.SYNCING and not live:
        return INTERRUPTED
    return status.value


def _key_shown(key: KeyConfig, live: bool) -> str:
    states = [_shown(e.status, live) for e in key.endpoints if e.enabled]
    for status in (EndpointStatus.SYNCING.value, INTERRUPTED, EndpointStatus.FAILED.value, "never"):
        if status in states:
            return status
    return EndpointStatus.OK.value if states else EndpointStatus.NEVER.value


def status_exit_code(shown: list[str]) -> int:
    """0 when every endpoint shown is ok; 5 when the only thing not ok is a sync running now;
    else 3 (failed, never synced, or interrupted)."""
    if all(s == EndpointStatus.OK.value for s in shown):
        return EXIT_OK
    if all(s in (EndpointStatus.OK.value, EndpointStatus.SYNCING.value) for s in shown):
        return EXIT_SYNCING
    return EXIT_FAILED


def cmd_status(ctx: Context) -> int:
    a = ctx.args
    store = ctx.store
    named = bool(a.keys)
    keys = resolve_keys(store, a.keys) if named else store.list_keys()
    live = _live_syncs(ctx, keys)
    code = status_exit_code(
        [
            _shown(e.status, k.id in live)
            for k in keys
            if named or not k.paused
            for e in k.endpoints
            if e.enabled
        ]
    )
    if ctx.json:
        rendered = []
        for k in keys:
            data = key_json(k, with_endpoints=True)
            data["status"] = _key_shown(k, k.id in live)
            for state in data["endpoint_states"]:
                state["status"] = _shown(EndpointStatus(state["status"]), k.id in live)
            rendered.append(data)
        ctx.emit_json({"exit_code": code, "keys": rendered})
        return code
    if not keys:
        ctx.say(_t("No keys yet. Add one with `keys add`."))
    for key in keys:
        flags = [key.exchange, host_text(key)]
        if key.paused:
            flags.append(_t("paused"))
        ctx.say(
            _t("Key {id} ({label}) [{flags}]: {status}").format(
                id=key.id,
                label=key.label,
                flags=", ".join(flags),
                status=status_text(_key_shown(key, key.id in live)),
            )
        )
        enabled = [e for e in key.endpoints if e.enabled]
        if not enabled:
            ctx.say("  " + _t("no endpoints enabled"))
            continue
        width = max(len(e.endpoint) for e in enabled)
        pad = " " * (width + 4)
        for e in enabled:
            shown = _shown(e.status, key.id in live)
            ctx.say(
                f"  {e.endpoint:<{width}}  "
                + _t("{status}, last success {when}, {records} records").format(
                    status=status_text(shown),
                    when=local(e.last_success_ms, _t("never")),
                    records=e.record_count,
                )
            )
            if shown == INTERRUPTED:
                ctx.say(
                    pad + _t("the sync stopped before it finished (the process ended); run sync to resume")
                )
            if e.failure is not None:
                code_text = f" [{e.failure.code}]" if e.failure.code else ""
                ctx.say(f"{pad}{e.failure.message}{code_text}")
                ctx.say(f"{pad}{e.failure.hint}")
            if e.unreachable_to_ms is not None and e.unreachable_from_ms is not None:
                ctx.say(pad + unreachable_text(e.unreachable_to_ms + 1))
    return code


def cmd_runs(ctx: Context) -> int:
    a = ctx.args
    if a.limit < 1:
        raise CliError(_t("--limit must be at least 1"))
    key = resolve_key(ctx.store, a.key)
    runs = ctx.store.runs(key.id, limit=a.limit)
    if ctx.json:
        ctx.emit_json({"key": {"id": key.id, "label": key.label}, "runs": [run_json(r) for r in runs]})
        return EXIT_OK
    if not runs:
        ctx.say(_t("Key {id} ({label}) has not been synced yet.").format(id=key.id, label=key.label))
        return EXIT_OK
    headers = [
        _t("Endpoint"),
        _t("Stream"),
        _t("Status"),
        _t("Pages"),
        _t("Requests"),
        _t("Retries"),
        _t("New"),
        _t("Duplicates"),
        _t("Rate-limit waits"),
        _t("Error"),
    ]
    for run in runs:
        if run.finished_ms is None:
            took = ""
        else:
            took = _t(", took {seconds:.1f} s").format(seconds=(run.finished_ms - run.started_ms) / 1000)
        ctx.say(
            _t("Run {id}: started {start}, finished {end}{took} — {outcome}").format(
                id=run.id,
                start=local(run.started_ms),
                end=local(run.finished_ms),
                took=took,
                outcome=status_text(run.outcome),
            )
        )
        rows = [
            [
                s.endpoint,
                s.stream or "-",
                status_text(s.status),
                str(s.pages),
                str(s.requests),
                str(s.retries),
                str(s.new_rows),
                str(s.duplicate_rows),
                f"{s.rate_limit_waits} ({s.waited_ms / 1000:.1f} s)",
                s.failure.message if s.failure else "",
            ]
            for s in run.streams
        ]
        if rows:
            ctx.out.write(table(headers, rows, indent="  "))
        ctx.say()
    return EXIT_OK
