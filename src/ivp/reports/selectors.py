"""Reads of report runs, scoped to the user. List queries never load the file itself (`content`)."""

from __future__ import annotations

from django.db.models import QuerySet

from ivp.core.access import access_for

from .models import ReportRun, ReportRunStatus


def can_read_reports(user, municipality_id: int | None) -> bool:
    """Who sees the report runs of an area: everyone who reads that municipality's internal data (coordinator,
    its advisor and councillor, police, OM). A base-team report holds the activities of all five municipalities,
    so only those who read all municipalities see it (coordinator, police, OM), unlike other base-team rows
    (ADR 0006). Partners and anonymous visitors: no."""
    access = access_for(user)
    if not access.authenticated:
        return False
    if municipality_id is None:
        return access.read_all
    return access.can_read_municipality(municipality_id)


def can_request_report(user, municipality_id: int | None) -> bool:
    """Who makes a report: the coordinator for every area and the base team; an advisor for their own
    municipality."""
    return access_for(user).can_edit_municipality(municipality_id)


def _scoped(user) -> QuerySet[ReportRun]:
    runs = ReportRun.objects.for_user(user)
    if not access_for(user).read_all:
        runs = runs.exclude(municipality__isnull=True)  # base-team reports: see can_read_reports
    return runs


def report_runs_for_user(user) -> QuerySet[ReportRun]:
    return (_scoped(user).defer("content")
            .select_related("created_by", "municipality").order_by("-created_at", "-id"))


def report_runs_of_area(user, municipality) -> QuerySet[ReportRun]:
    """The runs of one municipality, or of the base team as a whole (`municipality` None)."""
    runs = report_runs_for_user(user)
    if municipality is None:
        return runs.filter(municipality__isnull=True)
    return runs.filter(municipality=municipality)


def report_run_with_file(user, pk: int) -> ReportRun | None:
    """A finished run with its file, when this user may read it."""
    return (_scoped(user).filter(pk=pk, status=ReportRunStatus.DONE)
            .select_related("municipality").first())
