"""Shared input checks: what they accept, what they refuse, and that the message names the argument."""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from ivp.stats.validation import check_count, check_level, check_non_negative, check_positive


def test_check_count_accepts_integers_including_numpy_and_returns_int():
    assert check_count("count", 0) == 0
    value = check_count("count", np.int64(12))
    assert value == 12 and type(value) is int


@pytest.mark.parametrize(("value", "message"), [
    (-1, "count cannot be negative, got -1"),
    (2.0, "count must be a whole number, got 2.0"),
    (True, "count must be a whole number, got True"),
    ("3", "count must be a whole number, got '3'"),
    (None, "count must be a whole number, got None"),
])
def test_check_count_refuses(value, message):
    with pytest.raises(ValueError, match=message):
        check_count("count", value)


def test_check_level():
    assert check_level(0.95) == 0.95
    assert check_level(Fraction(1, 2)) == 0.5
    for bad in (0, 1, 95, -0.5, math.nan, True, "0.95"):
        with pytest.raises(ValueError, match=r"level must be strictly between 0 and 1 \(e.g. 0.95\)"):
            check_level(bad)


def test_check_positive_and_non_negative():
    assert check_positive("population", 25_000) == 25_000.0
    assert check_positive("population", np.float64(0.5)) == 0.5
    assert check_non_negative("target_rate", 0) == 0.0
    for bad in (0, -3, math.inf, math.nan, False, Decimal("1.5"), "12"):
        with pytest.raises(ValueError, match="population must be a finite number greater than 0"):
            check_positive("population", bad)
    for bad in (-0.1, math.inf, math.nan, True):
        with pytest.raises(ValueError, match="target_rate must be a finite number of at least 0"):
            check_non_negative("target_rate", bad)
