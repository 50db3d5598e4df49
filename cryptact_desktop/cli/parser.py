"""The argument tree: global flags, commands and their options, and argparse writing to the
given streams instead of exiting the process."""

from __future__ import annotations

import argparse
import contextvars
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from cryptact_desktop.cli.context import EXIT_USAGE
from cryptact_desktop.cli.credential_input import (
    ENV_API_KEY,
    ENV_API_SECRET,
    HELP_WIDTH,
    credentials_help,
)
from cryptact_desktop.cli.database import cmd_restore_backup
from cryptact_desktop.cli.demo import demo_server_help
from cryptact_desktop.cli.export import cmd_export
from cryptact_desktop.cli.imports import cmd_import
from cryptact_desktop.cli.keys import cmd_keys_add, cmd_keys_edit, cmd_keys_list, cmd_keys_remove
from cryptact_desktop.cli.sync import cmd_runs, cmd_status, cmd_sync
from cryptact_desktop.cli.transfers import cmd_transfers_classify, cmd_transfers_list
from cryptact_desktop.i18n import translate
from cryptact_desktop.venues.registry import venue_infos

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


def _t(text: str) -> str:
    return translate("cli", text)


class ParserExit(Exception):
    """argparse finished (help shown, or a usage error reported) with this exit status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


_streams: contextvars.ContextVar[tuple[TextIO, TextIO]] = contextvars.ContextVar("cli_streams")


class Parser(argparse.ArgumentParser):
    """argparse writing to the streams given to :func:`parse_command_line` and raising instead of
    exiting.

    Abbreviated options are off: a script must keep working when an option is added later.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    @staticmethod
    def _io() -> tuple[TextIO, TextIO]:
        return _streams.get((sys.stdout, sys.stderr))

    def print_help(self, file: SupportsWrite[str] | None = None) -> None:
        (file or self._io()[0]).write(self.format_help())

    def print_usage(self, file: SupportsWrite[str] | None = None) -> None:
        (file or self._io()[1]).write(self.format_usage())

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._io()[1].write(message)
        raise ParserExit(status)

    def error(self, message: str) -> NoReturn:
        self.print_usage()
        self.exit(EXIT_USAGE, f"{self.prog}: {_t('error')}: {message}\n")


def _unrecognised(extras: Sequence[str]) -> str:
    """Describe unknown arguments without echoing values (a pasted secret must not be printed)."""
    options = sorted({token.split("=", 1)[0] for token in extras if token.startswith("-")})
    values = sum(1 for token in extras if not token.startswith("-"))
    parts = []
    if options:
        parts.append(_t("unknown options: {options}").format(options=", ".join(options)))
    if values:
        parts.append(_t("{count} unexpected value(s), not shown").format(count=values))
    return "; ".join(parts)


def parse_command_line(args: list[str], out: TextIO, err: TextIO) -> argparse.Namespace | int:
    """The parsed arguments of a command (``handler`` names its function), or the exit code when
    there is nothing to run: help was shown, or the arguments were refused."""
    streams_token = _streams.set((out, err))
    try:
        parser = build_parser()
        try:
            namespace, extras = parser.parse_known_args(args)
        except ParserExit as exc:
            return exc.status
        if extras:
            parser.print_usage()
            err.write(f"{parser.prog}: {_t('error')}: {_unrecognised(extras)}\n")
            err.write(
                _t(
                    "Secrets are never taken from the command line: use {key_var}/{secret_var} "
                    "or standard input."
                ).format(key_var=ENV_API_KEY, secret_var=ENV_API_SECRET)
                + "\n"
            )
            return EXIT_USAGE
        if getattr(namespace, "handler", None) is None:
            parser.print_help(out)
            return EXIT_USAGE
        return namespace
    finally:
        _streams.reset(streams_token)


