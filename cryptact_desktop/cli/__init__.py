"""The headless command line: keys, sync, status, the sync log, exports and transfers — for
scripts, cron and support.

    cryptact-desktop [--data-dir DIR] [--json] COMMAND ...

Secrets are never taken from the command line (it ends up in shell histories and process
lists): ``keys add`` and ``keys edit --credentials`` read the fields the exchange declares
(``VenueInfo.credentials``) from environment variables (``CRYPTACT_API_KEY`` /
``CRYPTACT_API_SECRET`` / ``CRYPTACT_API_PASSPHRASE``, ``CRYPTACT_<FIELD>`` for other fields),
else from standard input (a pipe: one field per line in the declared order; a terminal: a prompt
per field, hidden for secret ones). See :mod:`.credential_input`.

Exit codes: 0 success; 1 unexpected error; 2 usage or input error (including an unknown key);
3 the exchange, the keyring, the database or a sync failed (or ``status`` found an enabled
endpoint that is not ok: failed, never synced, or interrupted by a crash); 4 cancelled (Ctrl-C,
SIGTERM); 5 ``status`` only: a sync is running right now and nothing else is wrong.

The parts: :mod:`.parser` (the argument tree), :mod:`.context` (the command context, errors and
exit codes), :mod:`.arguments` (reading option values), :mod:`.credential_input`,
:mod:`.render` (text and JSON), and one module per command group (:mod:`.keys`, :mod:`.sync`,
:mod:`.export`, :mod:`.transfers`, :mod:`.demo`).
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import Any, TextIO

from cryptact_desktop.cli.context import (
    EXIT_CANCELLED,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    CliError,
    Context,
    run_handler,
)
from cryptact_desktop.cli.credential_input import ENV_API_KEY, ENV_API_PASSPHRASE, ENV_API_SECRET
from cryptact_desktop.cli.demo import demo_server
from cryptact_desktop.cli.parser import parse_command_line
from cryptact_desktop.invocation import COMMANDS, command_index, is_cli_invocation
from cryptact_desktop.secrets import SecretStore


def main(
    argv: list[str] | None = None,
    *,
    secrets: SecretStore | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one CLI command; returns the exit code (see the module docstring)."""
    args = list(sys.argv[1:] if argv is None else argv)
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    index = command_index(args)
    if index is not None and args[index] == "demo-server":
        return demo_server(args[index + 1 :], out, err)

    parsed = parse_command_line(args, out, err)
    if isinstance(parsed, int):
        return parsed
    ctx = Context(parsed, stdin if stdin is not None else sys.stdin, out, err, secrets)
    previous = _cancel_on_sigterm()
    try:
        return run_handler(ctx, parsed.handler)
    finally:
        ctx.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _cancel_on_sigterm() -> Any:
    """SIGTERM (a service manager stopping a cron job, ``kill``) cancels like Ctrl-C: a running
    sync winds down, keeps what it fetched, and the command exits 4. Returns the previous handler
    (None when not on the main thread, where handlers cannot be set)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _on_sigterm)


__all__ = [
    "COMMANDS",
    "ENV_API_KEY",
    "ENV_API_PASSPHRASE",
    "ENV_API_SECRET",
    "EXIT_CANCELLED",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_UNEXPECTED",
    "EXIT_USAGE",
    "CliError",
    "command_index",
    "is_cli_invocation",
    "main",
]
