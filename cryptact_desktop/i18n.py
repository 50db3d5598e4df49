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


def install_translator(translator: Callable[[str, str], str] | None) -> None:
    """Route :func:`translate` through ``translator(context, text)``; ``None`` restores identity."""
    global _translator
    _translator = translator
    _cache.clear()


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
