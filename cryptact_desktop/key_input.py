"""What a person types for a key, checked before anything is stored: the label.

:class:`KeyInputError` names the field and says what is wrong; the GUI shows it under the field,
the CLI prints it. (Credential fields are checked by ``service.clean_credential_fields``.)
"""

from __future__ import annotations

import unicodedata

from cryptact_desktop.i18n import translate

MAX_LABEL_LENGTH = 60
# Control (Cc), format (Cf: right-to-left overrides, zero-width characters), surrogate,
# private-use and unassigned characters, and line/paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class KeyInputError(ValueError):
    """A field of a new or edited key is empty or malformed (caught before any network call)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


def clean_label(label: str) -> str:
    """The label trimmed, or :class:`KeyInputError` when it is empty, longer than
    :data:`MAX_LABEL_LENGTH` characters or holds a line break or an invisible character."""
    value = label.strip()
    if not value:
        raise KeyInputError("label", translate("keys", "This field is required."))
    if any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in value):
        raise KeyInputError(
            "label",
            translate(
                "keys",
                "Contains a line break or an invisible character (such as a right-to-left mark): "
                "type the label again.",
            ),
        )
    if len(value) > MAX_LABEL_LENGTH:
        raise KeyInputError(
            "label",
            translate("keys", "At most {limit} characters, please.").format(limit=MAX_LABEL_LENGTH),
        )
    return value
