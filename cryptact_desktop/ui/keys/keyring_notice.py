"""What the key forms say about the keyring before anything is typed into them.

:meth:`SecretStore.status` is asked when a key form opens (it does not touch a stored secret):

* no keyring can store the secret safely (none running, or keyring picked a file backend by
  itself): the form is not offered; the notice says why and what to do instead;
* the user chose an insecure backend in keyring's own configuration: the form is offered, with a
  warning that stays for as long as the dialog is open (the main window shows it permanently too).
"""

from __future__ import annotations

import html
import logging

from PySide6.QtWidgets import QLabel

from cryptact_desktop.secrets import BackendTrust, KeyringStatus, SecretStore
from cryptact_desktop.ui.widgets import ERROR_STYLE, WARNING_STYLE, styled_label

log = logging.getLogger(__name__)


def keyring_status(secrets: SecretStore) -> KeyringStatus:
    """The keyring's status; a failing check reads as "no usable keyring" rather than a crash."""
    try:
        return secrets.status()
    except Exception as exc:  # status() reports problems itself; this is a last resort
        log.warning("keyring status failed: %s", type(exc).__name__)
        return KeyringStatus(False, False, False, "", BackendTrust.NONE, "", str(type(exc).__name__), "")


def blocks_new_keys(status: KeyringStatus) -> bool:
    """No key can be saved: the form must not be offered."""
    return not status.usable


def needs_warning(status: KeyringStatus) -> bool:
    """Keys can be saved, but outside the system keyring (the user's explicit choice)."""
    return status.usable and status.insecure


def notice_label(status: KeyringStatus, name: str = "keyringNotice") -> QLabel | None:
    """A message box for ``status`` (hidden: show it once it is in a layout), or None when all
    is well."""
    if blocks_new_keys(status):
        label = styled_label(ERROR_STYLE, name)
    elif needs_warning(status):
        label = styled_label(WARNING_STYLE, name)
    else:
        return None
    text = f"<b>{html.escape(status.message, quote=False)}</b>"
    if status.hint:
        text += f"<br>{html.escape(status.hint, quote=False)}"
    label.setText(text)
    label.setAccessibleName(status.message)
    return label
