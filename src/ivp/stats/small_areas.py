"""Small areas: below which population a rate is not shown, and the count band shown instead.

A rate for a buurt of 60 inhabitants moves by 17 per 1000 with every single incident, and its exact interval
spans most of the scale; on a map or in a ranking it draws the eye to exactly the areas where the figure means
least (Spiegelhalter 2005, Stat Med 24:1185-1202, on ranking small units). Below ``MIN_POPULATION_FOR_RATE``
inhabitants callers show no rate, only the count, in a band (``count_band``); a band, not the count, because such
counts also identify households (see :mod:`ivp.stats.suppression`). The band codes are plain strings: the caller
translates and formats them; "0" stays "0" (a zero identifies no incident and no one).
"""

from ivp.stats.validation import check_count

MIN_POPULATION_FOR_RATE = 200

_BANDS = ((1, "0"), (5, "1-4"), (10, "5-9"), (20, "10-19"), (50, "20-49"), (100, "50-99"), (200, "100-199"))


def count_band(count: int) -> str:
    """The band of a count: "0", "1-4", "5-9", "10-19", "20-49", "50-99", "100-199" or "200+"."""
    count = check_count("count", count)
    for upper, band in _BANDS:
        if count < upper:
            return band
    return "200+"


__all__ = ["MIN_POPULATION_FOR_RATE", "count_band"]
