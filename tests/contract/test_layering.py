"""The shape of the code, checked on its imports and literals (a new venue must not bend it).

* Generic code (engine, store, imports, export, UI, CLI, service...) never imports a venue package
  and never names a venue: it reaches venues through ``cryptact_desktop.venues.registry``.
* A venue package uses only the generic building blocks (catalogue types, connector base, HTTP,
  records, the file spec, the simulator kit), never the UI, the service, the store or the CLI.
* Simulators (the kit, the activity generator and each venue's ``simulator/``) import nothing of
  the app outside the simulator packages: they are a second, independent reading of the docs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import cryptact_desktop
from cryptact_desktop.venues.registry import VENUES
from cryptact_desktop.venues.venue import Venue

PACKAGE = Path(cryptact_desktop.__file__).resolve().parent
VENUE_IDS = {item.id for item in VENUES}
VENUE_PACKAGES = {p.name for p in (PACKAGE / "venues").iterdir() if (p / "__init__.py").is_file()}

# What a venue package may build on.
VENUE_MAY_IMPORT = (
    "cryptact_desktop.venues.base",
    "cryptact_desktop.venues.venue",
    "cryptact_desktop.venues.harness",
    "cryptact_desktop.records",
    "cryptact_desktop.errors",
    "cryptact_desktop.i18n",
    "cryptact_desktop.credentials",
    "cryptact_desktop.api_urls",
    "cryptact_desktop.sync.rest",
    "cryptact_desktop.sync.http",
    "cryptact_desktop.sync.ratelimit",
    "cryptact_desktop.sync.connector",
    "cryptact_desktop.imports.spec",
    "cryptact_desktop.imports.reader",
    "cryptact_desktop.simulator.kit",
    "cryptact_desktop.simulator.activity",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield module_name(path), path, ast.parse(path.read_text(encoding="utf-8"))


def imported(name: str, tree: ast.Module) -> Iterator[str]:
    package = name if name.endswith("__init__") else name
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")
                base = base[: len(base) - node.level + (1 if _is_package(name) else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target
            for alias in node.names:
                yield f"{target}.{alias.name}"


def _is_package(name: str) -> bool:
    return (PACKAGE.parent / Path(*name.split(".")) / "__init__.py").is_file()


def venue_of(name: str) -> str:
    """The venue package a module belongs to ("" for generic code)."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[1] == "venues" and parts[2] in VENUE_PACKAGES:
        return parts[2]
    return ""


def is_simulator(name: str) -> bool:
    parts = name.split(".")
    return (len(parts) >= 2 and parts[1] == "simulator") or (bool(venue_of(name)) and "simulator" in parts)


def package_of(item: Venue) -> str:
    """The venue package a registered venue comes from (one package may hold several venues: the
    EVM chains are one package, a venue per chain)."""
    module = item.connect.__module__.split(".")
    return module[2] if len(module) >= 3 and module[1] == "venues" else ""


def test_the_venue_packages_are_the_registrys() -> None:
    assert {package_of(item) for item in VENUES} <= VENUE_PACKAGES
    assert "bybit" in VENUE_IDS


def test_generic_code_never_imports_a_venue_package() -> None:
    bad = []
    for name, _path, tree in modules():
        if venue_of(name) or name == "cryptact_desktop.venues.registry":
            continue
        for target in imported(name, tree):
            if venue_of(target):
                bad.append(f"{name} imports {target}")
    assert bad == []


def test_generic_code_never_names_a_venue() -> None:
    bad = []
    for name, path, tree in modules():
        if venue_of(name) or name == "cryptact_desktop.venues.registry":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in VENUE_IDS:
                bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}")
    assert bad == []


@pytest.mark.parametrize("venue_id", sorted(VENUE_PACKAGES))
def test_a_venue_builds_only_on_the_generic_blocks(venue_id: str) -> None:
    bad = []
    for name, _path, tree in modules():
        if venue_of(name) != venue_id or is_simulator(name):
            continue
        for target in imported(name, tree):
            if not target.startswith("cryptact_desktop.") or venue_of(target) == venue_id:
                continue
            if not target.startswith(VENUE_MAY_IMPORT):
                bad.append(f"{name} imports {target}")
    assert bad == []


def test_simulators_are_independent_of_the_client() -> None:
    bad = []
    for name, _path, tree in modules():
        if not is_simulator(name):
            continue
        for target in imported(name, tree):
            if target.startswith("cryptact_desktop.") and not is_simulator(target):
                bad.append(f"{name} imports {target}")
    assert bad == []
