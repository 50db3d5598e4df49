"""``transfers``: own transfers matched across keys and wallets, the outgoing transfers nothing
matched, and ``transfers classify`` to say what one of those was (or that a matched withdrawal was
not an own transfer after all: sold, gift or lost takes it out of its pair)."""

from __future__ import annotations

from typing import Any

from cryptact_desktop.cli.context import EXIT_OK, CliError, Context
from cryptact_desktop.cli.render import iso, local, table
from cryptact_desktop.i18n import translate
from cryptact_desktop.state import KeyConfig, TransactionView
from cryptact_desktop.transfers.book import TransferBook, classify, transfer_book
from cryptact_desktop.transfers.classes import TransferClass, class_label, parse_class
from cryptact_desktop.transfers.matching import MatchMethod
from cryptact_desktop.venues.base import short_address


def _t(text: str) -> str:
    return translate("cli", text)


def _method(method: MatchMethod) -> str:
    return _t("tx hash") if method is MatchMethod.TX_HASH else _t("amount and time")


def _entry_json(view: TransactionView, keys: dict[int, KeyConfig]) -> dict[str, Any]:
    key = keys.get(view.key_id)
    return {
        "id": view.id,
        "key_id": view.key_id,
        "key": key.label if key else "",
        "time": iso(view.timestamp_ms),
        "asset": view.base,
        "amount": view.amount,
        "fee": view.fee,
        "fee_currency": view.fee_currency,
        "tx_hash": view.tx_hash,
    }


def _label(keys: dict[int, KeyConfig], key_id: int) -> str:
    key = keys.get(key_id)
    return key.label if key else str(key_id)


def cmd_transfers_list(ctx: Context) -> int:
    book = transfer_book(ctx.store)
    keys = {k.id: k for k in ctx.store.list_keys()}
    if ctx.json:
        ctx.emit_json(
            {
                "own_transfers": [
                    {
                        "sent": _entry_json(p.sent, keys),
                        "received": _entry_json(p.received, keys),
                        "matched_by": p.method.value,
                    }
                    for p in book.pairs
                ],
                "unmatched": [
                    {
                        **_entry_json(v, keys),
                        "classification": (c.value if (c := book.classification(v)) else None),
                    }
                    for v in book.unmatched
                ],
            }
        )
        return EXIT_OK
    _say_pairs(ctx, book, keys)
    _say_unmatched(ctx, book, keys)
    return EXIT_OK


def _say_pairs(ctx: Context, book: TransferBook, keys: dict[int, KeyConfig]) -> None:
    ctx.say(
        _t("Own transfers (one withdrawal and the deposit it became): {count}").format(count=len(book.pairs))
    )
    if book.pairs:
        headers = [_t("ID"), _t("Sent"), _t("Asset"), _t("Amount"), _t("Fee"), _t("From"), _t("To")]
        headers.append(_t("Matched by"))
        rows = [
            [
                str(p.sent.id),
                local(p.sent.timestamp_ms),
                p.sent.base,
                p.sent.amount,
                p.sent.fee or "0",
                _label(keys, p.sent.key_id),
                _label(keys, p.received.key_id),
                _method(p.method),
            ]
            for p in book.pairs
        ]
        ctx.out.write(table(headers, rows, indent="  "))
        ctx.say(_t("Not an own transfer after all? transfers classify ID sold|gift|lost takes it out."))


def _say_unmatched(ctx: Context, book: TransferBook, keys: dict[int, KeyConfig]) -> None:
    ctx.say(
        _t("Outgoing transfers that match no deposit of yours: {count} ({open} not classified)").format(
            count=len(book.unmatched), open=len(book.unclassified)
        )
    )
    if not book.unmatched:
        return
    headers = [
        _t("ID"),
        _t("Sent"),
        _t("Key"),
        _t("Asset"),
        _t("Amount"),
        _t("Fee"),
        _t("Tx hash"),
        _t("Class"),
    ]
    rows = [
        [
            str(v.id),
            local(v.timestamp_ms),
            _label(keys, v.key_id),
            v.base,
            v.amount,
            v.fee or "0",
            short_address(v.tx_hash) if v.tx_hash else "-",
            class_label(book.classification(v)),
        ]
        for v in book.unmatched
    ]
    ctx.out.write(table(headers, rows, indent="  "))
    if book.unclassified:
        ctx.say(
            _t("Say what each was: transfers classify ID {classes} (or none to clear).").format(
                classes="|".join(c.value for c in TransferClass)
            )
        )


def cmd_transfers_classify(ctx: Context) -> int:
    a = ctx.args
    try:
        value = parse_class(a.classification)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    book = transfer_book(ctx.store)
    try:
        view = book.outgoing(int(a.transfer))
    except ValueError:
        view = None
    if view is None:
        raise CliError(
            _t("{id} is not an outgoing transfer of yours").format(id=a.transfer),
            _t("`transfers` lists them with their IDs."),
        )
    classify(ctx.store, view, value)
    if ctx.json:
        ctx.emit_json({"id": view.id, "classification": value.value if value else None})
    else:
        ctx.say(_t("Transfer {id}: {label}").format(id=view.id, label=class_label(value)))
    return EXIT_OK
