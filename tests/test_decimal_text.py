"""decimal_text writes every exchange number one way; its shortcut for numbers already written
that way must agree with the full Decimal path on anything."""

from __future__ import annotations

import random
from decimal import Decimal, InvalidOperation

import pytest

from cryptact_desktop.records import decimal_text


def by_decimal(text: str) -> str:
    number = Decimal(text.strip())
    if not number.is_finite():
        raise ValueError(text)
    return "0" if number == 0 else format(number.normalize(), "f")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("0", "0"),
        ("-0", "0"),
        ("0.000", "0"),
        ("00.10", "0.1"),
        ("30000.50", "30000.5"),
        ("-0.00012300", "-0.000123"),
        ("1e5", "100000"),
        ("1E-3", "0.001"),
        (" 12 ", "12"),
        ("5.", "5"),
        (".5", "0.5"),
        (7, "7"),
        (0.1, "0.1"),
        (None, ""),
        ("", ""),
    ],
)
def test_numbers_are_written_one_way(given: object, stored: str) -> None:
    assert decimal_text(given) == stored


def test_the_shortcut_agrees_with_decimal_on_random_text() -> None:
    rng = random.Random(2026)
    for _ in range(50_000):
        text = "".join(rng.choice("0123456789.-+eE ") for _ in range(rng.randint(1, 9)))
        try:
            expected: str | None = by_decimal(text) if text.strip() else ""
        except (InvalidOperation, ValueError, ArithmeticError):
            expected = None
        if expected is None:  # refused (an exponent too large to write out is an ArithmeticError)
            with pytest.raises((ValueError, ArithmeticError)):
                decimal_text(text)
        else:
            assert decimal_text(text) == expected, text


@pytest.mark.parametrize("text", ["abc", "1.2.3", "NaN", "Infinity", "--1"])
def test_text_that_is_not_a_finite_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        decimal_text(text)
