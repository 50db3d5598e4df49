"""The user's language: which translation to load, and its compiled ``.qm`` file.

The translations are Qt Linguist files in ``cryptact_desktop/ui/translations/`` (``.ts``, the
source a translator edits; ``tools/translations.py update`` keeps them in step with the code).
Qt loads compiled ``.qm`` files. They are made by ``pyside6-lrelease`` (part of
PySide6-Essentials, a dependency of the app):

* at build time — ``build_installer.spec`` and a wheel build compile them into the package;
* otherwise (a source checkout, an editable install) at first use: the ``.ts`` is compiled once
  into the user's cache folder, named after the ``.ts`` file's content hash, so an edited ``.ts``
  is compiled again and an unchanged one is never.

The language follows the system (``QLocale.system()``) unless the user chose one in Settings
(``ui/language`` in QSettings: ``""`` = the system's, ``"en"``, ``"ja"``); the choice applies
from the next start. Qt's own dialogs (``qtbase_*.qm``) use the same language, and dates and
numbers follow it through ``QLocale.setDefault``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from cryptact_desktop import APP_NAME, ORGANIZATION, ORGANIZATION_DOMAIN, i18n

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
BASENAME = "cryptact_desktop"
SETTINGS_LANGUAGE = "ui/language"
# The languages the app ships (code → the language's own name, shown in Settings).
LANGUAGES = {"en": "English", "ja": "日本語"}


def lrelease_tool() -> Path | None:
    """Qt's ``lrelease`` as shipped inside PySide6-Essentials."""
    import PySide6

    folder = Path(PySide6.__file__).resolve().parent
    for name in ("lrelease.exe", "lrelease") if sys.platform == "win32" else ("lrelease",):
        if (folder / name).is_file():
            return folder / name
    return None


def compile_ts(ts: Path, qm: Path) -> bool:
    """``lrelease ts -qm qm``; False (logged) when the tool is missing or fails."""
    tool = lrelease_tool()
    if tool is None:
        log.warning("pyside6-lrelease not found: %s stays untranslated", ts.name)
        return False
    qm.parent.mkdir(parents=True, exist_ok=True)
    partial = qm.with_suffix(f".{os.getpid()}.tmp")
    result = subprocess.run(  # noqa: S603 - Qt's own tool on our files
        [str(tool), "-silent", str(ts), "-qm", str(partial)], capture_output=True, timeout=120, check=False
    )
    if result.returncode != 0 or not partial.exists():
        log.warning("lrelease failed on %s (exit %s)", ts.name, result.returncode)
        partial.unlink(missing_ok=True)
        return False
    partial.replace(qm)
    return True


def _cache_dir() -> Path:
    from platformdirs import user_cache_path

    override = os.environ.get("CRYPTACT_DESKTOP_CACHE_DIR")
    return Path(override) if override else user_cache_path("cryptact-desktop", appauthor=False)


def qm_file(language: str, directory: Path = TRANSLATIONS_DIR, cache: Path | None = None) -> Path | None:
    """The compiled translation for ``language`` (``"ja"``), compiling the ``.ts`` when needed."""
    ts = directory / f"{BASENAME}_{language}.ts"
    shipped = directory / f"{BASENAME}_{language}.qm"
    if not ts.exists():
        return shipped if shipped.exists() else None
    if shipped.exists() and shipped.stat().st_mtime >= ts.stat().st_mtime:
        return shipped  # compiled at build time
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    compiled = (cache or _cache_dir()) / "translations" / f"{BASENAME}_{language}-{digest}.qm"
    if compiled.exists() or compile_ts(ts, compiled):
        return compiled
    return shipped if shipped.exists() else None


def chosen_language(settings: QSettings | None) -> str:
    """``"en"``/``"ja"`` from Settings, or the system's language when the user chose none."""
    chosen = str(settings.value(SETTINGS_LANGUAGE, "") or "") if settings is not None else ""
    if chosen in LANGUAGES:
        return chosen
    system = QLocale.system()
    for name in system.uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def locale_for(language: str) -> QLocale:
    system = QLocale.system()
    if system.name().split("_")[0] == language:
        return system  # keep the user's country conventions
    return (
        QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)
        if language == "ja"
        else QLocale(
            QLocale.Language.English,
            system.territory()
            if system.language() == QLocale.Language.English
            else QLocale.Country.UnitedStates,
        )
    )


def install_translator(
    app: QCoreApplication,
    settings: QSettings | None,
    directory: Path = TRANSLATIONS_DIR,
    cache: Path | None = None,
) -> list[QTranslator]:
    """Load Qt's and the app's translations for the user's language; route the core's
    :func:`cryptact_desktop.i18n.translate` through Qt. Returns the installed translators."""
    language = chosen_language(settings)
    locale = locale_for(language)
    QLocale.setDefault(locale)
    installed: list[QTranslator] = []
    child: partial[None] | None = None
    if language != "en":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qtbase = QTranslator(app)
        if qtbase.load(locale, "qtbase", "_", qt_dir):
            app.installTranslator(qtbase)
            installed.append(qtbase)
        ours = qm_file(language, directory, cache)
        translator = QTranslator(app)
        if ours is not None and translator.load(str(ours)):
            app.installTranslator(translator)
            installed.append(translator)
            child = partial(install_core_translation, str(ours))
        else:
            log.warning("no %s translation could be loaded; the window stays in English", language)
    i18n.install_translator(
        lambda context, text: QCoreApplication.translate(context, text), child_setup=child
    )
    return installed


def install_core_translation(qm_path: str) -> None:
    """In a child process (a sync): the core's strings in the window's language, from the same
    compiled file, without a QCoreApplication — a QTranslator answers ``translate`` on its own."""
    _load_core_translation(qm_path)


def _load_core_translation(qm_path: str) -> bool:
    """:func:`install_core_translation`; processes this one starts translate the same way.
    False when the file cannot be loaded (the strings stay English)."""
    translator = QTranslator()
    if not translator.load(qm_path):
        return False

    def translate(context: str, text: str) -> str:
        return translator.translate(context, text) or text

    i18n.install_translator(translate, child_setup=partial(install_core_translation, qm_path))
    return True


def name_the_settings() -> None:
    """The names that locate the window's settings (``QSettings()``); static, so the command
    line can read the same settings without a QCoreApplication."""
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    QCoreApplication.setApplicationName(APP_NAME)


def install_cli_translation(directory: Path = TRANSLATIONS_DIR, cache: Path | None = None) -> str:
    """The command line speaks the window's language: the one chosen in Settings, else the
    system's (``LC_ALL=C`` or ``LANG=C``: English). Every CLI message goes through
    :func:`cryptact_desktop.i18n.translate`. Returns the language used."""
    name_the_settings()
    language = chosen_language(QSettings())
    if language == "en":
        return language
    ours = qm_file(language, directory, cache)
    if ours is None or not _load_core_translation(str(ours)):
        log.warning("no %s translation could be loaded; the command line stays in English", language)
        return "en"
    return language


def remove_translators(app: QCoreApplication, installed: list[QTranslator]) -> None:
    for translator in installed:
        app.removeTranslator(translator)
    i18n.install_translator(None)
