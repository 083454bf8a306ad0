"""Multiple testing: control the false discovery rate over many change tests (Benjamini-Hochberg).

A dashboard that tests ~800 buurten and wijken for a change at the 5% level shows about 40 "significant" changes
when nothing changed at all. The Benjamini-Hochberg step-up procedure (Benjamini Y, Hochberg Y 1995, "Controlling
the false discovery rate: a practical and powerful approach to multiple testing", JRSS B 57:289-300) keeps the
expected share of false discoveries among the reported ones at most q (for independent or positively dependent
tests):

    sort the m p-values p_(1) <= ... <= p_(m); reject H_(1..k) for the largest k with p_(k) <= k q / m.

Equivalently, the BH-adjusted p-value of p_(i) is min over j >= i of min(1, m p_(j) / j) (R's p.adjust(p, "BH"),
scipy.stats.false_discovery_control, which is used here), and a test is significant when its adjusted p-value is
<= q.

Which tests form the family is the caller's choice: all areas shown on one page (e.g. all buurten of a
municipality for one indicator and year) is the natural one. ``None`` entries (tests that could not be done,
e.g. no events) are passed through: they are not counted in m, are never significant and have no adjusted value.
"""

import math
import numbers
from collections.abc import Sequence

import numpy as np
from scipy import stats as _st


def _present(p_values: Sequence[float | None]) -> tuple[list[int], np.ndarray]:
    positions: list[int] = []
    values: list[float] = []
    for i, p in enumerate(p_values):
        if p is None:
            continue
        if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= p <= 1.0:
            raise ValueError(f"p-value at position {i} must be a number in [0, 1] or None, got {p!r}")
        positions.append(i)
        values.append(float(p))
    return positions, np.array(values, dtype=float)


def bh_adjusted(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg adjusted p-values, in the input order; None stays None."""
    positions, values = _present(p_values)
    adjusted: list[float | None] = [None] * len(p_values)
    if positions:
        for i, value in zip(positions, _st.false_discovery_control(values, method="bh").tolist(), strict=True):
            adjusted[i] = value
    return adjusted


def benjamini_hochberg(p_values: Sequence[float | None], q: float = 0.05) -> list[bool]:
    """Significant after controlling the false discovery rate at ``q``, in the input order; None is False."""
    if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0.0 < q < 1.0 or math.isnan(q):
        raise ValueError(f"q must be strictly between 0 and 1 (e.g. 0.05), got {q!r}")
    return [value is not None and value <= q for value in bh_adjusted(p_values)]


__all__ = ["benjamini_hochberg", "bh_adjusted"]
