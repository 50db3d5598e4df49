"""What the user says an outgoing transfer was, when no deposit of theirs matches it.

Nothing is guessed: an unmatched withdrawal stays *unclassified* until the user picks one of these,
and the export warns how many are left. Each classification decides the export (see
``docs/cryptact-mapping.md``): the network fee is always SENDFEE; the amount itself is nothing
(own coins moved), PAY (a sale at market price), REDUCE (a gift: fewer coins, no profit) or LOSS.
"""

from __future__ import annotations

import enum

from cryptact_desktop.i18n import translate


class TransferClass(enum.StrEnum):
    OWN = "own"  # sent to another wallet or account of mine that the app does not read
    SOLD = "sold"  # sold or paid for something
    GIFT = "gift"  # given away
    LOST = "lost"  # lost or stolen


_LABELS = {
    TransferClass.OWN: "Sent to my other wallet or account",
    TransferClass.SOLD: "Sold or paid for something",
    TransferClass.GIFT: "Gift",
    TransferClass.LOST: "Lost or stolen",
}


def class_label(value: TransferClass | None) -> str:
    """The classification in the user's language (None: "Not classified")."""
    if value is None:
        return translate("transfers", "Not classified")
    return translate("transfers", _LABELS[value])


def parse_class(text: str) -> TransferClass | None:
    """``"own"`` -> OWN; ``""`` / ``"none"`` -> None (clear); raises ValueError otherwise."""
    value = text.strip().lower()
    if value in ("", "none"):
        return None
    try:
        return TransferClass(value)
    except ValueError:
        names = ", ".join(item.value for item in TransferClass)
        raise ValueError(
            translate("transfers", "Unknown classification {value}: use one of {names}, or none.").format(
                value=text.strip(), names=names
            )
        ) from None
