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


# --- Council reports (versions with conclusions and approval) ----------------------------------------------------


def _council_scoped(user):
    from .models import CouncilReport

    reports = CouncilReport.objects.for_user(user)
    if not access_for(user).read_all:
        reports = reports.exclude(municipality__isnull=True)  # as report runs: see can_read_reports
    return reports


def council_reports_for_user(user):
    return _council_scoped(user).select_related("created_by", "municipality").order_by(
        "area_code", "kind", "-period", "-number")


def council_reports_of_area(user, municipality):
    reports = council_reports_for_user(user)
    if municipality is None:
        return reports.filter(municipality__isnull=True)
    return reports.filter(municipality=municipality)


def latest_council_report(area_code: str, kind: str, period: str):
    """The newest version of the council report of this area, kind and period (None: none yet). For services that
    have checked the user's rights already."""
    from .models import CouncilReport

    return CouncilReport.objects.filter(area_code=area_code, kind=kind, period=period).order_by("-number").first()


def council_report_file(user, pk: int, variant: str, fmt: str):
    """A kept file of an adopted report, when this user may read the report."""
    from .models import CouncilReportFile

    return (CouncilReportFile.objects.filter(report__in=_council_scoped(user), report_id=pk, variant=variant, fmt=fmt)
            .select_related("report").first())


# --- Public: council reports presented to the council (ADR 0020) ------------------------------------------------

def presented_council_reports(municipality=None, *, base_team: bool = False):
    """Council reports once presented to the council ("aangeboden aan de raad"): public, with their kept files.
    `municipality`: that municipality's; `base_team`: the base team's as a whole; neither: all. The newest version
    of each report first."""
    from .models import CouncilReport, CouncilReportStatus

    reports = (CouncilReport.objects.filter(status=CouncilReportStatus.PRESENTED)
               .select_related("municipality").prefetch_related("files")
               .order_by("area_code", "-period", "kind", "-number"))
    if base_team:
        return reports.filter(municipality__isnull=True)
    if municipality is not None:
        return reports.filter(municipality=municipality)
    return reports


def presented_report_file(pk: int, variant: str, fmt: str):
    """A kept file of a report presented to the council (public), or None."""
    from .models import CouncilReportFile, CouncilReportStatus

    return (CouncilReportFile.objects.filter(report_id=pk, report__status=CouncilReportStatus.PRESENTED,
                                             variant=variant, fmt=fmt).select_related("report").first())
