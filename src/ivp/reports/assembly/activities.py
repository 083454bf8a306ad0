"""The execution part of a report: execution plans of the period, activities per theme and local priority,
the per-municipality summary (base team) and the coverage gaps."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from ivp import notation
from ivp.core.models import Organisation
from ivp.execution.asof import milestone_state, status_as_of
from ivp.execution.coverage import EMPTY_CELL_DEFINITION, coverage_matrix
from ivp.execution.models import Activity, ActivityStatus, ExecutionPlan
from ivp.execution.selectors import execution_plans_for_user
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.publication import FigureGate
from ivp.money import format_euro
from ivp.plans.models import LocalPriority, Plan, StatementKind, Theme

from .. import content as c
from .common import person_name


def execution_plans_of(user, plan: Plan, municipality: Organisation | None, years: list[int]) -> list[ExecutionPlan]:
    """The execution plans covering the report's years (newest plan version first per owner)."""
    qs = execution_plans_for_user(user).filter(plan__key=plan.key, period_start__lte=max(years),
                                                period_end__gte=min(years))
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    chosen: dict[tuple, ExecutionPlan] = {}
    for ep in qs.order_by("-plan__version", "period_start"):
        chosen.setdefault((ep.municipality_id, ep.period_start), ep)
    return sorted(chosen.values(), key=lambda ep: (ep.municipality.name if ep.municipality else "", ep.period_start))


def activities_of(user, execution_plans: list[ExecutionPlan]) -> list[Activity]:
    return list(Activity.objects.for_user(user).filter(execution_plan__in=execution_plans)
                .select_related("owner", "municipality", "execution_plan")
                .prefetch_related("themes", "focus_lenses", "local_priorities", "wijken", "milestones",
                                  "partner_roles__organisation", "status_updates")
                .order_by("municipality__name", "title", "id"))


def activity_item(activity: Activity, team_name: str, as_of) -> c.ActivityItem:
    """The activity as it stood on `as_of`: the latest status update whose as-of date is on or before it, the
    milestones done, overdue or open on that day (ivp.execution.asof, as on the activity page)."""
    latest = status_as_of(activity.status_updates.all(), as_of)
    milestones = [c.Milestone(m.title, notation.date(m.due_date), str(milestone_state(m, as_of).label),
                              milestone_state(m, as_of).value) for m in activity.milestones.all()]
    actual = format_euro(activity.actual_budget_cents)
    return c.ActivityItem(
        title=activity.title,
        municipality=activity.municipality.name if activity.municipality else team_name,
        status=str(latest.get_status_display()) if latest else _("no status update yet"),
        status_date=notation.date(latest.as_of) if latest else "",
        status_code=latest.status if latest else "",
        owner=person_name(activity.owner),
        lenses=[lens.name for lens in sorted(activity.focus_lenses.all(), key=lambda x: x.number)],
        partners=[f"{p.organisation.name} ({p.get_role_display()})" for p in activity.partner_roles.all()],
        themes=[f"{t.number} {t.short_title or t.title}" for t in sorted(activity.themes.all(), key=lambda t: t.order)],
        wijken=[w.name for w in activity.wijken.all()],
        planned_budget=format_euro(activity.planned_budget_cents),
        actual_budget=actual,
        actual_budget_date=notation.date(activity.budget_as_of),
        planned_budget_cents=activity.planned_budget_cents, actual_budget_cents=activity.actual_budget_cents,
        milestones=milestones, narrative=latest.narrative if latest else "", description=activity.description,
    )


def theme_sections(user, plan: Plan, execution_plans, activities, items, team_name: str) -> list[c.ThemeSection]:
    """Per top-level theme of the plan: its sub-themes, ambitions, local adjustments and activities.
    Activities are matched by theme code, so an execution plan of another plan version still fits."""
    adjustments = [a for ep in execution_plans for a in ep.adjustments.select_related("theme")]
    themes = list(Theme.objects.filter(plan=plan).prefetch_related("statements").order_by("order"))
    sections = []
    for theme in (t for t in themes if t.parent_id is None):
        subs = [t for t in themes if t.parent_id == theme.pk]
        codes = {theme.code, *(s.code for s in subs)}
        serving = [items[a.pk] for a in activities if any(t.code in codes for t in a.themes.all())]
        notes = []
        for adj in adjustments:
            if adj.theme.code not in codes or adj.is_inherited:
                continue
            owner = adj.execution_plan.municipality.name if adj.execution_plan.municipality else team_name
            if adj.not_applicable:
                notes.append(c.ThemeNote(owner, _("not applicable here"), adj.reason))
            else:
                notes.append(c.ThemeNote(owner, _("local target"), adj.local_target))
        sections.append(c.ThemeSection(
            number=theme.number, code=theme.code, title=theme.title, introduction=theme.introduction,
            ambitions=theme.statements_of(StatementKind.AMBITION),
            sub_themes=[(s.number, s.title) for s in subs], notes=notes, activities=serving,
            indicators=[str(ind.name) for ind in INDICATORS.values() if theme.code in ind.themes]))
    return sections


