"""Small-count suppression and fall-back advice."""

import pytest

from ivp.stats.poisson import exact_interval, rate_interval
from ivp.stats.suppression import display_count, is_suppressed, needs_fallback, suppress_rate


def test_display_count_hides_one_to_four_but_shows_zero():
    assert [display_count(c) for c in range(7)] == ["0", "<5", "<5", "<5", "<5", "5", "6"]
    assert display_count(12_345) == "12345"


def test_other_thresholds():
    assert display_count(9, threshold=10) == "<10" and display_count(10, threshold=10) == "10"
    assert display_count(1, threshold=1) == "1"  # threshold 1 suppresses nothing
    assert not is_suppressed(0, threshold=10)


def test_rates_of_suppressed_counts_are_hidden():
    assert suppress_rate(rate_interval(3, 800)) is None
    shown = rate_interval(5, 800)
    assert suppress_rate(shown) is shown
    zero = rate_interval(0, 800)
    assert suppress_rate(zero) is zero
    assert suppress_rate(rate_interval(7, 800), threshold=10) is None


def test_needs_fallback_below_ten_expected_events():
    assert needs_fallback(9.99) and needs_fallback(0.0)
    assert not needs_fallback(10.0) and not needs_fallback(250.0)
    assert needs_fallback(19.0, min_count=20) and not needs_fallback(20.0, min_count=20)


def test_the_documented_reason_for_ten():
    # at 10 expected events the 95% interval still runs from about -52% to +84% of the count
    lower, upper = exact_interval(10)
    assert lower / 10 - 1 == pytest.approx(-0.52, abs=0.005)
    assert upper / 10 - 1 == pytest.approx(0.84, abs=0.005)
    lower9, upper9 = exact_interval(9)
    assert upper9 / 9 - 1 > upper / 10 - 1


@pytest.mark.parametrize(("call", "message"), [
    (lambda: display_count(-1), "count cannot be negative"),
    (lambda: display_count(2.0), "count must be a whole number"),
    (lambda: display_count(3, threshold=0), "threshold must be a whole number of at least 1, got 0"),
    (lambda: display_count(3, threshold=True), "threshold must be a whole number of at least 1"),
    (lambda: needs_fallback(-1.0), "expected_count must be a finite number of at least 0"),
])
def test_invalid_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
