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
from collections import Counter

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ivp.areas.models import Area
from ivp.budget.selectors import fund_access_for
from ivp.budget.summary import year_summary
from ivp.core.access import access_for
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind
from ivp.execution.coverage import coverage_matrix
from ivp.execution.models import Activity, ActivityStatus, ExecutionPlan
from ivp.execution.selectors import execution_plans_for_user
from ivp.indicators.dashboard import card_for
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.labels import verdict_label
from ivp.indicators.series import BASE_TEAM
from ivp.money import format_euro, format_number
from ivp.partners.selectors import agreements_concerning, agreements_for_user
from ivp.plans.export import plan_document
from ivp.plans.models import Adoption, AdoptionStatus, LocalPriority, Plan, PlanStatus, StatementKind, Theme
from ivp.plans.selectors import plans_for_user
from ivp.stats.suppression import is_suppressed

from . import content as c
from . import plan_diff
from .api import BASE_TEAM_AREA, KINDS, kind_label, period_choices


def _part_label(part: str) -> str:
    # Looked up at call time so the active language applies.
    return {
        "plan": _("Plan"), "principle": _("Principle"), "general_goal": _("General goal"),
        "focus_lens": _("Focus lens"), "theme": _("Theme"), "sub_theme": _("Sub-theme"),
        "why_priority": _("Why a priority"), "ambition": _("Ambition"), "planned_action": _("Planned action"),
        "local_priority": _("Local priority"),
    }.get(part, part)


def _action_label(action: str) -> str:
    return {plan_diff.ADDED: _("added"), plan_diff.REMOVED: _("removed"), plan_diff.CHANGED: _("changed")}[action]


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.strftime("%d-%m-%Y")


class _Progress:
    def __init__(self, callback, total: int):
        self.callback, self.total, self.done = callback, total, 0

    def step(self, label: str) -> None:
        if self.callback is not None:
            self.callback(label, min(self.done / self.total, 1.0))
        self.done += 1

    def finish(self, label: str) -> None:
        if self.callback is not None:
            self.callback(label, 1.0)


# --- who, where, when --------------------------------------------------------------------------


def _area(area_code: str) -> tuple[Organisation | None, str]:
    if area_code == BASE_TEAM_AREA:
        team = Organisation.objects.filter(kind=OrganisationKind.BASE_TEAM).first()
        return None, team.name if team else _("Base team")
    org = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, cbs_code=area_code).first()
    if org is None:
        raise ValidationError({"area_code": _("Unknown area \"%(area)s\".") % {"area": area_code}})
    return org, org.name


def _require_read(user, municipality: Organisation | None, area_name: str) -> None:
    access = access_for(user)
    if municipality is None and not access.read_all:
        raise PermissionDenied(_("Only the base team, police and OM may make the base-team report."))
    if municipality is not None and not access.can_read_municipality(municipality.pk):
        raise PermissionDenied(_("You may not read the data of %(name)s, so you cannot make its report.")
                               % {"name": area_name})


def _years(kind: str, period: str) -> list[int]:
    if kind == "midterm":
        start, end = (int(p) for p in period.split("-"))
        return list(range(start, end + 1))
    return [int(period)]


def _adopted_version(user, plans: list[Plan], municipality: Organisation | None) -> Plan | None:
    """For a municipality: the newest version its council adopted; for the base team: the newest with
    status adopted."""
    if municipality is None:
        return next((p for p in plans if p.status == PlanStatus.ADOPTED), None)
    adopted = set(Adoption.objects.for_user(user).filter(
        plan__in=plans, municipality=municipality, status=AdoptionStatus.ADOPTED).values_list("plan_id", flat=True))
    return next((p for p in plans if p.pk in adopted), None)


def _adoption_text(user, plan: Plan, municipality: Organisation | None) -> str:
    adoptions = list(Adoption.objects.for_user(user).filter(plan=plan).select_related("municipality")
                     .order_by("municipality__name"))
    def one(a: Adoption) -> str:
        if a.status == AdoptionStatus.ADOPTED and a.date:
            text = _("adopted by the council on %(date)s") % {"date": _date(a.date)}
        else:
            text = str(a.get_status_display())
        if a.decision_reference:
            text = _("%(state)s (decision %(reference)s)") % {"state": text, "reference": a.decision_reference}
        return text
    if municipality is not None:
        own = next((a for a in adoptions if a.municipality_id == municipality.pk), None)
        return one(own) if own else _("no council decision recorded")
    if not adoptions:
        return _("no council decisions recorded")
    return "; ".join(f"{a.municipality.name}: {one(a)}" for a in adoptions)


