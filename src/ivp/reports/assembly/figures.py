"""The figures of a report: per general goal its indicators under the public rules (as `card_for` shows them
to an anonymous visitor), and the figures left out for want of a published duiding."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from ivp.indicators.dashboard import card_for
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.labels import verdict_label
from ivp.plans.models import Plan
from ivp.stats.suppression import is_suppressed

from .. import content as c
from .common import Progress, fmt_number, person_name


def _figure(card) -> c.Figure:
    series, latest = card.series, card.latest
    use_rate = any(p.rate is not None for p in series.points)
    latest_row = next((r for r in reversed(card.rows) if latest and r["period"] == latest.period), None)
    if latest_row is None:
        value, interval, count = "-", "-", "-"
    elif use_rate:
        value, interval, count = latest_row["rate"], latest_row["interval"], latest_row["count"]
    else:
        value, interval, count = latest_row["count"], "-", latest_row["count"]
        if latest and latest.count_lower is not None and not (card.public and is_suppressed(latest.count or 0)):
            interval = f"{fmt_number(latest.count_lower)} - {fmt_number(latest.count_upper)}"
    chart = None
    if card.chart_svg:
        rows = [{"period": p.period, "value": p.rate if use_rate else p.count,
                 "lower": p.lower if use_rate else p.count_lower,
                 "upper": p.upper if use_rate else p.count_upper} for p in series.points
                if (p.rate if use_rate else p.count) is not None]
        chart = c.ChartData(rows=rows, y_title=_("per 1,000 inhabitants") if use_rate else _("count"),
                            x_title=_("year"), title=f"{card.indicator.name}: {series.area_name}",
                            description=_("%(what)s per year with the 95%% interval as a band; the numbers are in "
                                          "the table beside the chart.")
                            % {"what": _("Rate") if use_rate else _("Number")})
    trend = ""
    if series.trend is not None and series.trend.change_pct is not None:
        trend = _("%(verdict)s: %(pct)s%% per year (95%% interval %(lo)s%% to %(hi)s%%)") % {
            "verdict": verdict_label(str(series.trend.verdict)), "pct": fmt_number(series.trend.change_pct),
            "lo": fmt_number(series.trend.change_lower_pct), "hi": fmt_number(series.trend.change_upper_pct)}
    note = card.interpretation
    by = ""
    if note is not None:
        by = _("Interpretation by %(author)s") % {"author": person_name(note.author)}
        if note.cosigned_by_id:
            by = _("Interpretation by %(author)s, co-signed by the police (%(cosigner)s)") % {
                "author": person_name(note.author), "cosigner": person_name(note.cosigned_by)}
    notes = []
    if card.too_small:
        notes.append(_("The numbers here are too small to see a real change: chance dominates. Look at the base "
                       "team as a whole for the trend."))
    return c.Figure(
        code=card.indicator.code, name=str(card.indicator.name), description=str(card.indicator.description),
        unit=_("per 1,000 inhabitants") if use_rate else _("count"),
        latest_period=latest.period if latest else "", value=value, interval=interval, count=count,
        verdict=card.latest_verdict or _("no comparison"), trend=trend,
        interpretation=note.text if note else "", interpretation_by=by,
        source=series.source.table if series.source else "", chart_svg=card.chart_svg, chart=chart,
        rows=[c.FigureRow(**r) for r in card.rows], too_small=card.too_small, notes=notes)


def public_cards(area_code: str) -> dict:
    """The indicator cards as an anonymous visitor of the public dashboard gets them."""
    viewer = AnonymousUser()
    return {code: card_for(viewer, indicator, area_code) for code, indicator in INDICATORS.items()}


def goal_sections(plan: Plan, area_code: str, progress: Progress) -> tuple[list[c.GoalSection], list[c.WithheldFigure]]:
    progress.step(_("Figures and their interpretation"))
    cards = public_cards(area_code)
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
                latest_period=card.latest.period if card.latest else "",
                reason=_("No published interpretation (duiding) for %(period)s.") % {
                    "period": card.latest.period if card.latest else "-"}))
    return sections, withheld

