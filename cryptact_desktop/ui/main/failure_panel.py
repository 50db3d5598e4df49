"""The "API keys" tab: the keys tree and, under it, the selected key's failure in full.

The tree's Details column is one line per row and elides long text; a failure's reason and its
fix do not fit. The panel shows them whole (word-wrapped, selectable), with the exchange's error
code, for the selected key — or for the endpoint selected, when its failure differs from the
key's. It hides when the selection has nothing failed.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cryptact_desktop.errors import Failure
from cryptact_desktop.state import EndpointStatus
from cryptact_desktop.ui.keys import presenter as p
from cryptact_desktop.ui.keys.cells import Roles
from cryptact_desktop.ui.keys.tree_model import KeyTreeModel
from cryptact_desktop.ui.widgets import ERROR_STYLE


class FailurePanel(QLabel):
    def __init__(self, tree: QWidget, model: KeyTreeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("failurePanel")
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._tree = tree
        self._model = model
        # The model writes a row's cells one by one, each with its own dataChanged (a key of 16
        # endpoints: ~200 at the end of a sync): the panel looks once they are all written, when
        # the window's event loop next runs (a look per signal took 10-20 ms of the window's time).
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.refresh)
        tree.selectionModel().currentChanged.connect(self.refresh)  # type: ignore[attr-defined]
        model.dataChanged.connect(self._refresh_soon)
        model.modelReset.connect(self._refresh_soon)
        model.rowsInserted.connect(self._refresh_soon)
        self.hide()

    def _refresh_soon(self, *_args: object) -> None:
        if not self._later.isActive():
            self._later.start()

    def refresh(self, *_args: object) -> None:
        index: QModelIndex = self._tree.currentIndex()  # type: ignore[attr-defined]
        found = self._failure_at(index)
        if found is None:
            self.hide()
            self.clear()
            return
        title, failure = found
        text = f"<b>{html.escape(title)}</b>: {html.escape(failure.message)}"
        if failure.code:
            text += f" [{html.escape(failure.code)}]"
        if failure.hint:
            text += f"<br>{html.escape(failure.hint)}"
        if self.text() != text:
            self.setText(text)
        self.show()

    def _failure_at(self, index: QModelIndex) -> tuple[str, Failure] | None:
        node = self._model.node_at(index)
        if node is None or node.running:
            return None
        title = p.key_title(node.key)
        endpoint = str(index.data(Roles.EndpointIdRole) or "")
        if endpoint and endpoint in node.endpoints:  # an endpoint row: its own failure
            state = node.key.endpoint(endpoint)
            if p.display_status(state) is EndpointStatus.FAILED and state.failure is not None:
                return f"{title} · {p.endpoint_name(node, endpoint)}", state.failure
        common = p.shared_failure(node)
        if common is not None:
            return title, common
        failed = [
            f
            for e in node.endpoints
            if p.display_status(node.key.endpoint(e)) is EndpointStatus.FAILED
            and (f := node.key.endpoint(e).failure) is not None
        ]
        return (title, failed[0]) if len({(f.message, f.hint) for f in failed}) == 1 else None


def build_keys_page(tree: QWidget, model: KeyTreeModel, parent: QWidget | None = None) -> QWidget:
    """The tab's page: the tree, then the failure panel."""
    page = QWidget(parent)
    page.setObjectName("keysPage")
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    layout.addWidget(tree, 1)
    page.failure_panel = FailurePanel(tree, model, page)  # type: ignore[attr-defined]
    layout.addWidget(page.failure_panel)  # type: ignore[attr-defined]
    return page
