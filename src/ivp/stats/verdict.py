"""Verdict codes shared by :mod:`ivp.stats.change` and :mod:`ivp.stats.trend`.

The statistics module returns stable English codes only and never imports Django. The user-facing Dutch labels live
with the templates / translations; this is the wording they should use:

======================== ============================== ===================================================
code                     Dutch label                    meaning
======================== ============================== ===================================================
significant_decrease     significante daling            the decrease is larger than chance alone explains
                                                        (two-sided p-value below 1 - level)
within_normal_variation  binnen normale schommeling     the difference is compatible with chance; this is
                                                        NOT proof of "no change", only of "not shown"
significant_increase     significante stijging          the increase is larger than chance alone explains
insufficient_data        te weinig gegevens             no test possible (no events at all, too few points)
======================== ============================== ===================================================

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
