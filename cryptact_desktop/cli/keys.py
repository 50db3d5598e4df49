"""``keys add|list|edit|remove``: the API keys, their settings and their credentials."""

from __future__ import annotations

from cryptact_desktop.cli.arguments import (
    check_label,
    default_endpoints,
    exchange_info,
    parse_endpoints,
    parse_when,
    resolve_host,
    resolve_key,
)
from cryptact_desktop.cli.context import EXIT_OK, CliError, Context
from cryptact_desktop.cli.credential_input import read_credentials
from cryptact_desktop.cli.render import (
    host_text,
    key_json,
    local,
    status_text,
    sync_from_text,
    table,
    verification_json,
    yes_no,
)
from cryptact_desktop.credentials import Credentials
from cryptact_desktop.i18n import translate
from cryptact_desktop.service import SameAccountKeyError
from cryptact_desktop.state import NewKey, TransactionFilter
from cryptact_desktop.sync.connector import KeyVerification
from cryptact_desktop.venues.base import VenueInfo


def _t(text: str) -> str:
    return translate("cli", text)


def _check_keyring(ctx: Context) -> None:
    """Refuse before any secret is typed if it could not be kept; warn (on stderr) when it would
    be kept outside the system keyring by the user's own choice."""
    ctx.secrets.check_usable()
    status = ctx.secrets.status()
    if status.insecure:
        ctx.note(_t("WARNING: {message} — {hint}").format(message=status.message, hint=status.hint))


def _verify(
    ctx: Context, info: VenueInfo, host_id: str, base_url: str, creds: Credentials
) -> KeyVerification:
    """Ask the exchange about the key; print what it says (warnings on stderr)."""
    verification = ctx.service.verify(info.id, host_id, base_url, creds)
    warnings = list(verification.warnings)
    if not verification.valid:
        warnings.insert(
            0, _t("{exchange} did not confirm that this key is valid.").format(exchange=info.name)
        )
    if not verification.read_only and not verification.warnings:
        warnings.append(_t("This key is not read-only. This app only reads; a read-only key is safer."))
    for warning in warnings:
        ctx.note(_t("WARNING: {warning}").format(warning=warning))
    if ctx.json:
        return verification
    if verification.is_master is None:
        account = ""
    else:
        account = _t("main account") if verification.is_master else _t("sub-account")
    permissions = ", ".join(verification.permissions) or _t("(none reported)")
    rows = [
        (_t("Read-only"), yes_no(verification.read_only)),
        (_t("Permissions"), permissions),
        (_t("Account UID"), f"{verification.user_id or '-'} {f'({account})' if account else ''}".strip()),
        (_t("IP restricted"), yes_no(verification.ip_restricted)),
        (_t("Expires"), local(verification.expires_at_ms, _t("no expiry reported"))),
    ]
    ctx.say(_t("Key verified with {exchange}:").format(exchange=info.name))
    for name, value in rows:
        ctx.say(f"  {name + ':':<15} {value}")
    for note in verification.notes:
        ctx.say(_t("Note: {note}").format(note=note))
    return verification


def cmd_keys_add(ctx: Context) -> int:
    a = ctx.args
    info = exchange_info(a.exchange)
    store = ctx.store
    label = check_label(store, a.label)
    host_id, base_url = resolve_host(info, a.host, a.base_url)
    endpoints = parse_endpoints(info, a.endpoints) if a.endpoints is not None else default_endpoints(info)
    sync_from = parse_when(a.sync_from) if a.sync_from else None
    subaccount = (a.subaccount or "").strip()
    if subaccount and not info.supports_subaccounts:
        raise CliError(_t("{exchange} has no sub-accounts").format(exchange=info.name))
    _check_keyring(ctx)  # before asking for the secret: it could not be kept anyway
    creds = read_credentials(ctx, info)
    verification = None if a.no_verify else _verify(ctx, info, host_id, base_url, creds)
    if verification is not None:
        existing = ctx.service.same_account_key(info.id, verification.user_id, subaccount)
        if existing is not None:
            error = SameAccountKeyError(existing, verification.user_id)
            if not a.replace:
                raise CliError(
                    error.message,
                    _t(
                        "Run the same command with --replace to give key {id} this API key (its "
                        "history is kept), or remove key {id} first: two keys of one account would "
                        "fetch and count everything twice."
                    ).format(id=existing.id),
                )
            key = ctx.service.replace_credentials(existing.id, creds, verification)
            if ctx.json:
                ctx.emit_json(
                    {
                        "id": key.id,
                        "replaced": True,
                        "key": key_json(key),
                        "verification": verification_json(verification),
                    }
                )
            else:
                ctx.say(
                    _t(
                        "Replaced the API key of key {id} ({label}): the same account. Its history is kept."
                    ).format(id=key.id, label=key.label)
                )
            return EXIT_OK
    key = ctx.service.add_key(
        NewKey(
            exchange=info.id,
            label=label,
            host_id=host_id,
            endpoints=endpoints,
            subaccount=subaccount,
            base_url=base_url,
            sync_from_ms=sync_from,
            key_hint=creds.key_hint,
        ),
        creds,
        verification,
    )
    if ctx.json:
        ctx.emit_json(
            {
                "id": key.id,
                "key": key_json(key),
                "verification": verification_json(verification) if verification else None,
            }
        )
    else:
        ctx.say(_t("Saved key {id}: {label}").format(id=key.id, label=key.label))
        ctx.say(_t("Endpoints: {endpoints}").format(endpoints=", ".join(key.enabled_endpoints)))
    return EXIT_OK


