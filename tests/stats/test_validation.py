"""Shared input checks: what they accept, what they refuse, and that the message names the argument."""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from ivp.stats.validation import (
    check_count,
    check_counts,
    check_level,
    check_non_negative,
    check_non_negatives,
    check_positive,
    check_positives,
    check_same_length,
)


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


def test_array_checks_accept_sequences_and_numpy_arrays():
    counts = check_counts("count", [0, 3, np.int64(7)])
    assert counts.dtype == np.int64 and counts.tolist() == [0, 3, 7]
    assert check_counts("count", np.array([1, 2], dtype=np.int32)).dtype == np.int64
    assert check_counts("count", []).tolist() == []
    assert check_positives("population", [1, 2.5]).tolist() == [1.0, 2.5]
    assert check_non_negatives("expected", np.array([0.0, 4.0])).tolist() == [0.0, 4.0]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: check_counts("count", [1, -2]), "count cannot be negative, got -2 at position 1"),
    (lambda: check_counts("count", [1.0, 2.0]), "count at position 0 must be a whole number, got 1.0"),
    (lambda: check_counts("count", [True, False]), "count at position 0 must be a whole number, got True"),
    (lambda: check_counts("count", [[1, 2]]), "count must be a one-dimensional sequence"),
    (lambda: check_counts("count", 3), "count must be a one-dimensional sequence"),
    (lambda: check_positives("population", [5.0, math.nan]), "population must be a finite number greater than 0, "
                                                             "got nan at position 1"),
    (lambda: check_positives("population", [True]), "population must be numbers"),
    (lambda: check_non_negatives("expected", [0.0, -1.0]), "expected must be a finite number of at least 0"),
    (lambda: check_same_length("counts", np.zeros(2), "populations", np.zeros(3)),
     r"counts and populations differ in length \(2 vs 3\)"),
])
def test_array_checks_refuse_and_name_the_position(call, message):
    with pytest.raises(ValueError, match=message):
        call()
