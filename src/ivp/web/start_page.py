"""What "Mijn IVP" (the start page after sign-in) shows: sections chosen by what the user may do (the access policy,
never a role name), filled from the other apps' scoped reads.

- who edits every municipality (the coordinator): an overview of all municipalities, and their own tasks;
- who edits their own municipality (an advisor): that municipality with their tasks: stale activities (their own or
  the municipality's), open and overdue milestones, duidingen to write for its latest figures, reports in progress;
- who reads every municipality but edits none (police, OM): the duidingen waiting for a police co-signature;
- who reads their own municipality only (a council member): a read view of it;
- who reads only what is shared with their organisation (a partner): the agreements and activities shared with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from ivp.areas.models import Area
from ivp.core.access import access_for
from ivp.core.models import Organisation
from ivp.core.roles import Capability, Scope
from ivp.core.selectors import municipalities_in_full_for_user
from ivp.execution.models import ActivityStatus, ExecutionPlan, Milestone
from ivp.execution.selectors import activities_for_user, current_period_start, sort_stale_first
from ivp.indicators.definitions import INDICATORS, Indicator
from ivp.indicators.models import Interpretation, InterpretationRemark
from ivp.indicators.publication import FigureGate
from ivp.indicators.series import BASE_TEAM, indicator_series
from ivp.partners.selectors import agreements_for_user
from ivp.plans.models import Adoption, Plan
from ivp.plans.selectors import current_plan
from ivp.reports.models import OPEN_STATUSES
from ivp.reports.selectors import report_runs_of_area

MAX_ROWS = 20  # per list; the full lists are one click away


@dataclass
class MissingInterpretation:
    indicator: Indicator
    area_code: str
    latest_year: int
    covered_until: int | None


@dataclass
class MunicipalityStatus:
    """One municipality at a glance (the coordinator's overview, the council member's read view)."""

    municipality: Organisation
    adoption: Adoption | None
    execution_plan: ExecutionPlan | None
    period_label: str
    on_track: int = 0
    at_risk_or_behind: int = 0
    stale: int = 0
    without_status: int = 0
    missing: list[MissingInterpretation] = field(default_factory=list)


@dataclass
class Tasks:
    """An editor's work in one municipality (None: their own work across the base team)."""

    municipality: Organisation | None
    stale_activities: list
    milestones: list
    missing: list[MissingInterpretation]
    reports: list


@dataclass
class StartPage:
    overview: list[MunicipalityStatus] = field(default_factory=list)
    tasks: list[Tasks] = field(default_factory=list)
    cosign_queue: list[Interpretation] | None = None
    can_cosign: bool = False
    read_views: list[MunicipalityStatus] = field(default_factory=list)
    shared_agreements: list | None = None
    shared_activities: list | None = None
    plan: Plan | None = None
    # Open remarks (police, OM) on duidingen this person wrote; None: they write none (not an editor).
    open_remarks: list | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.overview or self.tasks or self.read_views or self.cosign_queue is not None
                    or self.shared_agreements is not None)


def missing_interpretations(user, municipality: Organisation, *, gate: FigureGate | None = None
                            ) -> list[MissingInterpretation]:
    """The latest figures of this municipality without a duiding: indicators whose figures reach the municipality's
    latest year of figures while no published duiding covers that year. (A series that stopped years ago, such as an
    old CBS table, asks for nothing.)"""
    area = Area.objects.filter(code=municipality.cbs_code).only("code").first()
    if area is None:
        return []
    gate = gate or FigureGate(user)
    latest = {}
    for code in INDICATORS:
        point = indicator_series(code, area.code).latest
        if point is not None:
            latest[code] = point.year
    if not latest:
        return []
    year = max(latest.values())
    missing = []
    for code in (c for c, y in latest.items() if y == year):
        until = gate.covered_until(code, area.code)
        if until is None or until < year:
            missing.append(MissingInterpretation(INDICATORS[code], area.code, year, until))
    return missing


