"""The midterm report's chapter on the information position (issue 15 item 5, ADR 0021): the totals of the
information registers per municipality and year, only through the public audience of the one publication gate (a
council report leaves the building): a published duiding first, counts of 1 to 4 hidden, never below the
municipality, never a youth group or a signal row. How many activities address the signals and youth groups is
given as a number only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ivp import notation
from ivp.areas.models import Area
from ivp.execution.models import Activity
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.publication import FigureGate
from ivp.indicators.series import BASE_TEAM, indicator_series

from .. import content as c


def register_indicators() -> list:
    return [indicator for indicator in INDICATORS.values() if "register" in indicator.tags]


def information_section(*, municipality, area_code: str, years: list[int],
                        execution_plans) -> c.InformationSection:
    gate = FigureGate.public()
    rows, withheld, method_note = [], [], ""
    figures_area = area_code if municipality is not None else BASE_TEAM
    known = municipality is None or Area.objects.filter(code=area_code).exists()
    for indicator in register_indicators() if known else []:
        series = indicator_series(indicator.code, figures_area)
        view = gate.series(series)
        method_note = method_note or str(indicator.method_note)
        by_year = {p.year: p for p in view.points if not p.month}
        if not series.has_data:
            continue
        if not any(year in by_year for year in years):
            withheld.append(str(indicator.name))
            continue
        rows.append(c.InformationRow(str(indicator.name), [
            by_year[year].count_text if year in by_year else "-" for year in years]))
    activities = Activity.objects.filter(execution_plan__in=execution_plans)
    on_signals = activities.exclude(signal_categories=[]).count()
    on_groups = activities.filter(youth_groups__isnull=False).distinct().count()
    activities_note = _("%(signals)s activities of the execution plan(s) respond to kinds of signals; %(groups)s "
                        "address problematic youth groups.") % {"signals": notation.integer(on_signals),
                                                                  "groups": notation.integer(on_groups)}
    return c.InformationSection(years=[str(y) for y in years], rows=rows, withheld=withheld,
                                method_note=method_note, activities_note=activities_note)
