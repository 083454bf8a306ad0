"""Council reports ("rapport maken"): per area the list of made reports with the form to make one, the page of
one run with its progress (htmx polling, or a plain "Vernieuwen" link without JavaScript), the download, and
the HTML report inside the app.

Internal working data: signed-in users who read the area's internal data (coordinator, the municipality's
advisor and councillor, police, OM; for the base team as a whole every municipal user too). Municipal users
get 404 on another municipality's reports, partners 404 on a municipality's and 403 on the base team's list.
Making a report: the coordinator (every area) and the municipality's advisor.
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ivp.core.selectors import municipalities_in_full_for_user
from ivp.reports import api, services
from ivp.reports.models import ReportFormat, ReportKind
from ivp.reports.selectors import (
    can_read_reports,
    can_request_report,
    report_run_with_file,
    report_runs_for_user,
    report_runs_of_area,
)

from ..forms_reports import ReportRequestForm
from .guards import refuse_unless
from .submit import form_status, submit

LIST_LIMIT = 100


def _area_code(municipality) -> str:
    return municipality.cbs_code if municipality else api.BASE_TEAM_AREA


def _initial(kind: str = ReportKind.ANNUAL) -> dict:
    """Last year's annual report, when the plan covers it; else the first period on offer."""
    periods = api.period_choices(kind)
    last_year = str(timezone.localdate().year - 1)
    period = last_year if last_year in periods else (periods[-1] if periods else "")
    return {"kind": kind, "period": period, "fmt": ReportFormat.PDF}


def _reports_page(request, municipality):
    municipality_id = municipality.pk if municipality else None
    may_request = can_request_report(request.user, municipality_id)
    form = ReportRequestForm(initial=_initial()) if may_request else None
    if request.method == "POST":
        refuse_unless(may_request, request, action="report_run.request", municipality=municipality,
                      message=_("You may not make a report of this area."))
        form = ReportRequestForm(request.POST)
        try:
            response = submit(
                request, form,
                success_message=_("Your report has been requested. You can follow its progress here."),
                service=lambda values: services.report_run_request(actor=request.user,
                                                                   area_code=_area_code(municipality), **values),
                success_url=lambda run: reverse("web:report_run_detail", kwargs={"pk": run.pk}))
        except services.ReportRateLimited as exc:  # recorded as denied by the service
            response = render(request, "web/report_rate_limited.html", {
                "title": _("Too many reports requested"), "message": str(exc), "municipality": municipality,
                "area_code": _area_code(municipality)}, status=429)
            response["Retry-After"] = str(exc.retry_after_seconds)
        if response:
            return response
    runs = list(report_runs_of_area(request.user, municipality)[:LIST_LIMIT + 1])
    return render(request, "web/reports.html", {
        "municipality": municipality, "area_code": _area_code(municipality), "form": form,
        "runs": runs[:LIST_LIMIT], "more": len(runs) > LIST_LIMIT, "list_limit": LIST_LIMIT,
        "title": (_("Reports of %(name)s") % {"name": municipality.name}) if municipality
        else _("Reports of the base team"),
    }, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def municipality_reports(request, cbs_code: str):
    municipality = get_object_or_404(municipalities_in_full_for_user(request.user), cbs_code=cbs_code.upper())
    return _reports_page(request, municipality)


@login_required
@require_http_methods(["GET", "POST"])
def base_team_reports(request):
    refuse_unless(can_read_reports(request.user, None), request, action="report_run.request",
                  message=_("You may not see the reports of the base team."))
    return _reports_page(request, None)


def _run(request, pk: int):
    return get_object_or_404(report_runs_for_user(request.user), pk=pk)


def _run_context(request, run) -> dict:
    municipality = run.municipality
    return {
        "run": run, "municipality": municipality, "area_code": run.area_code,
        "area_name": municipality.name if municipality else _("Base team Meierij"),
        "can_request": can_request_report(request.user, run.municipality_id),
    }


@login_required
@require_GET
def report_run_detail(request, pk: int):
    run = _run(request, pk)
    return render(request, "web/report_run.html", _run_context(request, run))


@never_cache
@login_required
@require_GET
def report_run_progress(request, pk: int):
    """The status fragment the run page polls (htmx) while the run is queued or running."""
    run = _run(request, pk)
    context = _run_context(request, run)
    context["announce"] = request.GET.get("seen") != run.shown_status
    return render(request, "web/_report_progress.html", context)


@login_required
@require_GET
def report_run_download(request, pk: int):
    run = report_run_with_file(request.user, pk)
    if run is None or run.content is None:
        raise Http404
    response = HttpResponse(bytes(run.content), content_type=run.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, run.filename or f"rapport-{run.pk}.{run.fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


_BODY = re.compile(r"<body\b[^>]*>(?P<body>.*)</body>", re.S | re.I)


def stored_report_body(run) -> str | None:
    """The body of a made HTML report, as it was made: the standalone document wraps `reports/_body.html` in
    its <body> (see ivp.reports.render.html), so this is that include's output at the time of making, not a
    new rendering from today's data."""
    if run.fmt != ReportFormat.HTML or run.content is None:
        return None
    match = _BODY.search(bytes(run.content).decode("utf-8", errors="replace"))
    return match.group("body").strip() if match else None


@login_required
@require_GET
def report_run_view(request, pk: int):
    """A made HTML report inside the app (base.html), with a link to the download."""
    run = report_run_with_file(request.user, pk)
    body = stored_report_body(run) if run is not None else None
    if body is None:
        raise Http404
    context = _run_context(request, run)
    context["report_body"] = mark_safe(body)  # noqa: S308  (our own renderer's escaped output, stored by the service)
    return render(request, "web/report_view.html", context)