# --- figures -------------------------------------------------------------------------------------


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
            interval = f"{_fmt(latest.count_lower)} - {_fmt(latest.count_upper)}"
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
            "verdict": verdict_label(str(series.trend.verdict)), "pct": _fmt(series.trend.change_pct),
            "lo": _fmt(series.trend.change_lower_pct), "hi": _fmt(series.trend.change_upper_pct)}
    note = card.interpretation
    by = ""
    if note is not None:
        by = _("Interpretation by %(author)s") % {"author": _person(note.author)}
        if note.cosigned_by_id:
            by = _("Interpretation by %(author)s, co-signed by the police (%(cosigner)s)") % {
                "author": _person(note.author), "cosigner": _person(note.cosigned_by)}
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


def _fmt(value, digits=1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def public_cards(area_code: str) -> dict:
    """The indicator cards as an anonymous visitor of the public dashboard gets them."""
    viewer = AnonymousUser()
    return {code: card_for(viewer, indicator, area_code) for code, indicator in INDICATORS.items()}


def _goals(plan: Plan, area_code: str, progress: _Progress) -> tuple[list[c.GoalSection], list[c.WithheldFigure]]:
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


# --- execution -----------------------------------------------------------------------------------


def _execution_plans(user, plan: Plan, municipality: Organisation | None, years: list[int]) -> list[ExecutionPlan]:
    """The execution plans covering the report's years (newest plan version first per owner)."""
    qs = execution_plans_for_user(user).filter(plan__key=plan.key, period_start__lte=max(years),
                                                period_end__gte=min(years))
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    chosen: dict[tuple, ExecutionPlan] = {}
    for ep in qs.order_by("-plan__version", "period_start"):
        chosen.setdefault((ep.municipality_id, ep.period_start), ep)
    return sorted(chosen.values(), key=lambda ep: (ep.municipality.name if ep.municipality else "", ep.period_start))


def _activities(user, execution_plans: list[ExecutionPlan]) -> list[Activity]:
    return list(Activity.objects.for_user(user).filter(execution_plan__in=execution_plans)
                .select_related("owner", "municipality", "execution_plan")
                .prefetch_related("themes", "focus_lenses", "local_priorities", "wijken", "milestones",
                                  "partner_roles__organisation", "status_updates")
                .order_by("municipality__name", "title", "id"))


def _activity_item(activity: Activity, team_name: str) -> c.ActivityItem:
    updates = list(activity.status_updates.all())  # newest first (model ordering)
    latest = updates[0] if updates else None
    today = timezone.localdate()
    milestones = []
    for m in activity.milestones.all():
        state = _("done") if m.done else (_("overdue") if m.due_date < today else _("open"))
        milestones.append(c.Milestone(m.title, _date(m.due_date), state))
    return c.ActivityItem(
        title=activity.title,
        municipality=activity.municipality.name if activity.municipality else team_name,
        status=str(activity.get_status_display()) if activity.status else _("no status update yet"),
        status_date=_date(latest.created_at) if latest else "",
        owner=_person(activity.owner),
        lenses=[lens.name for lens in sorted(activity.focus_lenses.all(), key=lambda x: x.number)],
        partners=[f"{p.organisation.name} ({p.get_role_display()})" for p in activity.partner_roles.all()],
        themes=[f"{t.number} {t.short_title or t.title}" for t in sorted(activity.themes.all(), key=lambda t: t.order)],
        wijken=[w.name for w in activity.wijken.all()],
        planned_budget=format_euro(activity.planned_budget_cents),
        actual_budget=format_euro(activity.actual_budget_cents),
        planned_budget_cents=activity.planned_budget_cents, actual_budget_cents=activity.actual_budget_cents,
        milestones=milestones, narrative=latest.narrative if latest else "", description=activity.description,
    )


def _themes(user, plan: Plan, execution_plans, activities, items, team_name: str) -> list[c.ThemeSection]:
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


def _priorities(user, plan: Plan, municipality, execution_plans, activities, items) -> list[c.PrioritySection]:
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


def _execution_summary(user, municipality, execution_plans, activities, team_name: str) -> list[c.ExecutionSummaryRow]:
    from ivp.core.selectors import municipalities_in_full_for_user

    owners: list[Organisation | None] = [municipality] if municipality is not None else [
        None, *municipalities_in_full_for_user(user)]
    rows = []
    for owner in owners:
        key = owner.pk if owner else None
        eps = [ep for ep in execution_plans if ep.municipality_id == key]
        own = [a for a in activities if a.municipality_id == key]
        statuses = Counter(a.status or "" for a in own)
        by_status = [(str(label), statuses[value]) for value, label in ActivityStatus.choices if statuses[value]]
        if statuses[""]:
            by_status.append((_("no status update yet"), statuses[""]))
        rows.append(c.ExecutionSummaryRow(
            name=owner.name if owner else team_name, has_plan=bool(eps), activities=len(own), by_status=by_status,
            planned_budget=format_euro(sum(a.planned_budget_cents for a in own)),
            actual_budget=format_euro(sum(a.actual_budget_cents for a in own)),
            stale=sum(1 for a in own if a.is_stale())))
    return rows


def _coverage(user, plan: Plan, municipality, execution_plans, period_start: int) -> c.CoverageSection:
    source_plan = execution_plans[0].plan if execution_plans else plan
    matrix = coverage_matrix(user, source_plan, period_start)
    if municipality is None:
        indexes = list(range(len(matrix.columns)))
        label = _("All execution plans of the base team and the municipalities, taken together.")
    else:
        indexes = [i for i, col in enumerate(matrix.columns) if col.key == municipality.pk]
        label = _("The execution plan of %(name)s (shared base-team projects are in the base-team report).") % {
            "name": municipality.name}
    has_plan = any(matrix.columns[i].has_plan for i in indexes)
    lenses = [lens.name for lens in matrix.lenses]
    rows, gaps = [], 0
    for row in matrix.rows:
        cells, row_gaps = [], []
        for li, lens in enumerate(lenses):
            parts = [row["cells"][i][li] for i in indexes]
            count = sum(p.activities for p in parts)
            if parts and all(p.not_applicable for p in parts):
                cells.append(_("n/a"))
            elif count:
                cells.append(str(count))
            else:
                cells.append("-")
                row_gaps.append(lens)
        gaps += len(row_gaps)
        theme = row["theme"]
        rows.append(c.CoverageRow(f"{theme.number} {theme.short_title or theme.title}", theme.parent_id is not None,
                                  cells, row_gaps))
    wijken_rows = []
    for w in matrix.wijken.get("rows", []):
        if municipality is not None and w["municipality"].pk != municipality.pk:
            continue
        rate = "-" if is_suppressed(w["count"]) else _fmt(w["rate"])
        wijken_rows.append(c.WijkRow(w["wijk"].name, w["municipality"].name, rate, w["flag"],
                                     [b.name for b in w["buurten"]], [a.title for a in w["activities"]]))
    return c.CoverageSection(
        columns_label=label, lenses=lenses, rows=rows, gap_count=gaps if has_plan else 0, has_plan=has_plan,
        wijken=wijken_rows, wijken_year=str(matrix.wijken.get("year") or ""),
        wijken_reason=matrix.wijken.get("reason", ""),
        wijken_target=_fmt(matrix.wijken["target"]) if matrix.wijken.get("target") else "")


# --- money and agreements ------------------------------------------------------------------------


def _fund(user, municipality, years: list[int]) -> c.FundSection:
    access = fund_access_for(user)
    if not access.read_totals:
        return c.FundSection(years=[], hidden_reason=_("Your role gives no access to the safety fund."))
    sections = []
    totals = Counter()
    for year in years:
        summary = year_summary(year).visible_to(access)
        own = next((b for b in summary.benefits if municipality is not None and b.municipality.pk == municipality.pk),
                   None)
        sections.append(c.FundYearSection(
            year=year, rate=format_euro(summary.rate_cents),
            contributions=format_euro(summary.contributions_cents), allocated=format_euro(summary.allocated_cents),
            committed=format_euro(summary.committed_cents), spent=format_euro(summary.spent_cents),
            outstanding=format_euro(summary.outstanding_cents), balance=format_euro(summary.balance_cents),
            is_negative=summary.is_negative,
            contribution_rows=[(x.municipality.name, format_number(x.population) if x.population is not None else "-",
                                _date(x.population_date), format_euro(x.amount_cents)) for x in summary.contributions],
            benefit_rows=[(b.municipality.name, format_euro(b.contributed_cents), format_euro(b.allocated_cents),
                           format_euro(b.spent_cents)) for b in summary.benefits],
            allocation_rows=[(line.allocation.title,
                              line.allocation.beneficiary.name if line.allocation.beneficiary else _("whole base team"),
                              format_euro(line.allocation.amount_cents), format_euro(line.committed_cents),
                              format_euro(line.spent_cents)) for line in summary.allocations],
            warnings=list(summary.warnings),
            own_contribution=format_euro(own.contributed_cents) if own else "",
            own_benefit_allocated=format_euro(own.allocated_cents) if own else "",
            own_benefit_spent=format_euro(own.spent_cents) if own else ""))
        totals.update({"contributions": summary.contributions_cents, "allocated": summary.allocated_cents,
                       "committed": summary.committed_cents, "spent": summary.spent_cents,
                       "balance": summary.balance_cents})
    hidden = "" if access.read_fund else _("Your role shows the fund totals and your own municipality's "
                                            "contribution only.")
    return c.FundSection(years=sections, hidden_reason=hidden,
                         totals={k: format_euro(v) for k, v in totals.items()} if len(years) > 1 else {})


def _agreements(user, municipality, team_name: str) -> list[c.AgreementRow]:
    qs = agreements_for_user(user)
    if municipality is not None:
        qs = agreements_concerning(qs, municipality)
    rows = []
    for a in qs.order_by("review_date", "title"):
        rows.append(c.AgreementRow(
            title=a.title, kind=str(a.get_kind_display()),
            owner_area=a.municipality.name if a.municipality else team_name,
            parties=[p.name for p in a.parties.all()], status=str(a.get_status_display()),
            start_date=_date(a.start_date), review_date=_date(a.review_date) or "-", overdue=a.is_overdue))
    return sorted(rows, key=lambda r: (not r.overdue, r.title))


# --- re-prioritisation ---------------------------------------------------------------------------


def _version_label(plan: Plan) -> str:
    return _("version %(version)s (%(status)s, loaded %(date)s)") % {
        "version": plan.version, "status": plan.get_status_display(), "date": _date(plan.created_at)}


def _priority_docs(user, plan: Plan, municipality) -> list[dict]:
    qs = LocalPriority.objects.for_user(user).filter(plan=plan)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return [{"title": p.title if municipality is not None else f"{p.municipality.name}: {p.title}",
             "domain": str(p.get_domain_display()), "description": p.description}
            for p in qs.select_related("municipality").order_by("municipality__name", "order", "id")]


def plan_versions(user, key: str, municipality) -> tuple[Plan | None, Plan | None]:
    """(adopted, proposed): the adopted version and the newest later version not adopted by that council."""
    versions = list(plans_for_user(user).filter(key=key).order_by("-version"))
    adopted = _adopted_version(user, versions, municipality)
    later = [p for p in versions if adopted is None or p.version > adopted.version]
    if municipality is not None:
        adopted_here = set(Adoption.objects.for_user(user).filter(
            plan__in=later, municipality=municipality, status=AdoptionStatus.ADOPTED).values_list("plan_id", flat=True))
        later = [p for p in later if p.pk not in adopted_here]
    else:
        later = [p for p in later if p.status != PlanStatus.ADOPTED]
    return adopted, (later[0] if later else None)


def _diff(user, plan_key: str, municipality, area_name: str) -> c.DiffSection:
    adopted, proposed = plan_versions(user, plan_key, municipality)
    how = _("A re-prioritisation is proposed as a new version of the plan: export the current version (ivp "
            "export_plan --format yaml), change its themes, ambitions and actions and load it (ivp load_plan) with "
            "status concept. It stays a proposal until the council adopts it.")
    if adopted is None:
        whose = (_("the council of %(name)s") % {"name": area_name}) if municipality else _("the base team")
        return c.DiffSection("", _version_label(proposed) if proposed else "",
                             _("There is no version of the plan adopted by %(whose)s yet, so there is nothing to "
                               "compare a proposal with. The council first adopts the plan.") % {"whose": whose})
    adopted_label = _version_label(adopted)
    if proposed is None:
        return c.DiffSection(adopted_label, "", _("No re-prioritisation has been proposed: there is no later "
                                                  "version of the plan than the adopted one.") + " " + how)
    changes = plan_diff.diff_plans(
        plan_document(adopted), plan_document(proposed),
        old_priorities=_priority_docs(user, adopted, municipality),
        new_priorities=_priority_docs(user, proposed, municipality))
    items = [c.DiffChange(part=_part_label(ch.part), where=ch.where, change=ch.action,
                          change_label=_action_label(ch.action), old=ch.old, new=ch.new) for ch in changes]
    counts = Counter(ch.action for ch in changes)
    message = "" if items else _("The proposed version does not differ from the adopted version in themes, "
                                 "ambitions, actions, goals, lenses, principles or local priorities.")
    return c.DiffSection(adopted_label, _version_label(proposed), message, items,
                         [(_action_label(a), counts[a]) for a in (plan_diff.ADDED, plan_diff.CHANGED,
                                                                   plan_diff.REMOVED) if counts[a]])


# --- the whole report ----------------------------------------------------------------------------


def _title(kind: str, plan: Plan, area_name: str) -> str:
    if kind == "midterm":
        return _("Midterm evaluation Integral Safety Plan %(period)s — %(area)s") % {
            "period": plan.period_label, "area": area_name}
    return _("Annual progress report Integral Safety Plan %(period)s — %(area)s") % {
        "period": plan.period_label, "area": area_name}


def _report_plan(user, plan_key: str | None, municipality) -> Plan | None:
    qs = plans_for_user(user)
    if plan_key:
        qs = qs.filter(key=plan_key)
    newest = qs.order_by("-created_at", "-version").first()
    if newest is None:
        return None
    versions = list(plans_for_user(user).filter(key=newest.key).order_by("-version"))
    return _adopted_version(user, versions, municipality) or newest


def assemble(*, user, area_code: str, kind: str, period: str, progress=None, today: dt.date | None = None,
             plan_key: str | None = None) -> c.Report:
    if kind not in KINDS:
        raise ValidationError({"kind": _("Unknown kind of report \"%(kind)s\".") % {"kind": kind}})
    if period not in period_choices(kind):
        raise ValidationError({"period": _("Period \"%(period)s\" does not fit this kind of report.")
                               % {"period": period}})
    steps = _Progress(progress, 8)
    steps.step(_("Reading the plan"))
    municipality, area_name = _area(area_code)
    _require_read(user, municipality, area_name)
    plan = _report_plan(user, plan_key, municipality)
    if plan is None:
        raise ValidationError({"period": _("There is no plan yet. Load the plan first.")})
    team_name = _("Base team")
    years = _years(kind, period)
    figures_area = BASE_TEAM if municipality is None else area_code
    if municipality is not None and not Area.objects.filter(code=area_code).exists():
        goals = [c.GoalSection(g.number, g.code, g.title) for g in plan.general_goals.order_by("number")]
        for goal in goals:
            goal.without_data = [(str(ind.name), _("No figures have been imported yet."))
                                 for ind in INDICATORS.values() if goal.code in ind.goals]
        withheld = []
        steps.step(_("Figures and their interpretation"))
    else:
        goals, withheld = _goals(plan, figures_area, steps)

    steps.step(_("Execution plans and activities"))
    execution_plans = _execution_plans(user, plan, municipality, years)
    activities = _activities(user, execution_plans)
    items = {a.pk: _activity_item(a, team_name) for a in activities}
    themes = _themes(user, plan, execution_plans, activities, items, team_name)
    priorities = _priorities(user, plan, municipality, execution_plans, activities, items)
    linked = {a.pk for a in activities if a.themes.all() or a.local_priorities.all()}
    unlinked = [items[a.pk] for a in activities if a.pk not in linked]
    execution = _execution_summary(user, municipality, execution_plans, activities, team_name)
    if execution_plans:
        execution_note = "; ".join(
            _("%(owner)s: execution plan %(period)s, %(status)s") % {
                "owner": ep.municipality.name if ep.municipality else team_name, "period": ep.period_label,
                "status": ep.get_status_display() + (f" ({_date(ep.adopted_on)})" if ep.adopted_on else "")}
            for ep in execution_plans)
    else:
        execution_note = _("There is no execution plan for %(area)s covering %(period)s yet.") % {
            "area": area_name, "period": period}

    steps.step(_("Coverage of themes and focus lenses"))
    period_start = next(s for s, e in _periods(plan) if s <= years[0] <= e)
    coverage = _coverage(user, plan, municipality, execution_plans, period_start)

    steps.step(_("Safety fund"))
    fund = _fund(user, municipality, years)

    steps.step(_("Cooperation agreements"))
    agreements = _agreements(user, municipality, team_name)
    agreements_note = "" if agreements else _("No cooperation agreements concerning %(area)s are registered.") % {
        "area": area_name}

    diff = None
    if kind == "midterm":
        steps.step(_("Proposed re-prioritisation"))
        diff = _diff(user, plan.key, municipality, area_name)

    made_at = timezone.localtime()
    adoption = _adoption_text(user, plan, municipality)
    active = [a for a in activities if a.is_active]
    facts = [
        c.Fact(_("Area"), area_name if municipality else _("%(name)s (all five municipalities)") % {"name": area_name}),
        c.Fact(_("Kind of report"), kind_label(kind)),
        c.Fact(_("Period"), period),
        c.Fact(_("Plan"), f"{plan.title} ({plan.period_label})"),
        c.Fact(_("Plan version"), _version_label(plan)),
        c.Fact(_("Adoption by the council"), adoption),
        c.Fact(_("Made on"), _date(made_at)),
    ]
    key_points = [
        _("%(shown)s figures with a published interpretation are included; %(withheld)s figures without one are "
          "listed but not shown.") % {"shown": len({f.code for g in goals for f in g.figures}),
                                      "withheld": len(withheld)},
        ngettext("%(n)s activity in the execution plan(s) of this period, of which %(active)s still running.",
                 "%(n)s activities in the execution plan(s) of this period, of which %(active)s still running.",
                 len(activities)) % {"n": len(activities), "active": len(active)},
    ]
    behind = [a for a in activities if a.status in (ActivityStatus.BEHIND, ActivityStatus.AT_RISK)]
    if behind:
        key_points.append(ngettext("%(n)s activity is behind schedule or at risk.",
                                   "%(n)s activities are behind schedule or at risk.", len(behind))
                          % {"n": len(behind)})
    if coverage.has_plan:
        key_points.append(ngettext("%(n)s combination of theme and focus lens has no activity.",
                                   "%(n)s combinations of theme and focus lens have no activity.",
                                   coverage.gap_count) % {"n": coverage.gap_count})
    overdue = [a for a in agreements if a.overdue]
    if overdue:
        key_points.append(ngettext("%(n)s cooperation agreement is past its review date.",
                                   "%(n)s cooperation agreements are past their review date.", len(overdue))
                          % {"n": len(overdue)})
    if diff is not None and diff.changes:
        key_points.append(_("The proposed re-prioritisation changes %(n)s parts of the plan.")
                          % {"n": len(diff.changes)})
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
    intro.append(_("Figures are included only with a published interpretation (duiding), as on the public "
                   "dashboard; small numbers (1 to 4) are not shown. Intervals are exact 95% Poisson intervals; "
                   "\"significant\" means a change larger than chance explains."))
    sources = [
        _("Registered crime: Politie / CBS open data (tables %(tables)s).") % {
            "tables": ", ".join(sorted({f.source for f in (x for g in goals for x in g.figures) if f.source})) or "-"},
        _("Population: CBS 37230ned (1 January) and 85984NED (neighbourhoods)."),
        _("Execution plans, activities, the safety fund and agreements: the IVP application, as on %(date)s.")
        % {"date": _date(made_at)},
    ]
    report = c.Report(
        kind=kind, kind_label=kind_label(kind), area_code=area_code, area_name=area_name,
        is_base_team=municipality is None, period=period, years=years, title=_title(kind, plan, area_name),
        subtitle=_("%(kind)s %(period)s") % {"kind": kind_label(kind), "period": period},
        made_at=made_at, made_at_label=_date(made_at), plan_title=plan.title, plan_version=_version_label(plan),
        adoption=adoption, facts=facts, introduction=intro, key_points=key_points, goals=goals,
        withheld=withheld, themes=themes, priorities=priorities, unlinked=unlinked, execution=execution,
        execution_note=execution_note, coverage=coverage, fund=fund, agreements=agreements,
        agreements_note=agreements_note, diff=diff, sources=sources,
        file_stem=_file_stem(kind, area_name, period),
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
    if report.diff is not None:
        toc.append(c.Section("herprioritering", nxt(), _("Proposed re-prioritisation")))
    toc.append(c.Section("verantwoording", nxt(), _("Sources and method")))
    return toc
