"""One translation helper for user-visible strings produced by the core.

The core never imports Qt. The GUI installs Qt's ``QCoreApplication.translate`` with
:func:`install_translator` at start-up, so every core message goes through the same ``.ts`` files
as the widgets' own ``tr()`` strings. Without a GUI (CLI, tests) the source text is returned.

Call sites pass a context (the module's area, e.g. ``"errors"``) and a literal source text, the
same shape as ``QCoreApplication.translate(context, text)`` so ``pyside6-lupdate`` finds them.
"""

from __future__ import annotations

from collections.abc import Callable

_translator: Callable[[str, str], str] | None = None
# (context, text) -> translation: an export asks for the same few texts once per row.
_cache: dict[tuple[str, str], str] = {}
_CACHE_LIMIT = 20_000


_child_setup: Callable[[], None] | None = None


def install_translator(
    translator: Callable[[str, str], str] | None, *, child_setup: Callable[[], None] | None = None
) -> None:
    """Route :func:`translate` through ``translator(context, text)``; ``None`` restores identity.

    ``child_setup``: a picklable call (a module-level function or a ``partial`` of one) that
    installs the same translation in a child process — a sync runs in one and words its failures
    there (see :mod:`cryptact_desktop.sync_process`).
    """
    global _translator, _child_setup
    _translator = translator
    _child_setup = child_setup if translator is not None else None
    _cache.clear()


def child_setup() -> Callable[[], None] | None:
    """What a child process runs first to translate as this process does (None: English)."""
    return _child_setup


def translatable(context: str, text: str) -> str:
    """Mark ``text`` for the translation files and return it unchanged (Qt's ``QT_TRANSLATE_NOOP``).

    For a text made where it is not shown — a demo account's label is made in the demo's child
    process — and translated with :func:`translate` and the same ``context`` where it is.
    """
    del context
    return text


def translate(context: str, text: str) -> str:
    """Return the user's-language version of ``text`` (the English source when untranslated)."""
    if _translator is None:
        return text
    found = _cache.get((context, text))
    if found is None:
        found = _translator(context, text)
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[(context, text)] = found
    return found
