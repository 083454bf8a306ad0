"""Assemble the report model (ivp.reports.content) from live data, read as one user.

Every read of municipality-owned data goes through `Model.objects.for_user(user)` or the selectors
built on it. The figures follow the PUBLIC rules: a council report is a public document, so each
indicator is taken from `ivp.indicators.dashboard.card_for` as an anonymous visitor sees it (the
numbers are those of the public dashboard by construction): without a published interpretation a
figure is left out and listed, and small counts are suppressed.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ivp import notation
from ivp.areas.models import Area
from ivp.execution.models import FINAL_STATUSES, ActivityStatus
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.series import BASE_TEAM
from ivp.plans.models import Plan
from ivp.plans.selectors import plans_for_user

from .. import content as c
from ..api import KINDS, LETTER, check_as_of, kind_label, period_choices
from .activities import (
    activities_of,
    activity_item,
    coverage_section,
    execution_plans_of,
    execution_summary,
    priority_sections,
    theme_sections,
)
from .common import Progress, area_of, require_read, years_of
from .conclusions import approval_label, conclusions_section
from .figures import goal_sections
from .fund_and_agreements import agreement_rows, fund_section
from .information import information_section
from .revision import adopted_version, adoption_text, diff_section, version_label


def _title(kind: str, plan: Plan, area_name: str) -> str:
    if kind == "midterm":
        return _("Midterm evaluation Integral Safety Plan %(period)s — %(area)s") % {
            "period": plan.period_label, "area": area_name}
    return _("Annual progress report Integral Safety Plan %(period)s — %(area)s") % {
        "period": plan.period_label, "area": area_name}


def _report_plan(user, plan_key: str | None, municipality) -> Plan | None:
    # A proposal (a re-prioritisation or the next period's plan) is not what the report reports on (ADR 0015).
    qs = plans_for_user(user).filter(is_proposal=False)
    if plan_key:
        qs = qs.filter(key=plan_key)
    newest = qs.order_by("-created_at", "-version").first()
    if newest is None:
        return None
    versions = list(plans_for_user(user).filter(key=newest.key).order_by("-version"))
    return adopted_version(user, versions, municipality) or newest


def assemble(*, user, area_code: str, kind: str, period: str, progress=None, today: dt.date | None = None,
             plan_key: str | None = None, as_of: dt.date | None = None, council_report=None) -> c.Report:
    """The report "per" `as_of` (default: the end of its period, or today while the period runs): each activity
    as it stood that day, the fund's commitments and expenditures dated up to it. `council_report` (a
    ivp.reports.models.CouncilReport, or None) gives the college's conclusions, the approval state and the version."""
    if kind not in KINDS or kind == LETTER:
        raise ValidationError({"kind": _("Unknown kind of report \"%(kind)s\".") % {"kind": kind}})
    if period not in period_choices(kind):
        raise ValidationError({"period": _("Period \"%(period)s\" does not fit this kind of report.")
                               % {"period": period}})
    as_of = check_as_of(kind, period, as_of, today=today)
    steps = Progress(progress, 8)
    steps.step(_("Reading the plan"))
    municipality, area_name = area_of(area_code)
    require_read(user, municipality, area_name)
    plan = _report_plan(user, plan_key, municipality)
    if plan is None:
        raise ValidationError({"period": _("There is no plan yet. Load the plan first.")})
    team_name = _("Base team")
    years = years_of(kind, period)
    figures_area = BASE_TEAM if municipality is None else area_code
    if municipality is not None and not Area.objects.filter(code=area_code).exists():
        goals = [c.GoalSection(g.number, g.code, g.title) for g in plan.general_goals.order_by("number")]
        for goal in goals:
            goal.without_data = [(str(ind.name), _("No figures have been imported yet."))
                                 for ind in INDICATORS.values() if goal.code in ind.goals]
        withheld = []
        steps.step(_("Figures and their interpretation"))
    else:
        goals, withheld = goal_sections(plan, figures_area, steps, period_start=min(years))

    steps.step(_("Execution plans and activities"))
    execution_plans = execution_plans_of(user, plan, municipality, years)
    activities = activities_of(user, execution_plans)
    items = {a.pk: activity_item(a, team_name, as_of) for a in activities}
    themes = theme_sections(user, plan, execution_plans, activities, items, team_name)
    priorities = priority_sections(user, plan, municipality, execution_plans, activities, items)
    linked = {a.pk for a in activities if a.themes.all() or a.local_priorities.all()}
    unlinked = [items[a.pk] for a in activities if a.pk not in linked]
    execution = execution_summary(user, municipality, execution_plans, activities, items, team_name)
    if execution_plans:
        execution_note = "; ".join(
            _("%(owner)s: execution plan %(period)s, %(status)s") % {
                "owner": ep.municipality.name if ep.municipality else team_name, "period": ep.period_label,
                "status": ep.get_status_display() + (f" ({notation.date(ep.adopted_on)})" if ep.adopted_on else "")}
            for ep in execution_plans)
    else:
        execution_note = _("There is no execution plan for %(area)s covering %(period)s yet.") % {
            "area": area_name, "period": period}

    steps.step(_("Coverage of themes and focus lenses"))
    period_start = next(s for s, e in _periods(plan) if s <= years[0] <= e)
    coverage = coverage_section(user, plan, municipality, execution_plans, period_start)

    steps.step(_("Safety fund"))
    fund = fund_section(user, municipality, years, as_of=as_of)

    steps.step(_("Cooperation agreements"))
    agreements = agreement_rows(user, municipality, team_name)
    agreements_note = "" if agreements else _("No cooperation agreements concerning %(area)s are registered.") % {
        "area": area_name}

    diff = None
    information = None
    if kind == "midterm":
        steps.step(_("Proposed re-prioritisation"))
        diff = diff_section(user, plan.key, municipality, area_name)
        information = information_section(municipality=municipality, area_code=area_code, years=years,
                                          execution_plans=execution_plans)

    made_at = timezone.localtime()
    adoption = adoption_text(user, plan, municipality)
    active = [a for a in activities if items[a.pk].status_code not in FINAL_STATUSES]
    facts = [
        c.Fact(_("Area"), area_name if municipality else _("%(name)s (all five municipalities)") % {"name": area_name}),
        c.Fact(_("Kind of report"), kind_label(kind)),
        c.Fact(_("Period"), period),
        c.Fact(_("Plan"), f"{plan.title} ({plan.period_label})"),
        c.Fact(_("Plan version"), version_label(plan)),
        c.Fact(_("Adoption by the council"), adoption),
        c.Fact(_("As of"), notation.date(as_of)),
        c.Fact(_("Status"), approval_label(council_report)),
        c.Fact(_("Made on"), notation.date(made_at)),
    ]
    if council_report is not None:
        facts.insert(-2, c.Fact(_("Version of this report"), str(council_report.number)))
    key_points = [
        _("%(shown)s figures with a published interpretation are included; %(withheld)s figures without one are "
          "listed but not shown.") % {"shown": notation.integer(len({f.code for g in goals for f in g.figures})),
                                      "withheld": notation.integer(len(withheld))},
        ngettext("%(n)s activity in the execution plan(s) of this period, of which %(active)s still running.",
                 "%(n)s activities in the execution plan(s) of this period, of which %(active)s still running.",
                 len(activities)) % {"n": notation.integer(len(activities)), "active": notation.integer(len(active))},
    ]
    behind = [a for a in activities if items[a.pk].status_code in (ActivityStatus.BEHIND, ActivityStatus.AT_RISK)]
    if behind:
        key_points.append(ngettext("%(n)s activity is behind schedule or at risk.",
                                   "%(n)s activities are behind schedule or at risk.", len(behind))
                          % {"n": notation.integer(len(behind))})
    if coverage.has_plan:
        key_points.append(coverage.gap_scope)
    late = [m for item in items.values() for m in item.milestones if m.state_code == "overdue"]
    if late:
        key_points.append(ngettext("%(n)s milestone was overdue on %(date)s.",
                                   "%(n)s milestones were overdue on %(date)s.", len(late))
                          % {"n": notation.integer(len(late)), "date": notation.date(as_of)})
    overdue = [a for a in agreements if a.overdue]
    if overdue:
        key_points.append(ngettext("%(n)s cooperation agreement is past its review date.",
                                   "%(n)s cooperation agreements are past their review date.", len(overdue))
                          % {"n": notation.integer(len(overdue))})
    if diff is not None and diff.changes:
        key_points.append(_("The proposed re-prioritisation changes %(n)s parts of the plan.")
                          % {"n": notation.integer(len(diff.changes))})
    if kind == "midterm":
        intro = [
            _("The Integral Safety Plan %(period)s is evaluated after two years. This midterm evaluation describes "
              "for %(area)s how the figures developed, what the execution plan achieved in %(years)s, how the "
              "safety fund was used, and which re-prioritisation is proposed for the remaining period.") % {
                "period": plan.period_label, "area": area_name, "years": period},
        ]
    else:
        intro = [
            _("In this annual progress report the college informs the council about the execution of the Integral "
              "Safety Plan %(period)s in %(area)s in %(year)s: the figures, the activities of the execution plan, "
              "the safety fund and the cooperation agreements.") % {
                "period": plan.period_label, "area": area_name, "year": period},
        ]
    intro.append(_("Figures are included only with a published interpretation (duiding), as on the public pages. "
                   "Small numbers (1 to 4) are hidden, and so are numbers from which a hidden one could be worked "
                   "out. The intervals (95%) show the margin of chance; a change is called an increase or decrease "
                   "only when it is larger than the usual fluctuation from year to year (significance level 5%)."))
    sources = [
        *(_("%(name)s: %(publisher)s, table %(table)s.") % {"name": f.name, "publisher": f.source_name,
                                                             "table": f.source}
          + (f" {f.source_note}" if f.source_note else "")
          for f in {x.code: x for g in goals for x in g.figures}.values() if f.source),
        _("Population: CBS 37230ned (1 January) and 85984NED (neighbourhoods)."),
        _("Methods: rates per 1,000 inhabitants on 1 January with exact 95% Poisson intervals; year-on-year changes "
          "tested against the fluctuation between years of areas of comparable size (quasi-Poisson, two-sided 5%); "
          "trends only with at least five yearly figures and not across a break in the series; areas compared in "
          "funnel plots with limits that allow for the usual spread between areas (random effects, Spiegelhalter "
          "2005); changes below the municipality controlled for the number of areas tested (Benjamini-Hochberg, "
          "5%); no rates below 200 inhabitants; counts of 1 to 4 hidden with secondary suppression in the style of "
          "CBS."),
        _("Execution plans, activities, the safety fund and agreements: the IVP application, made on %(made)s; "
          "activities and fund entries as of %(date)s.") % {"made": notation.date(made_at),
                                                             "date": notation.date(as_of)},
    ]
    report = c.Report(
        kind=kind, kind_label=kind_label(kind), area_code=area_code, area_name=area_name,
        is_base_team=municipality is None, period=period, years=years, title=_title(kind, plan, area_name),
        subtitle=_("%(kind)s %(period)s") % {"kind": kind_label(kind), "period": period},
        made_at=made_at, made_at_label=notation.date(made_at), as_of=as_of, as_of_label=notation.date(as_of),
        plan_title=plan.title, plan_version=version_label(plan),
        adoption=adoption, facts=facts, introduction=intro, key_points=key_points, goals=goals,
        withheld=withheld, themes=themes, priorities=priorities, unlinked=unlinked, execution=execution,
        execution_note=execution_note, coverage=coverage, fund=fund, agreements=agreements,
        agreements_note=agreements_note, diff=diff, sources=sources, information=information,
        file_stem=_file_stem(kind, area_name, period),
        conclusions=conclusions_section(council_report, themes), status_label=approval_label(council_report),
        is_concept=council_report is None or council_report.is_concept,
        report_number=council_report.number if council_report is not None else 0,
    )
    report.toc = _toc(report)
    steps.finish(_("Report assembled"))
    return report