def cmd_keys_list(ctx: Context) -> int:
    keys = ctx.store.list_keys()
    if ctx.json:
        ctx.emit_json([key_json(k) for k in keys])
        return EXIT_OK
    if not keys:
        ctx.say(_t("No keys yet. Add one with `keys add`."))
        return EXIT_OK
    headers = [
        _t("ID"),
        _t("Exchange"),
        _t("Label"),
        _t("Subaccount"),
        _t("Host"),
        _t("Sync from"),
        _t("Paused"),
        _t("Endpoints"),
        _t("Status"),
        _t("Last sync"),
        _t("Records"),
    ]
    rows = [
        [
            str(k.id),
            k.exchange,
            k.label,
            k.subaccount or "-",
            host_text(k),
            sync_from_text(k.sync_from_ms),
            yes_no(k.paused),
            ",".join(k.enabled_endpoints) or "-",
            status_text(k.status),
            local(k.last_success_ms),
            str(k.record_count),
        ]
        for k in keys
    ]
    ctx.out.write(table(headers, rows))
    return EXIT_OK


def cmd_keys_edit(ctx: Context) -> int:
    a = ctx.args
    store = ctx.store
    key = resolve_key(store, a.key)
    info = exchange_info(key.exchange)
    label = check_label(store, a.label, except_id=key.id) if a.label is not None else None
    subaccount = a.subaccount.strip() if a.subaccount is not None else None
    if subaccount and not info.supports_subaccounts:
        raise CliError(_t("{exchange} has no sub-accounts").format(exchange=info.name))
    host_id: str | None = None
    base_url: str | None = None
    if a.host is not None or a.base_url is not None:
        host_id, base_url = resolve_host(info, a.host, a.base_url)
    endpoints = parse_endpoints(info, a.endpoints) if a.endpoints is not None else None
    sync_from: int | None = parse_when(a.sync_from) if a.sync_from else None
    change_sync_from = bool(a.sync_from) or a.clear_sync_from
    paused = True if a.pause else (False if a.resume else None)
    changes = [label, subaccount, host_id, endpoints, paused]
    if all(c is None for c in changes) and not change_sync_from and not a.new_credentials:
        raise CliError(_t("Nothing to change"), _t("Give at least one option; see `keys edit --help`."))

    if a.new_credentials:
        _check_keyring(ctx)
        creds = read_credentials(ctx, info)
        verification = None
        if not a.no_verify:
            verification = _verify(
                ctx,
                info,
                host_id if host_id is not None else key.host_id,
                base_url if base_url is not None else key.base_url,
                creds,
            )
            before = key.verification.exchange_user_id
            if before and verification.user_id and verification.user_id != before:
                ctx.note(
                    _t(
                        "WARNING: the new key belongs to another {exchange} account (UID {new}, was {old})."
                    ).format(exchange=info.name, new=verification.user_id, old=before)
                )
        ctx.service.replace_credentials(key.id, creds, verification)

    if change_sync_from:
        store.update_key(key.id, sync_from_ms=sync_from)
    updated = store.update_key(
        key.id,
        label=label,
        subaccount=subaccount,
        host_id=host_id,
        base_url=base_url,
        paused=paused,
        endpoints=endpoints,
    )
    if ctx.json:
        ctx.emit_json({"id": updated.id, "key": key_json(updated)})
    else:
        ctx.say(_t("Updated key {id}: {label}").format(id=updated.id, label=updated.label))
        if a.new_credentials:
            ctx.say(_t("The API key and secret were replaced."))
    return EXIT_OK


def cmd_keys_remove(ctx: Context) -> int:
    a = ctx.args
    store = ctx.store
    key = resolve_key(store, a.key)
    count = store.count_transactions(TransactionFilter(key_ids=(key.id,)))
    delete = bool(a.delete_transactions)
    ctx.service.remove_key(key.id, delete_transactions=delete)
    if ctx.json:
        ctx.emit_json(
            {"id": key.id, "label": key.label, "transactions": count, "transactions_deleted": delete}
        )
    elif delete:
        ctx.say(
            _t("Removed key {id} ({label}) and its {count} transactions.").format(
                id=key.id, label=key.label, count=count
            )
        )
    else:
        ctx.say(
            _t(
                "Removed key {id} ({label}); its {count} transactions were kept (the key stays listed, "
                "paused, as removed)."
            ).format(id=key.id, label=key.label, count=count)
        )
    return EXIT_OK
