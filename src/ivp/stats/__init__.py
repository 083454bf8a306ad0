"""Statistics for small registered-crime counts: exact intervals, change and trend tests, funnel plots.

Pure computation on numpy and scipy (no Django), so it can run anywhere: views, management commands, data imports.
The special functions and distributions come from scipy (issue 12: a maintained library instead of hand-written
series and solvers), vectorised with numpy so that a national table of ~15,000 buurten is one pass.

Issue 12 (measured on the real data) is why overdispersion is handled throughout: crime counts vary far more
between areas and years than Poisson noise, so the funnel estimates it (random effects), the trend and change
tests widen for it (quasi-Poisson, t reference), many tests can be FDR-controlled, and counts rounded at the
source get conservative, never "exact", intervals and tests.

Modules
    special       incomplete gamma / beta, their inverses and the normal distribution (scipy.special, validated)
    discrete      Poisson and binomial probabilities, exact binomial test (vectorised minlike p-values)
    poisson       Garwood exact interval for a count, rates per 1000 with intervals; rounded source counts
    change        exact conditional or quasi-Poisson test for a change between two periods; pooled dispersion
    trend         quasi-Poisson log-linear trend with a t(n - 2) reference, at least 5 points
    funnel        funnel-plot control limits and flags, exact Poisson or Spiegelhalter's random effects
    multiplicity  Benjamini-Hochberg false discovery rate control
    small_areas   minimum population for showing a rate, count bands below it
    suppression   small-count suppression ("<5") and fall-back advice
    breaks        structural breaks (boundary changes, COVID-19) to annotate results
    verdict       the verdict codes and their Dutch wording (for the caller's translations)
"""

from ivp.stats.breaks import DEFAULT_BREAKS, StructuralBreak, breaks_affecting, municipality_code
from ivp.stats.change import Change, ChangeMethod, between_year_dispersion, compare_many, compare_periods
from ivp.stats.discrete import (
    binom_cdf,
    binom_pmf,
    binom_sf,
    binomtest_pvalue,
    binomtest_pvalues,
    poisson_cdf,
    poisson_pmf,
    poisson_quantile,
    poisson_sf,
    poisson_tails,
)
from ivp.stats.funnel import (
    MIN_AREAS_FOR_DISPERSION,
    FunnelCode,
    FunnelFlag,
    FunnelMethod,
    FunnelPoint,
    Overdispersion,
    estimate_overdispersion,
    expected_count,
    flag,
    flags,
    funnel_limits,
    lower_count_limit,
    upper_count_limit,
)
from ivp.stats.multiplicity import benjamini_hochberg, bh_adjusted
from ivp.stats.poisson import Rate, exact_interval, exact_intervals, rate_interval, rate_intervals
from ivp.stats.small_areas import MIN_POPULATION_FOR_RATE, count_band
from ivp.stats.special import (
    beta_isf,
    beta_ppf,
    betainc,
    betaincc,
    chi2_isf,
    chi2_ppf,
    gamma_isf,
    gamma_ppf,
    gammainc_lower,
    gammainc_upper,
    norm_cdf,
    norm_ppf,
    norm_sf,
)
from ivp.stats.suppression import display_count, is_suppressed, needs_fallback, suppress_rate
from ivp.stats.trend import MIN_POINTS, Trend, poisson_trend
from ivp.stats.verdict import Verdict

__all__ = [
    "DEFAULT_BREAKS",
    "MIN_AREAS_FOR_DISPERSION",
    "MIN_POINTS",
    "MIN_POPULATION_FOR_RATE",
    "Change",
    "ChangeMethod",
    "FunnelCode",
    "FunnelFlag",
    "FunnelMethod",
    "FunnelPoint",
    "Overdispersion",
    "Rate",
    "StructuralBreak",
    "Trend",
    "Verdict",
    "benjamini_hochberg",
    "beta_isf",
    "beta_ppf",
    "betainc",
    "betaincc",
    "between_year_dispersion",
    "bh_adjusted",
    "binom_cdf",
    "binom_pmf",
    "binom_sf",
    "binomtest_pvalue",
    "binomtest_pvalues",
    "breaks_affecting",
    "chi2_isf",
    "chi2_ppf",
    "compare_many",
    "compare_periods",
    "count_band",
    "display_count",
    "estimate_overdispersion",
    "exact_interval",
    "exact_intervals",
    "expected_count",
    "flag",
    "flags",
    "funnel_limits",
    "gamma_isf",
    "gamma_ppf",
    "gammainc_lower",
    "gammainc_upper",
    "is_suppressed",
    "lower_count_limit",
    "municipality_code",
    "needs_fallback",
    "norm_cdf",
    "norm_ppf",
    "norm_sf",
    "poisson_cdf",
    "poisson_pmf",
    "poisson_quantile",
    "poisson_sf",
    "poisson_tails",
    "poisson_trend",
    "rate_interval",
    "rate_intervals",
    "suppress_rate",
    "upper_count_limit",
]