def municipality_status(user, municipality: Organisation, plan: Plan | None, *,
                        gate: FigureGate | None = None) -> MunicipalityStatus:
    if plan is None:
        return MunicipalityStatus(municipality, None, None, "")
    period = current_period_start(plan)
    execution_plan = (ExecutionPlan.objects.for_user(user)
                      .filter(plan=plan, municipality=municipality, period_start=period).first())
    status = MunicipalityStatus(
        municipality=municipality,
        adoption=Adoption.objects.for_user(user).filter(plan=plan, municipality=municipality).first(),
        execution_plan=execution_plan,
        period_label=f"{period}-{min(period + 1, plan.period_end)}",
        missing=missing_interpretations(user, municipality, gate=gate),
    )
    if execution_plan is not None:
        activities = sort_stale_first(activities_for_user(user).active().filter(execution_plan=execution_plan))
        status.on_track = sum(1 for a in activities if a.status == ActivityStatus.ON_TRACK)
        status.at_risk_or_behind = sum(1 for a in activities if a.status in (ActivityStatus.AT_RISK,
                                                                              ActivityStatus.BEHIND))
        status.without_status = sum(1 for a in activities if not a.status)
        status.stale = sum(1 for a in activities if a.stale)
    return status


def _open_milestones(user, activity_scope: Q) -> list[Milestone]:
    activities = activities_for_user(user).active().filter(activity_scope).values("pk")
    today = timezone.localdate()
    milestones = list(Milestone.objects.filter(activity__in=activities, done=False)
                      .select_related("activity").order_by("due_date", "id")[:MAX_ROWS])
    for milestone in milestones:
        milestone.overdue = milestone.due_date < today
    return milestones


def _tasks(user, municipality: Organisation | None, *, gate: FigureGate) -> Tasks:
    own = Q(owner=user)
    scope = own | Q(municipality=municipality) if municipality is not None else own
    activities = sort_stale_first(activities_for_user(user).active().filter(scope))
    reports = []
    if municipality is not None:
        runs = report_runs_of_area(user, municipality).filter(status__in=OPEN_STATUSES)[:MAX_ROWS]
        reports = [run for run in runs if run.is_open]  # not interrupted (ivp.reports.models.ReportRun)
    return Tasks(
        municipality=municipality,
        stale_activities=[a for a in activities if a.stale][:MAX_ROWS],
        milestones=_open_milestones(user, scope),
        missing=missing_interpretations(user, municipality, gate=gate) if municipality is not None else [],
        reports=reports,
    )


def open_remarks(user) -> list[InterpretationRemark]:
    """The remarks not yet handled on duidingen `user` wrote (for_user-scoped), oldest first."""
    remarks = list(InterpretationRemark.objects.for_user(user)
                   .filter(interpretation__author=user, handled_at__isnull=True)
                   .select_related("author", "interpretation", "interpretation__area")
                   .order_by("created_at", "id")[:MAX_ROWS])
    for remark in remarks:
        note = remark.interpretation
        indicator = INDICATORS.get(note.indicator)
        remark.indicator_name = indicator.name if indicator else note.indicator
        remark.area_code = note.area.code if note.area_id else BASE_TEAM
    return remarks


def start_page(user) -> StartPage:
    access = access_for(user)
    page = StartPage(plan=current_plan(user))
    gate = FigureGate(user)
    if access.is_editor:
        page.open_remarks = open_remarks(user)
    if access.edit_all:
        page.overview = [municipality_status(user, m, page.plan, gate=gate)
                         for m in municipalities_in_full_for_user(user)]
        page.tasks.append(_tasks(user, None, gate=gate))
    elif access.is_editor:
        for municipality in Organisation.objects.filter(pk__in=access.editable_municipality_ids).order_by("name"):
            page.tasks.append(_tasks(user, municipality, gate=gate))
    elif access.read_all:
        page.can_cosign = access.can_cosign
        page.cosign_queue = list(
            Interpretation.objects.for_user(user).filter(cosigned_by__isnull=True)
            .select_related("area", "author").order_by("-updated_at", "-id")[:MAX_ROWS * 2])
        for note in page.cosign_queue:
            indicator = INDICATORS.get(note.indicator)
            note.indicator_name = indicator.name if indicator else note.indicator
            note.area_code = note.area.code if note.area_id else BASE_TEAM
    elif access.readable_municipality_ids:
        page.read_views = [municipality_status(user, m, page.plan, gate=gate)
                           for m in municipalities_in_full_for_user(user)]
    elif access.can_somewhere(Capability.READ, at_least=Scope.SHARED):
        page.shared_agreements = list(agreements_for_user(user).order_by("title")[:MAX_ROWS])
        page.shared_activities = list(activities_for_user(user).active().order_by("title")[:MAX_ROWS])
    return page