def build_parser() -> Parser:
    # --json and --data-dir are accepted before the command (defaults here) and after it (on each
    # command, SUPPRESS-ed so an absent flag does not overwrite the global value).
    common = Parser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=_t("print JSON"))
    common.add_argument("--data-dir", default=argparse.SUPPRESS, metavar="DIR", help=argparse.SUPPRESS)

    parser = Parser(
        prog="cryptact-desktop",
        description=_t("Sync crypto exchange history with read-only API keys, without the window."),
        epilog=_t(
            "Secrets are never taken from the command line: set CRYPTACT_API_KEY and CRYPTACT_API_SECRET "
            "(and the other variables `keys add --help` lists for the exchange), or pipe them in on "
            "standard input, one per line. "
            "Exit codes: 0 ok, 1 unexpected error, 2 usage or input error, 3 failed (for `status`: "
            "not every endpoint ok), 4 cancelled, 5 `status` only: a sync is running now."
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help=_t("data directory (default: $CRYPTACT_DESKTOP_DATA_DIR, else the per-user data folder)"),
    )
    parser.add_argument("--json", action="store_true", default=False, help=_t("print JSON where it applies"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    # keys ------------------------------------------------------------------------------------
    keys = commands.add_parser("keys", parents=[common], help=_t("add, list, edit and remove API keys"))
    key_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", parser_class=Parser)
    key_commands.required = True

    add = key_commands.add_parser(
        "add",
        parents=[common],
        help=_t("add an API key (the secret is read from the environment or standard input)"),
        description=textwrap.fill(
            _t("Add an API key: check it with the exchange, then keep its credentials in the keyring."),
            HELP_WIDTH,
        ),
        epilog=credentials_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.add_argument(
        "--exchange", required=True, choices=[e.id for e in venue_infos()], help=_t("the exchange")
    )
    add.add_argument("--label", required=True, help=_t("a unique name for the key"))
    add.add_argument("--subaccount", default=None, help=_t("the sub-account the key belongs to, if any"))
    add.add_argument(
        "--host",
        default=None,
        help=_t("API site: {hosts} or custom (default: the first)").format(
            hosts=", ".join(dict.fromkeys(h.id for e in venue_infos() for h in e.hosts))
        ),
    )
    add.add_argument("--base-url", default=None, metavar="URL", help=_t("API base URL for --host custom"))
    add.add_argument(
        "--sync-from",
        default=None,
        metavar="WHEN",
        help=_t("fetch history from this date (2024-01-01) or UTC time (2024-01-01T00:00:00Z)"),
    )
    add.add_argument(
        "--endpoints",
        default=None,
        metavar="LIST",
        help=_t("comma-separated ids from: {ids}; or all (default: the recommended ones)").format(
            ids=", ".join(dict.fromkeys(p.id for e in venue_infos() for p in e.endpoints))
        ),
    )
    add.add_argument("--no-verify", action="store_true", help=_t("save without asking the exchange"))
    add.add_argument(
        "--replace",
        action="store_true",
        help=_t(
            "if another key already reads this exchange account (and sub-account), give that key "
            "this API key instead of adding a second one (its history is kept)"
        ),
    )
    add.set_defaults(handler=cmd_keys_add)

    listing = key_commands.add_parser("list", parents=[common], help=_t("list the keys"))
    listing.set_defaults(handler=cmd_keys_list)

    edit = key_commands.add_parser(
        "edit",
        parents=[common],
        help=_t("change a key's settings or secret"),
        epilog=credentials_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    edit.add_argument("key", metavar="KEY", help=_t("key id or exact label"))
    edit.add_argument("--label", default=None)
    edit.add_argument("--subaccount", default=None)
    edit.add_argument("--host", default=None, help=_t("API site id, or custom (with --base-url)"))
    edit.add_argument("--base-url", default=None, metavar="URL")
    since = edit.add_mutually_exclusive_group()
    since.add_argument("--sync-from", default=None, metavar="WHEN")
    since.add_argument(
        "--clear-sync-from", action="store_true", help=_t("fetch as far back as the API reaches")
    )
    edit.add_argument(
        "--endpoints", default=None, metavar="LIST", help=_t("the new set of enabled endpoints")
    )
    pause = edit.add_mutually_exclusive_group()
    pause.add_argument("--pause", action="store_true", help=_t("skip this key in `sync` without KEY"))
    pause.add_argument("--resume", action="store_true")
    edit.add_argument(
        "--credentials",
        "--replace-secret",
        dest="new_credentials",
        action="store_true",
        help=_t("read new credentials like `keys add` does (the exchange's fields, see below)"),
    )
    edit.add_argument(
        "--no-verify", action="store_true", help=_t("with --credentials: save without asking the exchange")
    )
    edit.set_defaults(handler=cmd_keys_edit)

    remove = key_commands.add_parser(
        "remove",
        parents=[common],
        help=_t("remove a key and its secret (say what happens to its transactions)"),
    )
    remove.add_argument("key", metavar="KEY", help=_t("key id or exact label"))
    keep = remove.add_mutually_exclusive_group(required=True)
    keep.add_argument(
        "--keep-transactions", action="store_true", help=_t("keep the fetched transactions for export")
    )
    keep.add_argument("--delete-transactions", action="store_true", help=_t("delete them too"))
    remove.set_defaults(handler=cmd_keys_remove)

    # sync, status, runs, export ---------------------------------------------------------------
    sync = commands.add_parser(
        "sync", parents=[common], help=_t("fetch new history (all keys that are not paused by default)")
    )
    sync.add_argument("keys", nargs="*", metavar="KEY", help=_t("key ids or labels (paused keys too)"))
    sync.add_argument("--endpoints", default=None, metavar="LIST", help=_t("only these endpoints"))
    sync.add_argument("-q", "--quiet", action="store_true", help=_t("no progress lines"))
    sync.set_defaults(handler=cmd_sync)

    status = commands.add_parser(
        "status",
        parents=[common],
        help=_t("show each key's sync state (exit code 0 only when all is ok: for health checks)"),
        description=_t(
            "Show each key's sync state: every enabled endpoint of the keys named (of every key "
            "that is not paused without KEY). An endpoint whose sync was stopped by a crash or a "
            "kill reads as interrupted (resumable): the next sync continues it."
        ),
        epilog=_t(
            "Exit codes: 0 every enabled endpoint is ok; 3 an endpoint failed, was never synced or "
            "was interrupted; 5 a sync is running right now (and nothing else is wrong); "
            "2 unknown key; 1 unexpected error."
        ),
    )
    status.add_argument("keys", nargs="*", metavar="KEY")
    status.set_defaults(handler=cmd_status)

    runs = commands.add_parser("runs", parents=[common], help=_t("show a key's sync log"))
    runs.add_argument("key", metavar="KEY")
    runs.add_argument("--limit", type=int, default=20, metavar="N", help=_t("newest N runs (default 20)"))
    runs.set_defaults(handler=cmd_runs)

    export = commands.add_parser("export", parents=[common], help=_t("write the transactions to a file"))
    export.add_argument(
        "--format",
        required=True,
        metavar="FORMAT",
        help=_t("csv (every transaction, one row per event) or cryptact (the Cryptact custom file)"),
    )
    export.add_argument("--tz", default="UTC", help=_t("cryptact: time zone of the timestamps (default UTC)"))
    export.add_argument(
        "--mode",
        choices=("all", "new"),
        default="all",
        help=_t("cryptact: everything, or only rows newer than the last export"),
    )
    export.add_argument(
        "--fiat", default="JPY", help=_t("cryptact: fiat currency for income rows (default JPY)")
    )
    export.add_argument("--output", "-o", required=True, metavar="FILE")
    export.add_argument(
        "--with-sources",
        action="store_true",
        help=_t(
            "csv: also the ledger's copies of trades and converts (column mirror_of), not only one "
            "row per event"
        ),
    )
    export.add_argument(
        "--key", action="append", default=None, metavar="KEY", help=_t("only this key (repeatable)")
    )
    export.set_defaults(handler=cmd_export)

    importing = commands.add_parser(
        "import",
        parents=[common],
        help=_t("import an exchange's history download (CSV): all of it, or nothing"),
    )
    importing.add_argument("file", metavar="FILE")
    importing.add_argument(
        "--key",
        default=None,
        metavar="KEY",
        help=_t("into this key's account (default: a new file-only account)"),
    )
    importing.add_argument(
        "--exchange",
        default=None,
        choices=[e.id for e in venue_infos()],
        help=_t("the exchange (without --key)"),
    )
    importing.add_argument(
        "--tz", default="UTC", help=_t("time zone of times whose column does not name one (default UTC)")
    )
    order = importing.add_mutually_exclusive_group()
    order.add_argument("--day-first", action="store_true", help=_t("dates like 05/03/2024 are 5 March"))
    order.add_argument("--month-first", action="store_true", help=_t("dates like 05/03/2024 are 3 May"))
    importing.set_defaults(handler=cmd_import)

    restore = commands.add_parser(
        "restore-backup",
        parents=[common],
        help=_t("put the newest backup in place of a damaged database (the damaged file is kept)"),
    )
    restore.add_argument("--list", action="store_true", help=_t("only list the backups"))
    restore.add_argument("--file", default=None, metavar="BACKUP", help=_t("restore this backup file"))
    restore.add_argument(
        "--force", action="store_true", help=_t("restore even though the database is not damaged")
    )
    restore.set_defaults(handler=cmd_restore_backup)

    # transfers ------------------------------------------------------------------------------------
    transfers = commands.add_parser(
        "transfers",
        parents=[common],
        help=_t("own transfers between your keys and wallets, and the outgoing ones to classify"),
    )
    transfers.set_defaults(handler=cmd_transfers_list)
    transfer_commands = transfers.add_subparsers(
        dest="transfers_command", metavar="ACTION", parser_class=Parser
    )
    transfer_list = transfer_commands.add_parser("list", parents=[common], help=_t("list them (the default)"))
    transfer_list.set_defaults(handler=cmd_transfers_list)
    classify = transfer_commands.add_parser(
        "classify", parents=[common], help=_t("say what an outgoing transfer that matches nothing was")
    )
    classify.add_argument("transfer", metavar="ID", help=_t("the transfer's ID from `transfers`"))
    classify.add_argument(
        "classification",
        metavar="CLASS",
        help=_t(
            "own (to my other wallet or account), sold (sold or paid for something), gift, lost; "
            "none to clear"
        ),
    )
    classify.set_defaults(handler=cmd_transfers_classify)

    commands.add_parser(
        "demo-server",
        add_help=False,
        help=demo_server_help(),
    )
    return parser
