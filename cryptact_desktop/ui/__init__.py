"""The Qt (PySide6) desktop app. Every Qt import of the project lives in this package.

Nothing outside ``cryptact_desktop.ui`` imports Qt (``tests/test_layers.py`` proves it): the
widgets here only render the core's frozen data (``state``) and send intents to
:class:`~cryptact_desktop.service.AppService` and :class:`~cryptact_desktop.store.Store`; they
never talk HTTP or SQL themselves.

Where things are:

* ``app`` (start-up), ``tray``, ``crash``, ``single_instance``, ``icons``, ``self_check``.
* ``sync_controller``: key syncs, one worker thread per running key.
* ``background``: every other piece of work off the GUI thread (a key check, a file preview, an
  export), with success/failure callbacks on it — Anki's ``QueryOp`` idea.
* ``widgets``: the small shared pieces (message labels, hints, busy row, file chooser, names).
* ``main/``: the main window — frame, action table, keys page, key commands, settings dialog.
* ``keys/``: the keys tree (model, cells, presenter) and the key dialogs — add/edit (its form
  built from the venue's ``CredentialField`` declarations), attach, remove, the venue picker.
* ``files/``: import a download file, reconcile it with the API, coverage timeline.
* ``transactions/``: the transactions table model and its view.
* ``assistant/``: the Assistant wizard and its pages.
* ``export_dialog``: the Cryptact file export.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

# Far more headroom than any process can use up: 2**40 lost references.
_PIN = 1 << 40


class _Probe(QObject):
    signal = Signal()


def _binding_loses_references() -> bool:
    """Whether this PySide6 build hands out ``None``/``True`` without taking a reference.

    PySide6 6.12.0 on CPython 3.11 does: every ``void`` method returns ``None`` and every
    ``SignalInstance.emit()`` returns ``True`` without the increment CPython < 3.12 needs (3.12
    made these objects immortal, so the wheel gets away with it there). Each call then drops one
    reference that was never taken, and after a few thousand calls CPython aborts with
    "none_dealloc: deallocating None" or "bool_dealloc". Measured here, not assumed from a
    version number.
    """
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(8):
        probe.setObjectName("probe")
        probe.signal.emit()
    return sys.getrefcount(None) < none_before or sys.getrefcount(True) < true_before


def _pin_singletons() -> None:
    """Make ``None``, ``True`` and ``False`` effectively immortal, as CPython 3.12+ does itself.

    These objects are never deallocated in a working interpreter; raising their reference
    counts by 2**40 only keeps the binding's missing increments from ever reaching zero.
    """
    for value in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(value))
        refcount.value += _PIN


if (
    sys.implementation.name == "cpython"
    and sys.version_info < (3, 12)
    and sys.getrefcount(None) < _PIN
    and _binding_loses_references()
):
    _pin_singletons()
