"""The demo exchanges of a ``--demo`` run, for the dialogs that walk a newcomer through them.

``run_gui --demo`` registers each started demo simulator here. Then:

* the key dialog of a demo venue preselects "Demo exchange (this computer)" as its API site and
  shows a demo key to paste (:func:`offer_demo_key`) — "+" → Manage your API keys → a demo venue →
  Add key works without a real account or the command line;
* the import dialog offers a sample download file of the demo exchange (:func:`offer_sample_file`).

Outside a demo nothing is registered and both hooks do nothing.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cryptact_desktop.ui.widgets import INFO_STYLE, exchange_name
from cryptact_desktop.venues.registry import CUSTOM_HOST
from cryptact_desktop.venues.venue import DemoAccount, DemoExchange

log = logging.getLogger(__name__)

_DEMOS: dict[str, DemoExchange] = {}
_SAMPLES: dict[str, Path] = {}


def register(exchange_id: str, demo: DemoExchange) -> None:
    _DEMOS[exchange_id] = demo


def clear() -> None:
    _DEMOS.clear()
    _SAMPLES.clear()


def demo_for(exchange_id: str) -> DemoExchange | None:
    return _DEMOS.get(exchange_id)


def _tr(text: str) -> str:
    return QCoreApplication.translate("DemoSession", text)


def demo_key(demo: DemoExchange) -> DemoAccount | None:
    """The credentials to paste: the demo's spare account, else its first working one."""
    return demo.spare or (demo.accounts[0] if demo.accounts else None)


def offer_demo_key(form: QWidget) -> QWidget | None:
    """In a demo, on a new key's form (a ``KeyForm``): preselect the demo exchange as the API site
    and put a box with the demo key above the fields, with a button that fills them in."""
    info, site = form.info, form.site  # type: ignore[attr-defined]
    demo = demo_for(info.id)
    account = demo_key(demo) if demo is not None else None
    if demo is None or account is None:
        return None
    site.host_combo.insertItem(0, _tr("Demo exchange (this computer)"), CUSTOM_HOST)
    site.host_combo.setCurrentIndex(0)
    site.custom_url_edit.setText(demo.base_url)
    box = QWidget()
    box.setObjectName("demoKeyBox")
    text = QLabel()
    text.setObjectName("demoKeyLabel")
    text.setStyleSheet(INFO_STYLE)
    text.setWordWrap(True)
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    lines = [_tr("Demo mode: paste this simulated read-only key of the demo exchange.")]
    lines += [
        f"{field.display_label()}: {account.credentials[field.name]}"
        for field in info.credentials
        if account.credentials.get(field.name)
    ]
    text.setText("\n".join(lines))
    fill = QPushButton(_tr("Paste the &demo key"))
    fill.setObjectName("pasteDemoKeyButton")
    fill.setAutoDefault(False)
    fill.clicked.connect(lambda: _fill(form, account))
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(text, 1)
    row.addWidget(fill, 0, Qt.AlignmentFlag.AlignTop)
    form.form.insertRow(0, box)  # type: ignore[attr-defined]
    return box


def _fill(form: QWidget, account: DemoAccount) -> None:
    for name, value in account.credentials.items():
        widget = form.findChild(QWidget, f"credential_{name}")
        if widget is None:
            continue
        widget.setFocus()
        if hasattr(widget, "setPlainText"):
            widget.setPlainText(value)
        else:
            widget.setText(value)
            widget.textEdited.emit(value)


def sample_file(exchange_id: str) -> Path | None:
    """The demo exchange's sample download file (written once per run), or None."""
    if exchange_id in _SAMPLES:
        return _SAMPLES[exchange_id]
    demo = demo_for(exchange_id)
    if demo is None:
        return None
    try:
        path = demo.sample_file(Path(tempfile.mkdtemp(prefix="cryptact-demo-files-")))
    except OSError:
        log.warning("could not write the demo's sample file", exc_info=True)
        return None
    if path is not None:
        _SAMPLES[exchange_id] = path
    return path


def offer_sample_file(dialog: QWidget, layout: QVBoxLayout, exchange_id: str | None) -> QWidget | None:
    """In a demo, on the import dialog: a line offering the demo exchange's sample file."""
    candidates = [exchange_id] if exchange_id else list(_DEMOS)
    for candidate in candidates:
        if demo_for(candidate) is None:
            continue
        box = QWidget()
        box.setObjectName("demoSampleBox")
        label = QLabel(
            _tr("Demo mode: try a sample {exchange} export file.").format(exchange=exchange_name(candidate))
        )
        label.setWordWrap(True)
        button = QPushButton(_tr("Use the &sample file"))
        button.setObjectName("useSampleFileButton")
        button.setAutoDefault(False)

        def use(_checked: bool = False, venue: str = candidate) -> None:
            path = sample_file(venue)
            if path is not None:
                dialog.set_file(path)  # type: ignore[attr-defined]

        button.clicked.connect(use)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label, 1)
        row.addWidget(button)
        layout.insertWidget(2, box)
        return box
    return None
