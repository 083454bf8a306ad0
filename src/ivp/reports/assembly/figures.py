"""The figures of a report: per general goal its indicators under the public rules (the one publication gate's
public audience, ADR 0011: a report leaves the building), and the figures left out for want of a published
duiding."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ivp import notation
from ivp.indicators.dashboard import card_for, interpretations_for, rate_title
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.labels import verdict_label
from ivp.indicators.publication import FigureGate
from ivp.indicators.series import public_source_name
from ivp.plans.models import Plan

from .. import content as c
from .common import Progress, person_name

_ROW_FIELDS = ("period", "count", "population", "rate", "interval", "verdict", "note")


def _figure(card) -> c.Figure:
    series, view, latest = card.series, card.view, card.latest
    use_rate = any(p.rate is not None for p in view.points)
    latest_row = next((r for r in reversed(card.rows) if latest and r["period"] == latest.period), None)
    if latest_row is None:
        value, interval, count = "-", "-", "-"
    elif use_rate:
        value, interval, count = latest_row["rate"], latest_row["interval"], latest_row["count"]
    else:
        value, interval, count = latest_row["count"], latest_row["count_interval"], latest_row["count"]
    chart = None
    if card.chart_svg:
        rows = [{"period": p.period, "value": p.rate if use_rate else p.count,
                 "lower": p.lower if use_rate else p.count_lower,
                 "upper": p.upper if use_rate else p.count_upper} for p in view.points
                if (p.rate if use_rate else p.count) is not None]
        chart = c.ChartData(rows=rows, y_title=rate_title() if use_rate else _("number of registrations"),
                            x_title=_("year"), title=f"{card.indicator.name}: {series.area_name}",
                            description=_("%(what)s per year with the 95%% interval as a band; the numbers are in "
                                          "the table beside the chart.")
                            % {"what": _("Rate") if use_rate else _("Number")})
    trend = view.trend_note
    if view.trend is not None and view.trend.change_pct is not None and not view.trend_note:
        trend = _("%(verdict)s: %(pct)s%% per year (95%% interval %(lo)s%% to %(hi)s%%)") % {
            "verdict": verdict_label(str(view.trend.verdict)), "pct": notation.decimal(view.trend.change_pct),
            "lo": notation.decimal(view.trend.change_lower_pct), "hi": notation.decimal(view.trend.change_upper_pct)}
    note = card.interpretation
    by = ""
    if note is not None:
        by = _("Interpretation by %(author)s") % {"author": person_name(note.author)}
        if note.cosigned_by_id:
            by = _("Interpretation by %(author)s, co-signed by the police (%(cosigner)s)") % {
                "author": person_name(note.author), "cosigner": person_name(note.cosigned_by)}
    notes = [text for text in (card.stale_note, view.withheld_note) if text]
    if card.rounded:
        notes.append(_("The source rounds these counts to multiples of 5; the intervals allow for that rounding and "
                       "are approximate."))
    if card.too_small:
        notes.append(_("The numbers here are too small to see a real change: chance dominates. Look at the base "
                       "team as a whole for the trend."))
    return c.Figure(
        code=card.indicator.code, name=str(card.indicator.name), description=str(card.indicator.description),
        unit=rate_title() if use_rate else _("number of registrations"),
        latest_period=latest.period if latest else "", value=value, interval=interval, count=count,
        verdict=card.latest_verdict or _("no comparison"), trend=trend,
        interpretation=note.text if note else "", interpretation_by=by,
        source=series.source.table if series.source else "", chart_svg=card.chart_svg, chart=chart,
        rows=[c.FigureRow(**{k: r[k] for k in _ROW_FIELDS}) for r in card.rows], too_small=card.too_small, notes=notes,
        source_name=public_source_name(series.source) if series.source else "",
        source_note=str(series.source.note) if series.source and series.source.note else "")


def public_cards(area_code: str, period_start: int | None = None) -> dict:
    """The indicator cards as the public audience gets them (the publication gate's public view)."""
    gate = FigureGate.public()
    notes = interpretations_for(gate, area_code)
    return {code: card_for(None, indicator, area_code, gate=gate, notes=notes, period_start=period_start)
            for code, indicator in INDICATORS.items()}


def goal_sections(plan: Plan, area_code: str, progress: Progress, *,
                  period_start: int | None = None) -> tuple[list[c.GoalSection], list[c.WithheldFigure]]:
    progress.step(_("Figures and their interpretation"))
    cards = public_cards(area_code, period_start)
    goals = list(plan.general_goals.order_by("number"))
    sections, withheld = [], []
    figures: dict[str, c.Figure] = {}
    for goal in goals:
        section = c.GoalSection(goal.number, goal.code, goal.title)
        for code, indicator in INDICATORS.items():
            if goal.code not in indicator.goals:
                continue
            card = cards[code]
            if not card.series.has_data:
                section.without_data.append((str(indicator.name), card.series.no_data_reason))
            elif card.hidden_reason:
                section.withheld.append(str(indicator.name))
            elif code in figures:
                first = next(g for g in sections if any(f.code == code for f in g.figures))
                section.see_also.append((str(indicator.name), figures[code].anchor, f"{first.number}. {first.title}"))
            else:
                figures[code] = _figure(card)
                section.figures.append(figures[code])
        sections.append(section)
    for code, card in cards.items():
        if card.series.has_data and card.hidden_reason:
            indicator = INDICATORS[code]
            withheld.append(c.WithheldFigure(
                code=code, name=str(indicator.name),
                goals=[f"{g.number}. {g.title}" for g in goals if g.code in indicator.goals],
                latest_period=card.series.latest.period if card.series.latest else "",
                reason=_("No published interpretation (duiding) for %(period)s.") % {
                    "period": card.series.latest.period if card.series.latest else "-"}))
    return sections, withheld

