"""Reading a key's credentials: from environment variables, else standard input (hidden prompts
on a terminal). Never from the command line, which ends up in shell histories and process lists."""

from __future__ import annotations

import getpass
import os
from typing import TextIO

from cryptact_desktop.cli.context import CliError, Context, field_title
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.i18n import translate
from cryptact_desktop.service import KeyInputError, clean_credentials
from cryptact_desktop.venues.base import VenueInfo

ENV_API_KEY = "CRYPTACT_API_KEY"
ENV_API_SECRET = "CRYPTACT_API_SECRET"  # noqa: S105 - the variable's name, not a secret
ENV_API_PASSPHRASE = "CRYPTACT_API_PASSPHRASE"  # noqa: S105


def _t(text: str) -> str:
    return translate("cli", text)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def read_credentials(ctx: Context, info: VenueInfo) -> Credentials:
    """From the environment, else standard input (hidden prompts on a terminal)."""
    api_key = os.environ.get(ENV_API_KEY, "")
    secret = os.environ.get(ENV_API_SECRET, "")
    passphrase = os.environ.get(ENV_API_PASSPHRASE, "") if info.needs_passphrase else ""
    if api_key or secret:
        if not (api_key and secret):
            raise CliError(
                _t("Only one of {key_var} and {secret_var} is set").format(
                    key_var=ENV_API_KEY, secret_var=ENV_API_SECRET
                ),
                _t("Set both, or neither to read them from standard input."),
            )
    elif _is_tty(ctx.stdin):
        api_key = getpass.getpass(_t("API key: "), stream=ctx.err)
        secret = getpass.getpass(_t("API secret: "), stream=ctx.err)
        if info.needs_passphrase:
            passphrase = getpass.getpass(_t("Passphrase: "), stream=ctx.err)
    else:
        api_key = ctx.stdin.readline()
        secret = ctx.stdin.readline()
        if info.needs_passphrase and not passphrase:
            passphrase = ctx.stdin.readline()
        if not api_key.strip() or not secret.strip():
            raise CliError(
                _t("No API key and secret given"),
                _t(
                    "Set {key_var} and {secret_var}, or pipe them in: the API key on the first line, "
                    "the secret on the second."
                ).format(key_var=ENV_API_KEY, secret_var=ENV_API_SECRET),
            )
    try:
        return clean_credentials(api_key, secret, passphrase, needs_passphrase=info.needs_passphrase)
    except KeyInputError as exc:
        raise CliError(
            f"{field_title(exc.field_name)}: {exc.message}",
            _t("Secrets come from {key_var}/{secret_var} or standard input.").format(
                key_var=ENV_API_KEY, secret_var=ENV_API_SECRET
            ),
        ) from None
