"""Benjamini-Hochberg false discovery rate control, against a hand computation of the step-up rule."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivp.stats.multiplicity import benjamini_hochberg, bh_adjusted


def _step_up(p_values, q):
    """BH (1995) by hand: the largest k with p_(k) <= k q / m; reject the k smallest."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    k = 0
    for rank, i in enumerate(order, start=1):
        if p_values[i] <= rank * q / m:
            k = rank
    rejected = set(order[:k])
    return [i in rejected for i in range(m)]


def _adjusted_by_hand(p_values):
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):  # from the largest p-value down: cumulative minimum of m p / rank
        i = order[rank - 1]
        running = min(running, m * p_values[i] / rank)
        adjusted[i] = running
    return adjusted


def test_textbook_example():
    # the 15 p-values of Benjamini & Hochberg (1995), section 4.1: at q = 0.05 the four smallest are rejected
    # (Bonferroni would reject three)
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528,
         0.7590, 1.0000]
    assert benjamini_hochberg(p) == [True] * 4 + [False] * 11
    assert sum(x <= 0.05 / 15 for x in p) == 3


def test_adjusted_values_by_hand_and_in_input_order():
    p = [0.04, 0.01, 0.03, 0.2]
    # sorted 0.01, 0.03, 0.04, 0.2 -> 4*0.01/1 = 0.04; min(4*0.03/2, 4*0.04/3) = 0.0533; 0.0533; 0.2
    assert bh_adjusted(p) == pytest.approx([0.16 / 3, 0.04, 0.16 / 3, 0.2])
    assert benjamini_hochberg(p) == [False, True, False, False]
    assert benjamini_hochberg(p, q=0.06) == [True, True, True, False]


def test_none_entries_pass_through_and_are_not_counted():
    p = [None, 0.01, None, 0.03]
    assert bh_adjusted(p) == [None, pytest.approx(0.02), None, pytest.approx(0.03)]  # m = 2, not 4
    assert benjamini_hochberg(p) == [False, True, False, True]
    assert bh_adjusted([]) == [] and benjamini_hochberg([]) == []
    assert benjamini_hochberg([None, None]) == [False, False]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0.0, 1.0)), max_size=40), st.sampled_from([0.01, 0.05, 0.1, 0.2]))
def test_equals_the_hand_computed_step_up_rule(p_values, q):
    present = [p for p in p_values if p is not None]
    expected_flags = iter(_step_up(present, q))
    expected_adjusted = iter(_adjusted_by_hand(present))
    flags, adjusted = benjamini_hochberg(p_values, q), bh_adjusted(p_values)
    for p, flag, value in zip(p_values, flags, adjusted, strict=True):
        if p is None:
            assert flag is False and value is None
            continue
        hand_value = next(expected_adjusted)
        assert value == pytest.approx(hand_value, rel=1e-12, abs=1e-300)
        hand_flag = next(expected_flags)
        if not math.isclose(hand_value, q, rel_tol=1e-12):  # exactly at q, rounding may decide either way
            assert flag == hand_flag


@pytest.mark.parametrize(("call", "message"), [
    (lambda: benjamini_hochberg([0.1, 1.5]), r"p-value at position 1 must be a number in \[0, 1\] or None"),
    (lambda: bh_adjusted([math.nan]), r"p-value at position 0 must be a number in \[0, 1\] or None"),
    (lambda: bh_adjusted([True]), "p-value at position 0"),
    (lambda: benjamini_hochberg([0.1], q=0), "q must be strictly between 0 and 1"),
    (lambda: benjamini_hochberg([0.1], q=5), "q must be strictly between 0 and 1"),
])
def test_invalid_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
