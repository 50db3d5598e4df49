"""Reading a key's credentials: the fields its venue declares (``VenueInfo.credentials``), from
environment variables, else standard input. Never from the command line, which ends up in shell
histories and process lists.

A pipe gives one field per line in the declared order; a terminal asks for each field by its
label (secret fields through ``getpass``, without echo). A multi-line field (a PEM private key)
arrives on one line with literal ``\\n`` escapes for its line breaks. Each field has a variable:
``CRYPTACT_API_KEY`` / ``CRYPTACT_API_SECRET`` / ``CRYPTACT_API_PASSPHRASE`` for the classic
three, ``CRYPTACT_<FIELD NAME>`` for the others (``CRYPTACT_PRIVATE_KEY``).
"""

from __future__ import annotations

import getpass
import os
import textwrap
from collections.abc import Mapping
from typing import TextIO

from cryptact_desktop.cli.context import CliError, Context, field_title
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.i18n import translate
from cryptact_desktop.service import KeyInputError, clean_credential_fields
from cryptact_desktop.venues.base import CredentialField, VenueInfo
from cryptact_desktop.venues.registry import venue_infos

ENV_API_KEY = "CRYPTACT_API_KEY"
ENV_API_SECRET = "CRYPTACT_API_SECRET"  # noqa: S105 - the variable's name, not a secret
ENV_API_PASSPHRASE = "CRYPTACT_API_PASSPHRASE"  # noqa: S105
_CLASSIC_VARIABLES = {"api_key": ENV_API_KEY, "secret": ENV_API_SECRET, "passphrase": ENV_API_PASSPHRASE}

HELP_WIDTH = 78


def _t(text: str) -> str:
    return translate("cli", text)


def env_variable(field_name: str) -> str:
    """The environment variable that gives the field ``field_name``."""
    return _CLASSIC_VARIABLES.get(field_name, "CRYPTACT_" + field_name.upper())


def input_title(spec: CredentialField) -> str:
    """How messages name a credential field: the CLI's established names for the classic three
    (scripts may match on them), the venue's translated label for the others."""
    return field_title(spec.name) if spec.name in _CLASSIC_VARIABLES else spec.display_label()


def credentials_help() -> str:
    """For ``keys add --help`` and ``keys edit --help``: where credentials come from, and every
    venue's fields in their order."""
    intro = _t(
        "Credentials are never taken from the command line. They come from environment variables, "
        "else from standard input: piped in, one field per line in the order listed below; on a "
        "terminal, asked for one by one (secret fields without echo). A multi-line field (a PEM "
        "private key) goes on one line, with \\n for each line break. Set the variables of all "
        "required fields, or of none."
    )
    lines = [textwrap.fill(intro, HELP_WIDTH), "", _t("Fields in order, with their variables:")]
    for info in venue_infos():
        fields = ", ".join(_field_help(spec) for spec in info.credentials)
        lines.append(
            textwrap.fill(f"{info.id}: {fields}", HELP_WIDTH, initial_indent="  ", subsequent_indent="      ")
        )
    return "\n".join(lines)


def _field_help(spec: CredentialField) -> str:
    notes = [env_variable(spec.name)]
    if not spec.required:
        notes.append(_t("optional"))
    if spec.multiline:
        notes.append(_t("multi-line"))
    return f"{spec.display_label()} ({', '.join(notes)})"


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _prompt(ctx: Context, spec: CredentialField) -> str:
    notes = []
    if spec.multiline:
        notes.append(_t("on one line, \\n for each line break"))
    if not spec.required:
        notes.append(_t("optional, Enter to skip"))
    label = spec.display_label()
    text = f"{label} ({'; '.join(notes)}): " if notes else f"{label}: "
    if spec.secret:
        return getpass.getpass(text, stream=ctx.err)
    ctx.err.write(text)
    ctx.err.flush()
    return ctx.stdin.readline()


def _unescaped(values: Mapping[str, str], fields: tuple[CredentialField, ...]) -> dict[str, str]:
    """Multi-line fields with their literal ``\\n`` escapes turned into line breaks."""
    multiline = {spec.name for spec in fields if spec.multiline}
    return {
        name: value.replace("\\n", "\n") if name in multiline else value for name, value in values.items()
    }


def read_credentials(ctx: Context, info: VenueInfo) -> Credentials:
    """The venue's credential fields from the environment, else standard input, cleaned."""
    fields = info.credentials
    variables = [env_variable(spec.name) for spec in fields]
    order = ", ".join(spec.display_label() for spec in fields)  # as in --help and the prompts
    from_env = {spec.name: os.environ.get(env_variable(spec.name), "") for spec in fields}
    if any(from_env.values()):
        missing = [env_variable(s.name) for s in fields if s.required and not from_env[s.name]]
        if missing:
            raise CliError(
                _t("Only some of the credential variables are set; missing: {missing}").format(
                    missing=", ".join(missing)
                ),
                _t("Set {variables}, or none of them to read the fields from standard input.").format(
                    variables=", ".join(variables)
                ),
            )
        values, source = from_env, "environment"
    elif _is_tty(ctx.stdin):
        values, source = {spec.name: _prompt(ctx, spec) for spec in fields}, "terminal"
    else:
        values, source = {spec.name: ctx.stdin.readline() for spec in fields}, "pipe"
        if not any(value.strip() for value in values.values()):
            raise CliError(
                _t("No API key and secret given"),
                _t("Set {variables}, or pipe the fields in, one per line in this order: {order}.").format(
                    variables=", ".join(variables), order=order
                ),
            )
    try:
        return clean_credential_fields(_unescaped(values, fields), fields)
    except KeyInputError as exc:
        spec = info.credential(exc.field_name)
        title = input_title(spec) if spec is not None else field_title(exc.field_name)
        if source == "environment":
            hint = _t("It was read from {variable}.").format(variable=env_variable(exc.field_name))
        elif source == "pipe":
            line = 1 + [s.name for s in fields].index(exc.field_name)
            hint = _t(
                "It was read from line {line} of standard input; the fields go one per line in this "
                "order: {order}."
            ).format(line=line, order=order)
        else:
            hint = ""
        raise CliError(f"{title}: {exc.message}", hint) from None
