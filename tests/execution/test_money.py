"""Amounts: integer cents in, Dutch euros out, and back."""

import pytest

from ivp.execution.money import format_euros, parse_euros


@pytest.mark.parametrize(("cents", "text"), [
    (0, "€ 0,00"), (5, "€ 0,05"), (123456, "€ 1.234,56"), (100000000, "€ 1.000.000,00"), (-250, "-€ 2,50"),
])
def test_format(cents, text):
    assert format_euros(cents) == text


@pytest.mark.parametrize(("text", "cents"), [
    ("", 0), ("12", 1200), ("1.250", 125000), ("1.250,50", 125050), ("1250,5", 125050), ("€ 80", 8000),
    ("12.50", 1250), ("1234.56", 123456), ("1.234.567,89", 123456789), ("EUR 3,-".replace("-", "00"), 300),
    ("0,01", 1),
])
def test_parse(text, cents):
    assert parse_euros(text) == cents


@pytest.mark.parametrize("text", ["abc", "-5", "1,2,3", "12,345", "1.2.3", "1,234.56", "."])
def test_parse_refuses(text):
    with pytest.raises(ValueError):
        parse_euros(text)


def test_round_trip():
    for cents in (0, 1, 99, 100, 123456789):
        assert parse_euros(format_euros(cents)) == cents
