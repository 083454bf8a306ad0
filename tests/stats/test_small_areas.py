"""Small areas: the minimum population for a rate and the count bands below it."""

import pytest

from ivp.stats.small_areas import MIN_POPULATION_FOR_RATE, count_band


def test_minimum_population_for_a_rate():
    assert MIN_POPULATION_FOR_RATE == 200


@pytest.mark.parametrize(("count", "band"), [
    (0, "0"), (1, "1-4"), (4, "1-4"), (5, "5-9"), (9, "5-9"), (10, "10-19"), (19, "10-19"), (20, "20-49"),
    (49, "20-49"), (50, "50-99"), (99, "50-99"), (100, "100-199"), (199, "100-199"), (200, "200+"),
    (123_456, "200+"),
])
def test_count_bands_at_their_edges(count, band):
    assert count_band(count) == band


def test_every_count_has_exactly_the_band_that_contains_it():
    for count in range(0, 400):
        band = count_band(count)
        if band == "200+":
            assert count >= 200
        elif band == "0":
            assert count == 0
        else:
            low, high = (int(x) for x in band.split("-"))
            assert low <= count <= high


@pytest.mark.parametrize(("value", "message"), [(-1, "count cannot be negative"), (2.5, "count must be a whole")])
def test_invalid_counts(value, message):
    with pytest.raises(ValueError, match=message):
        count_band(value)
