"""Integer-cent money: Dutch formatting, parsing typed amounts, exact pro-rata splits."""

import pytest

from ivp.money import (
    format_euro,
    format_euro_plain,
    format_euros,
    format_number,
    parse_euro,
    parse_euros,
    split_pro_rata,
)


@pytest.mark.parametrize(("cents", "text"), [
    (0, "€ 0,00"), (5, "€ 0,05"), (100, "€ 1,00"), (123456, "€ 1.234,56"), (3235600, "€ 32.356,00"),
    (123456789012, "€ 1.234.567.890,12"), (-5, "€ -0,05"), (-123456, "€ -1.234,56"),
])
def test_format_euro(cents, text):
    assert format_euro(cents) == text


def test_format_number_and_plain():
    assert format_number(32356) == "32.356"
    assert format_number(999) == "999"
    assert format_euro_plain(123456) == "1234,56"
    assert format_euro_plain(-5) == "-0,05"


@pytest.mark.parametrize(("text", "cents"), [
    ("1.234,56", 123456), ("1234,56", 123456), ("1234,5", 123450), ("€ 1.234", 123400), ("1.234.567", 123456700),
    ("12.50", 1250), ("12.5", 1250), ("1234", 123400), ("0,01", 1), (",5", 50), ("€\u00a01,00", 100),
])
def test_parse_euro(text, cents):
    assert parse_euro(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "1,234,5", "1,234", "-5", "1.23.4", "12,345", "1e3", "10" * 10])
def test_parse_euro_refuses(text):
    with pytest.raises(ValueError):
        parse_euro(text)


def test_split_pro_rata_adds_up_to_the_cent():
    weights = {"GM0757": 3235600, "GM0797": 5900000, "GM1948": 8300000, "GM0845": 3000000, "GM0865": 3300000}
    for total in (1, 2, 3, 99, 100001, 1234567, 7):
        parts = split_pro_rata(total, weights)
        assert sum(parts.values()) == total
        for code, part in parts.items():
            exact = total * weights[code] / sum(weights.values())
            assert abs(part - exact) < 1
    assert split_pro_rata(10, {"a": 1, "b": 1, "c": 0}) == {"a": 5, "b": 5, "c": 0}
    assert split_pro_rata(1, {"a": 1, "b": 1}) == {"a": 1, "b": 0}  # ties go by key, deterministically
    assert split_pro_rata(10, {"a": 0, "b": 0}) == {"a": 0, "b": 0}  # nothing to split by
    assert split_pro_rata(-10, {"a": 1, "b": 3}) == {"a": -3, "b": -7}



@pytest.mark.parametrize(("cents", "text"), [
    (0, "€ 0,00"), (5, "€ 0,05"), (123456, "€ 1.234,56"), (100000000, "€ 1.000.000,00"), (-250, "€ -2,50"),
])
def test_format_euros(cents, text):
    assert format_euros(cents) == text


@pytest.mark.parametrize(("text", "cents"), [
    ("", 0), ("12", 1200), ("1.250", 125000), ("1.250,50", 125050), ("1250,5", 125050), ("€ 80", 8000),
    ("12.50", 1250), ("1234.56", 123456), ("1.234.567,89", 123456789), ("EUR 3,-".replace("-", "00"), 300),
    ("0,01", 1),
])
def test_parse_euros(text, cents):
    assert parse_euros(text) == cents


@pytest.mark.parametrize("text", ["abc", "-5", "1,2,3", "12,345", "1.2.3", "1,234.56", "."])
def test_parse_euros_refuses(text):
    with pytest.raises(ValueError):
        parse_euros(text)


def test_euros_round_trip():
    for cents in (0, 1, 99, 100, 123456789):
        assert parse_euros(format_euros(cents)) == cents