def priority_sections(user, plan: Plan, municipality, execution_plans, activities, items) -> list[c.PrioritySection]:
    qs = LocalPriority.objects.for_user(user).filter(plan__key=plan.key).select_related("municipality", "plan")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    # The priorities of the newest version that has any, per municipality.
    chosen: dict[int, int] = {}
    for p in qs.order_by("-plan__version"):
        chosen.setdefault(p.municipality_id, p.plan.version)
    result = []
    for p in qs.order_by("municipality__name", "order", "id"):
        if chosen.get(p.municipality_id) != p.plan.version:
            continue
        serving = [items[a.pk] for a in activities
                   if any(lp.title == p.title and lp.municipality_id == p.municipality_id
                          for lp in a.local_priorities.all())]
        result.append(c.PrioritySection(p.title, p.municipality.name, str(p.get_domain_display()), p.description,
                                        serving))
    return result


def execution_summary(user, municipality, execution_plans, activities, items,
                      team_name: str) -> list[c.ExecutionSummaryRow]:
    from ivp.core.selectors import municipalities_in_full_for_user

    owners: list[Organisation | None] = [municipality] if municipality is not None else [
        None, *municipalities_in_full_for_user(user)]
    rows = []
    for owner in owners:
        key = owner.pk if owner else None
        eps = [ep for ep in execution_plans if ep.municipality_id == key]
        own = [a for a in activities if a.municipality_id == key]
        statuses = Counter(items[a.pk].status_code for a in own)  # as of the report's date
        by_status = [(str(label), notation.integer(statuses[value])) for value, label in ActivityStatus.choices
                     if statuses[value]]
        if statuses[""]:
            by_status.append((_("no status update yet"), notation.integer(statuses[""])))
        rows.append(c.ExecutionSummaryRow(
            name=owner.name if owner else team_name, has_plan=bool(eps), activities=len(own), by_status=by_status,
            planned_budget=format_euro(sum(a.planned_budget_cents for a in own)),
            actual_budget=format_euro(sum(a.actual_budget_cents for a in own)),
            stale=sum(1 for a in own if a.is_stale()), activities_label=notation.integer(len(own))))
    return rows


def coverage_section(user, plan: Plan, municipality, execution_plans, period_start: int) -> c.CoverageSection:
    source_plan = execution_plans[0].plan if execution_plans else plan
    # The wijken's figures under the public rules: a council report leaves the building (ADR 0011).
    matrix = coverage_matrix(user, source_plan, period_start, gate=FigureGate.public())
    if municipality is None:
        indexes = list(range(len(matrix.columns)))
        label = _("All execution plans of the base team and the municipalities, taken together.")
    else:
        indexes = [i for i, col in enumerate(matrix.columns) if col.key == municipality.pk]
        label = _("The execution plan of %(name)s (shared base-team projects are in the base-team report).") % {
            "name": municipality.name}
    has_plan = any(matrix.columns[i].has_plan for i in indexes)
    keys = [matrix.columns[i].key for i in indexes]
    lenses = [lens.name for lens in matrix.lenses]
    rows = []
    for row in matrix.rows:
        cells, row_gaps = [], []
        for li, lens in enumerate(lenses):
            parts = [row["cells"][i][li] for i in indexes if matrix.columns[i].has_plan]
            count = sum(p.activities for p in parts)
            if parts and all(p.not_applicable for p in parts):
                cells.append(_("n/a"))
            elif count:
                cells.append(notation.integer(count))
            else:
                cells.append("-")
            if any(p.empty for p in parts):
                row_gaps.append(lens)
        theme = row["theme"]
        rows.append(c.CoverageRow(f"{theme.number} {theme.short_title or theme.title}", theme.parent_id is not None,
                                  cells, row_gaps))
    wijken_rows = []
    for w in matrix.wijken.get("rows", []):
        if municipality is not None and w["municipality"].pk != municipality.pk:
            continue
        rate = notation.decimal(w["rate"])
        wijken_rows.append(c.WijkRow(w["wijk_name"], w["municipality"].name, rate, w["flag"] or "-",
                                     list(w["buurten"]), [a.title for a in w["activities"]]))
    return c.CoverageSection(
        columns_label=label, lenses=lenses, rows=rows, gap_count=matrix.empty_cells_of(keys), has_plan=has_plan,
        gap_scope=matrix.empty_scope(keys), gap_definition=str(EMPTY_CELL_DEFINITION),
        wijken=wijken_rows, wijken_year=str(matrix.wijken.get("year") or ""),
        wijken_reason=matrix.wijken.get("reason", ""),
        wijken_withheld=[name for name in matrix.wijken.get("withheld", [])
                         if municipality is None or name == municipality.name],
        wijken_target=notation.decimal(matrix.wijken["target"]) if matrix.wijken.get("target") else "")

