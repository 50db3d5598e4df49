"""Every venue's registration names real things: each lazily imported connector, file list, demo,
simulator command and harness resolves (a misspelt module or name would fail only when used)."""

from __future__ import annotations

import pickle
from dataclasses import fields

import pytest

from cryptact_desktop.venues.registry import VENUES
from cryptact_desktop.venues.venue import Lazy, LazyConnector, LazyValue, Venue


def _named(item: Venue) -> list[tuple[str, Lazy | LazyValue | LazyConnector]]:
    found = []
    for spec in fields(item):
        value = getattr(item, spec.name)
        if isinstance(value, Lazy | LazyValue | LazyConnector):
            found.append((spec.name, value))
    return found


@pytest.mark.parametrize("item", VENUES, ids=[v.id for v in VENUES])
def test_every_lazy_reference_resolves(item: Venue) -> None:
    named = _named(item)
    assert any(name == "connect" for name, _ in named)
    for name, reference in named:
        target = reference.target()
        if name in ("file_formats", "known_files"):
            assert isinstance(target, tuple), name
        else:
            assert callable(target), name


@pytest.mark.parametrize("item", VENUES, ids=[v.id for v in VENUES])
def test_the_connector_factory_is_picklable_and_names_its_package(item: Venue) -> None:
    copy = pickle.loads(pickle.dumps(item.connect))
    assert repr(copy) == repr(item.connect)
    assert item.connect.__module__.startswith("cryptact_desktop.venues.")
    assert item.connect.__module__.endswith(".connector")
