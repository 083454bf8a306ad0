"""Disclosure control for small counts, and when to fall back to a larger area.

Small-cell suppression. In a buurt of a few hundred inhabitants, "2 woninginbraken" can point at identifiable
households. Common statistical-disclosure practice for small-area tables is to hide counts from 1 up to a threshold
(here 1-4, threshold 5) and show them as "<5"; statistical offices such as CBS apply this kind of control
(suppressing or rounding small cells) in their small-area products. Decisions made here:

* 0 is shown as "0". A zero identifies no incident and no person, and hiding it would turn every quiet buurt into
  "<5", hiding the good news and making the map unreadable.
* counts >= threshold are shown unrounded (``str(count)``, no thousands separator: localising is the caller's job).
  We do not round (as some CBS tables do) because the exact intervals are computed on the real count; showing a
  rounded count next to an interval of the real one would be inconsistent.
* a rate, and its interval, computed from a suppressed count is suppressed too: rate x population gives the count
  back.
* not handled here: differencing. If a municipality total is shown together with all its buurten but one is
  suppressed, that one follows by subtraction. Callers that show totals next to parts need secondary suppression
  (hide at least two cells per total, or show the total rounded).

Falling back. Counts that are too small cannot show anything: with E expected events the 95% interval spans
roughly +/- 1.96 / sqrt(E), i.e. +/- 62% at E = 10 (exact Garwood interval for a count of 10: 4.8 to 18.4, i.e.
-52% to +84%) and more below that. A real 20-30% change is then indistinguishable from chance, and a figure with
such an interval invites over-interpretation. ``needs_fallback`` recommends using the next level up (the base team
instead of the municipality, the municipality instead of the wijk) when the *expected* count, e.g. the target rate
times the population over the period, is below ``min_count`` (default 10). The expected count, not the observed
one, is used so that the decision does not depend on this year's luck.
"""

import numbers

from ivp.stats.poisson import Rate
from ivp.stats.validation import check_count, check_non_negative

DEFAULT_THRESHOLD = 5
DEFAULT_MIN_EXPECTED = 10.0


def _check_threshold(threshold: object) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Integral) or threshold < 1:
        raise ValueError(f"threshold must be a whole number of at least 1, got {threshold!r}")
    return int(threshold)


def is_suppressed(count: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True for 1 <= count < threshold: such counts must not be shown."""
    count = check_count("count", count)
    return 0 < count < _check_threshold(threshold)


def display_count(count: int, threshold: int = DEFAULT_THRESHOLD) -> str:
    """'0' for 0, '<5' for 1-4 (with the default threshold), the count itself otherwise."""
    threshold = _check_threshold(threshold)
    return f"<{threshold}" if is_suppressed(count, threshold) else str(count)


def suppress_rate(rate: Rate, threshold: int = DEFAULT_THRESHOLD) -> Rate | None:
    """The rate if it may be shown, ``None`` if its count is suppressed (the caller then shows no rate at all)."""
    return None if is_suppressed(rate.count, threshold) else rate


def needs_fallback(expected_count: float, min_count: float = DEFAULT_MIN_EXPECTED) -> bool:
    """True when ``expected_count`` < ``min_count``: too few expected events to detect change; use a larger area."""
    expected_count = check_non_negative("expected_count", expected_count)
    return expected_count < check_non_negative("min_count", min_count)
