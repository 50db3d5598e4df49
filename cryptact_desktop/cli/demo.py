"""``demo-server``: a local exchange simulator in the foreground, for trying the app and the CLI."""

from __future__ import annotations

from cryptact_desktop.cli.context import EXIT_OK, EXIT_USAGE


def demo_server(args: list[str]) -> int:
    from cryptact_desktop.venues.bybit.simulator.__main__ import main as simulator_main

    try:
        return int(simulator_main(args) or 0)
    except SystemExit as exc:  # its argparse exits on --help and on bad arguments
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)
