"""Verdict codes shared by :mod:`ivp.stats.change` and :mod:`ivp.stats.trend`.

The statistics module returns stable English codes only and never imports Django. The user-facing Dutch labels live
with the templates / translations; this is the wording they should use.

What a "significant" verdict means depends on the variation the test allowed for. A test that considered only
Poisson noise (the exact conditional change test with no dispersion estimated, ``Change.method ==
"exact_conditional"`` and ``Change.dispersion`` left at its default) says the change is larger than *Poisson* noise
explains; crime counts vary more than that from year to year (issue 12: overdispersion), so such a result must not
be worded as "more than chance can explain". Wording by code:

======================== ================================= =================================================
code                     Dutch label                       meaning
======================== ================================= =================================================
significant_decrease     significante daling               only for a test that accounts for the dispersion
                                                           used: the trend (quasi-Poisson, t reference), a
                                                           change test given an estimated dispersion
                                                           (``quasi_poisson``, or ``exact_conditional`` /
                                                           ``rounded_conservative`` with an estimate <= 1).
                                                           The decrease is larger than the year-to-year
                                                           variation the test allowed for (two-sided p-value
                                                           below 1 - level).
                         opvallende daling                 the same code from a test against Poisson noise
                                                           only (no dispersion estimated): no claim about
                                                           chance in general; say "alleen getoetst tegen
                                                           Poisson-ruis"
within_normal_variation  binnen normale schommeling        the difference is compatible with the variation
                                                           allowed for; this is NOT proof of "no change", only
                                                           of "not shown"
significant_increase     significante stijging             as significant_decrease, for an increase
                         opvallende stijging               as above, Poisson noise only
insufficient_data        te weinig gegevens                no test possible (no events at all, too few points:
                                                           a trend needs 5, see ``Trend.reason``)
======================== ================================= =================================================

When many areas are tested at once (all buurten of a municipality), the caller should also control the false
discovery rate (:mod:`ivp.stats.multiplicity`) before using the "significante" labels.

``Verdict`` is a ``StrEnum``: each member *is* its code string (``Verdict.SIGNIFICANT_INCREASE ==
"significant_increase"``), so it serialises to JSON and compares to plain strings without conversion.
"""

from enum import StrEnum


class Verdict(StrEnum):
    SIGNIFICANT_DECREASE = "significant_decrease"
    WITHIN_NORMAL_VARIATION = "within_normal_variation"
    SIGNIFICANT_INCREASE = "significant_increase"
    INSUFFICIENT_DATA = "insufficient_data"


def verdict_for(p_value: float, increase: bool, level: float) -> Verdict:
    """Significant (in the observed direction) when ``p_value < 1 - level``, else within normal variation.

    1 - level is rounded to 12 decimals so that 1 - 0.95 means 0.05, not 0.050000000000000044.
    """
    if p_value < round(1.0 - level, 12):
        return Verdict.SIGNIFICANT_INCREASE if increase else Verdict.SIGNIFICANT_DECREASE
    return Verdict.WITHIN_NORMAL_VARIATION
