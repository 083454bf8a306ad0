"""An indicator's series as a JSON-ready document: what `ivp indicator_series --format json` prints and what the
open API starts from (it then applies the publication gate, ivp.api.serializers)."""

from ivp.indicators.labels import verdict_label


def _round(value, digits=3):
    return None if value is None else round(value, digits)


def series_document(series) -> dict:
    trend = series.trend
    return {
        "indicator": series.indicator.code,
        "indicator_name": str(series.indicator.name),
        "area": series.area_code,
        "area_name": series.area_name,
        "level": series.level,
        "source_table": series.source.table if series.source else None,
        "source_note": str(series.source.note) if series.source and series.source.note else "",
        "other_sources": series.other_sources,
        "no_data": not series.has_data,
        "no_data_reason": series.no_data_reason,
        "no_data_source": series.no_data_source,
        "per": series.indicator.per,
        "denominator": "inhabitants on 1 January of the year (CBS)",
        "period_unit": "month" if any(p.month for p in series.points) else "year",
        "confidence_level": 0.95,
        "verdict_threshold": "two-sided p < 0.05",
        "source_rounding": series.rounding,
        "between_year_dispersion": {"phi": _round(series.dispersion), "df": series.dispersion_df},
        "multiplicity": ("Benjamini-Hochberg over the wijken/buurten of the municipality per period, FDR 0.05"
                         if series.level in ("wijk", "buurt") else None),
        "points": [{
            "period": p.period,
            "count": p.count,
            "count_lower": _round(p.count_lower),
            "count_upper": _round(p.count_upper),
            "population": p.population,
            "rate": _round(p.rate, 4),
            "rate_lower": _round(p.lower, 4),
            "rate_upper": _round(p.upper, 4),
            "verdict": p.verdict,
            "verdict_label": verdict_label(p.verdict),
            "no_verdict_reason": p.no_verdict,
            "change_method": p.change.method if p.change else None,
            "change_pct": _round(p.change.change_pct, 2) if p.change else None,
            "p_value": _round(p.change.p_value, 6) if p.change else None,
            "p_adjusted": _round(p.p_adjusted, 6),
            "tests_in_family": p.family_size or None,
            "note": p.note,
        } for p in series.points],
        "trend_note": series.trend_note,
        "trend": None if trend is None else {
            "verdict": str(trend.verdict) if not series.trend_note else "insufficient_data",
            "verdict_label": verdict_label(str(trend.verdict) if not series.trend_note else "insufficient_data"),
            "reason": trend.reason, "points": trend.n_points, "df": trend.df,
            "change_pct_per_year": _round(trend.change_pct, 2),
            "lower_pct": _round(trend.change_lower_pct, 2), "upper_pct": _round(trend.change_upper_pct, 2),
            "p_value": _round(trend.p_value, 6), "dispersion": _round(trend.dispersion, 3),
            "reference_distribution": f"t({trend.df})" if trend.df else None,
        },
    }
