"""Which of the two programs a command line asks for: the CLI (a subcommand, or ``--help``) or the
window. Kept apart from :mod:`cryptact_desktop.cli` so that starting the window does not import
the CLI (and with it the store, the sync engine and every venue) just to ask this.
"""

from __future__ import annotations

from collections.abc import Sequence

COMMANDS: tuple[str, ...] = (
    "keys",
    "sync",
    "status",
    "runs",
    "export",
    "import",
    "restore-backup",
    "transfers",
    "demo-server",
)


def command_index(argv: Sequence[str]) -> int | None:
    """Index of the subcommand in ``argv`` once the global flags are skipped, or None."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--json" or arg.startswith("--data-dir="):
            i += 1
        elif arg == "--data-dir":
            i += 2
        else:
            return i if arg in COMMANDS else None
    return None


def is_cli_invocation(argv: Sequence[str]) -> bool:
    """True when ``argv`` names a CLI subcommand (after optional global flags) or asks for help."""
    if command_index(argv) is not None:
        return True
    for arg in argv:
        if arg in ("-h", "--help"):
            return True
        if arg != "--json" and not arg.startswith("--data-dir"):
            break
    return False
