"""``demo-server``: an exchange's simulator in the foreground (on 127.0.0.1, until Ctrl-C), for
trying the app and the CLI without a real account.

``demo-server [--exchange ID] [SIMULATOR OPTIONS]``: ``ID`` is any venue whose
:attr:`Venue.serve <cryptact_desktop.venues.venue.Venue.serve>` is set (default: the first such
venue in the registry); every other argument is the simulator's own (``--port``, ``--seed``...),
passed on unchanged. The simulator prints its URL, an API key and a secret.
"""

from __future__ import annotations

import contextlib
import sys
import textwrap
from collections.abc import Iterator
from typing import TextIO

from cryptact_desktop.cli.context import EXIT_CANCELLED, EXIT_OK, EXIT_USAGE, CliError
from cryptact_desktop.i18n import translate
from cryptact_desktop.venues import registry
from cryptact_desktop.venues.venue import Venue

OPTION = "--exchange"


def _t(text: str) -> str:
    return translate("cli", text)


def simulator_venues() -> tuple[Venue, ...]:
    """The venues that can run a simulator, in registry order (the first is the default)."""
    return tuple(item for item in registry.VENUES if item.serve is not None)


def demo_server_help() -> str:
    """The one-line help of ``demo-server`` in the command list."""
    ids = [item.id for item in simulator_venues()]
    return _t(
        "run an exchange's simulator on this computer: --exchange {choices} (default {default}); "
        "the other arguments go to the simulator, try demo-server --help"
    ).format(choices="{" + ",".join(ids) + "}", default=ids[0] if ids else "-")


def _split_exchange(args: list[str]) -> tuple[str | None, list[str]]:
    """The ``--exchange`` value (None when absent) and the simulator's own arguments."""
    chosen: str | None = None
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == OPTION:
            if i + 1 >= len(args) or args[i + 1].startswith("-"):
                raise CliError(_t("{option} needs an exchange id").format(option=OPTION))
            chosen = args[i + 1]
            i += 2
            continue
        if arg.startswith(OPTION + "="):
            chosen = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return chosen, rest


def _choose(chosen: str | None) -> Venue:
    venues = simulator_venues()
    ids = ", ".join(item.id for item in venues)
    if not venues:
        raise CliError(_t("No exchange simulator is available in this build"))
    if chosen is None:
        return venues[0]
    for item in venues:
        if item.id == chosen.strip().lower():
            return item
    raise CliError(
        _t("There is no simulator for the exchange {name}. Simulators: {valid}").format(
            name=chosen, valid=ids
        ),
        _t("Choose one with {option} ID.").format(option=OPTION),
    )


@contextlib.contextmanager
def _printing_to(out: TextIO, err: TextIO) -> Iterator[None]:
    """Route the simulator's prints to the streams given to ``main`` (the process's own by default)."""
    with contextlib.ExitStack() as stack:
        if out is not sys.stdout:
            stack.enter_context(contextlib.redirect_stdout(out))
        if err is not sys.stderr:
            stack.enter_context(contextlib.redirect_stderr(err))
        yield


def demo_server(args: list[str], out: TextIO, err: TextIO) -> int:
    """Run the chosen venue's simulator until Ctrl-C; returns the exit code."""
    try:
        chosen, rest = _split_exchange(args)
        item = _choose(chosen)
    except CliError as exc:
        err.write(_t("Error: {message}").format(message=exc.message) + (f" — {exc.hint}" if exc.hint else ""))
        err.write("\n")
        return exc.code
    serve = item.serve
    assert serve is not None  # simulator_venues() only lists venues that have one
    if "-h" in rest or "--help" in rest:
        ids = ",".join(v.id for v in simulator_venues())
        out.write(f"usage: cryptact-desktop demo-server [{OPTION} {{{ids}}}] [SIMULATOR OPTIONS]\n\n")
        intro = _t(
            "Runs an exchange's simulator on this computer until Ctrl-C ({option}, default: {default}). "
            "The other options belong to the {exchange} simulator:"
        ).format(option=OPTION, default=simulator_venues()[0].id, exchange=item.info.name)
        out.write(textwrap.fill(intro, 78) + "\n\n")
    try:
        with _printing_to(out, err):
            return int(serve(rest, None) or 0)
    except SystemExit as exc:  # its argparse exits on --help and on bad arguments
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)
    except KeyboardInterrupt:  # Ctrl-C before the server was up (while generating its history)
        err.write(_t("Cancelled.") + "\n")
        return EXIT_CANCELLED
