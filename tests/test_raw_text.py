"""The raw record as stored (``raw_json``): written by orjson where it writes exactly what the json
module writes, by the json module otherwise — the same text either way."""

from __future__ import annotations

import json
import random
import string
from decimal import Decimal
from typing import Any

import pytest

from cryptact_desktop.records import NormalizedRecord, TransactionKind, raw_text


def by_json_module(raw: Any) -> str:
    return json.dumps(raw, sort_keys=True, separators=(",", ":"))


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"b": "2", "a": "1"},
        {"symbol": "BTCUSDT", "execQty": "0.01", "isMaker": False, "closedSize": None, "seq": 12},
        {"nested": {"z": [1, {"y": "x", "a": True}], "a": []}},
        {"quote": 'a"b\\c\n\t\x01\x7f'},
        {"note": "日本円の入金"},  # beyond ASCII: escaped as the json module does
        {"ключ": "1"},
        {"wei": 10**30},  # beyond 64 bits
        {"neg": -(2**63) - 1},
        {1: "a", 2: "b"},  # keys that are not text
        {"float": 0.1, "large": 1e300, "int_float": 3.0},
    ],
)
def test_raw_text_is_what_the_json_module_writes(raw: dict[Any, Any]) -> None:
    assert raw_text(raw) == by_json_module(raw)
    assert raw_text(raw).isascii()


def test_raw_text_agrees_with_the_json_module_on_random_records() -> None:
    rng = random.Random(2026)
    alphabet = string.printable + "éü日本€\u2028"

    def value(depth: int) -> Any:
        pick = rng.randrange(7 if depth < 3 else 4)
        if pick == 0:
            return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        if pick == 1:
            return rng.randrange(-(10**20), 10**20)
        if pick == 2:
            return rng.choice([True, False, None])
        if pick == 3:
            return str(Decimal(rng.randrange(10**12)) / Decimal(10 ** rng.randrange(9)))
        if pick == 4:
            return [value(depth + 1) for _ in range(rng.randrange(4))]
        return {
            "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 6))): value(depth + 1)
            for _ in range(rng.randrange(5))
        }

    for _ in range(3000):
        raw = {f"k{i}": value(0) for i in range(rng.randrange(1, 8))}
        assert raw_text(raw) == by_json_module(raw)


def test_a_value_json_cannot_write_is_refused_as_before() -> None:
    with pytest.raises(TypeError):
        raw_text({"amount": Decimal("1.5")})


def test_a_record_stores_its_raw_text() -> None:
    record = NormalizedRecord("id-1", 1, TransactionKind.TRADE, raw={"b": 1, "a": "ü"})
    assert record.raw_json() == '{"a":"\\u00fc","b":1}'
    assert json.loads(record.raw_json()) == {"b": 1, "a": "ü"}