def _periods(plan: Plan):
    from ivp.execution.selectors import periods_of

    return periods_of(plan)


def _file_stem(kind: str, area_name: str, period: str) -> str:
    prefix = "tussentijdse-evaluatie-ivp" if kind == "midterm" else "voortgangsrapportage-ivp"
    return re.sub(r"-+", "-", f"{prefix}-{slugify(area_name)}-{period}")


def _toc(report: c.Report) -> list[c.Section]:
    n = 0

    def nxt() -> str:
        nonlocal n
        n += 1
        return str(n)

    toc = [c.Section("samenvatting", nxt(), _("Summary"))]
    conclusions = c.Section("conclusies", nxt(), _("Conclusions and recommendations"))
    if report.conclusions is not None:
        for i, theme in enumerate(report.conclusions.themes, 1):
            theme.toc_number = f"{conclusions.number}.{i}"
            conclusions.children.append(c.Section(theme.anchor, theme.toc_number, theme.title))
    toc.append(conclusions)
    figures = c.Section("cijfers", nxt(), _("Figures per general goal"))
    figures.children = [c.Section(g.anchor, f"{figures.number}.{i}", f"{g.number}. {g.title}")
                        for i, g in enumerate(report.goals, 1)]
    for goal, entry in zip(report.goals, figures.children, strict=False):
        goal.toc_number = entry.number
    figures.children.append(c.Section("zonder-duiding", f"{figures.number}.{len(report.goals) + 1}",
                                      _("Figures without interpretation (not included)")))
    toc.append(figures)
    execution = c.Section("uitvoering", nxt(), _("Execution per theme"))
    execution.children = [c.Section(t.anchor, f"{execution.number}.{i}", f"{t.number}. {t.title}")
                          for i, t in enumerate(report.themes, 1)]
    for theme, entry in zip(report.themes, execution.children, strict=False):
        theme.toc_number = entry.number
    execution.children.append(c.Section("lokale-prioriteiten", f"{execution.number}.{len(report.themes) + 1}",
                                        _("Local priorities")))
    toc.append(execution)
    toc.append(c.Section("dekking", nxt(), _("Coverage gaps")))
    toc.append(c.Section("fonds", nxt(), _("Safety fund")))
    toc.append(c.Section("afspraken", nxt(), _("Cooperation agreements")))
    if report.information is not None:
        toc.append(c.Section("informatiepositie", nxt(), _("Information position")))
    if report.diff is not None:
        toc.append(c.Section("herprioritering", nxt(), _("Proposed re-prioritisation")))
    toc.append(c.Section("verantwoording", nxt(), _("Sources and method")))
    return toc

