"""Keep the translation files in step with the code.

    python tools/translations.py update   # add new texts to every .ts, drop vanished ones
    python tools/translations.py check    # exit 1 when a text has no finished translation

Why not ``pyside6-lupdate`` alone: the core wraps ``translate`` in small module helpers
(``_t("…")``) and translates catalogue data (endpoint names, look-back hints, API sites, file
formats, status labels) that no call site spells out. This reads every call site from the syntax
tree — ``self.tr("…")`` (context: the enclosing class), ``translate("ctx", "…")``,
``QCoreApplication.translate("ctx", "…")``, ``translatable("ctx", "…")`` (a text marked where it is
made and translated where it is shown) and a module's one-argument helper whose body is
``translate("ctx", text)`` — and adds the catalogue's texts by importing the registry. The ``.ts``
stays the file a translator opens in Qt Linguist; ``pyside6-lrelease`` compiles it (see
``cryptact_desktop/ui/translation.py``).
"""

from __future__ import annotations

import argparse
import ast
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cryptact_desktop"
TRANSLATIONS = PACKAGE / "ui" / "translations"
SKIP = ("migrations", "simulator")  # simulators answer in the exchange's words, never shown

Key = tuple[str, str]  # (context, source text)


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _helper_context(func: ast.FunctionDef) -> str | None:
    """``def _t(text): return translate("ctx", text)`` → ``"ctx"``."""
    if len(func.args.args) != 1 or len(func.body) != 1 or not isinstance(func.body[0], ast.Return):
        return None
    call = func.body[0].value
    if not isinstance(call, ast.Call) or len(call.args) != 2:
        return None
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if name != "translate":
        return None
    context = _literal(call.args[0])
    arg = call.args[1]
    if context is None or not (isinstance(arg, ast.Name) and arg.id == func.args.args[0].arg):
        return None
    return context


class _Visitor(ast.NodeVisitor):
    def __init__(self, helpers: dict[str, str]) -> None:
        self.helpers = helpers
        self.classes: list[str] = []
        self.found: list[Key] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "tr" and isinstance(func, ast.Attribute) and node.args and self.classes:
            text = _literal(node.args[0])
            if text is not None:
                self.found.append((self.classes[-1], text))
        elif name in ("translate", "translatable") and len(node.args) >= 2:
            context, text = _literal(node.args[0]), _literal(node.args[1])
            if context is not None and text is not None:
                self.found.append((context, text))
        elif name in self.helpers and isinstance(func, ast.Name) and len(node.args) == 1:
            text = _literal(node.args[0])
            if text is not None:
                self.found.append((self.helpers[name], text))
        self.generic_visit(node)


def source_files() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if not any(part in SKIP for part in path.relative_to(PACKAGE).parts):
            yield path


def texts_in(path: Path) -> list[Key]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    helpers = {
        node.name: context
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and (context := _helper_context(node)) is not None
    }
    visitor = _Visitor(helpers)
    visitor.visit(tree)
    return visitor.found


def catalogue_texts() -> list[Key]:
    """Texts translated from data: what the venues, formats and label tables declare."""
    sys.path.insert(0, str(ROOT))
    from cryptact_desktop import assistant
    from cryptact_desktop.imports import report
    from cryptact_desktop.transfers import classes
    from cryptact_desktop.venues.registry import VENUES

    found: list[Key] = []
    for venue in VENUES:
        info = venue.info
        for endpoint in info.endpoints:
            found += [("catalogue", endpoint.name), ("catalogue", endpoint.lookback)]
        found += [("catalogue", host.label) for host in info.hosts]
        found += [("catalogue", field.label) for field in info.credentials]
        found += [("catalogue", field.placeholder) for field in info.credentials]
        for fmt in venue.file_formats():
            found.append(("imports", fmt.name))
            if fmt.row_limit_note:
                found.append(("imports", fmt.row_limit_note))
        for known in venue.known_files():
            found += [("imports", known.name), ("imports", known.advice)]
    found += [("imports", text) for text in report._STATUS_LABELS.values()]
    found += [("transfers", text) for text in classes._LABELS.values()]
    found += [("assistant", text) for text in assistant._CAPABILITY_LABELS.values()]
    found += [("assistant", text) for text in assistant._STATE_LABELS.values()]
    try:
        from cryptact_desktop.ui.keys.cells import HEADERS
    except ImportError:  # no Qt: the UI's tables are left out
        pass
    else:
        found += [("KeyTreeModel", text) for text in HEADERS.values() if text]
    return [key for key in found if key[1]]


def all_texts() -> list[Key]:
    """Every (context, text) the app may show, in a stable order, without repeats."""
    found: list[Key] = []
    for path in source_files():
        found += texts_in(path)
    found += catalogue_texts()
    return list(dict.fromkeys(found))


def read_ts(path: Path) -> dict[Key, str]:
    """The finished translations in ``path``."""
    if not path.exists():
        return {}
    done: dict[Key, str] = {}
    for context in ET.parse(path).getroot().iter("context"):  # noqa: S314 - our own file
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
                continue
            if translation.text:
                done[(name, message.findtext("source", ""))] = translation.text
    return done


def write_ts(path: Path, language: str, texts: list[Key], translations: dict[Key, str]) -> None:
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="en")
    by_context: dict[str, list[str]] = {}
    for context, text in texts:
        by_context.setdefault(context, []).append(text)
    for context in sorted(by_context):
        node = ET.SubElement(root, "context")
        ET.SubElement(node, "name").text = context
        for text in by_context[context]:
            message = ET.SubElement(node, "message")
            ET.SubElement(message, "source").text = text
            translation = ET.SubElement(message, "translation")
            done = translations.get((context, text))
            if done:
                translation.text = done
            else:
                translation.set("type", "unfinished")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def ts_files() -> list[Path]:
    return sorted(TRANSLATIONS.glob("cryptact_desktop_*.ts"))


def missing(path: Path, texts: list[Key] | None = None) -> list[Key]:
    done = read_ts(path)
    return [key for key in (texts if texts is not None else all_texts()) if key not in done]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("update", "check"))
    args = parser.parse_args(argv)
    texts = all_texts()
    status = 0
    for path in ts_files():
        language = path.stem.removeprefix("cryptact_desktop_")
        if args.command == "update":
            write_ts(path, language, texts, read_ts(path))
        gaps = missing(path, texts)
        print(f"{path.name}: {len(texts)} texts, {len(gaps)} without a translation")  # noqa: T201
        if args.command == "check" and gaps:
            for context, text in gaps[:50]:
                print(f"  [{context}] {text!r}")  # noqa: T201
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
