"""Council reports ("rapport maken"): per area the list of made reports with the form to make one, the page of
one run with its progress (htmx polling, or a plain "Vernieuwen" link without JavaScript), the download, and
the HTML report inside the app.

Internal working data: signed-in users who read the area's internal data (coordinator, the municipality's
advisor and councillor, police, OM; for the base team as a whole every municipal user too). Municipal users
get 404 on another municipality's reports, partners 404 on a municipality's and 403 on the base team's list.
Making a report: the coordinator (every area) and the municipality's advisor.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ivp.core.access import access_for
from ivp.core.roles import Capability
from ivp.core.selectors import municipalities_in_full_for_user
from ivp.plans.models import Theme
from ivp.plans.selectors import current_plan
from ivp.reports import api, services
from ivp.reports.models import CouncilReportStatus, FileVariant, ReportFormat, ReportKind
from ivp.reports.selectors import (
    can_read_reports,
    can_request_report,
    council_report_file,
    council_reports_for_user,
    council_reports_of_area,
    latest_council_report,
    report_run_with_file,
    report_runs_for_user,
    report_runs_of_area,
)

from ..forms_reports import AdoptForm, ConclusionsForm, CouncilReportCreateForm, PresentForm, ReportRequestForm
from . import public
from .guards import refuse_unless
from .public import public_for_anonymous
from .submit import form_status, submit

logger = logging.getLogger(__name__)

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
        "council_reports": list(council_reports_of_area(request.user, municipality)),
        "create_form": CouncilReportCreateForm(initial=_initial(ReportKind.MIDTERM)) if may_request else None,
        "runs": runs[:LIST_LIMIT], "more": len(runs) > LIST_LIMIT, "list_limit": LIST_LIMIT,
        "title": (_("Reports of %(name)s") % {"name": municipality.name}) if municipality
        else _("Reports of the base team"),
    }, status=form_status(form))


@public_for_anonymous(public.reports_of_municipality)
@login_required
@require_http_methods(["GET", "POST"])
def municipality_reports(request, cbs_code: str):
    municipality = get_object_or_404(municipalities_in_full_for_user(request.user), cbs_code=cbs_code.upper())
    return _reports_page(request, municipality)


@public_for_anonymous(public.reports_of_base_team)
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


# --- Council reports: conclusions, approval by the college, kept files ---------------------------------------------


def _may_write(user, report) -> bool:
    """The access policy's EDIT on the report's municipality (the base team's report: EDIT at scope ALL)."""
    return access_for(user).can(Capability.EDIT, report.municipality_id)


def _report_themes(user):
    plan = current_plan(user)
    return list(Theme.objects.filter(plan=plan, parent__isnull=True).order_by("order")) if plan else []


@login_required
@require_http_methods(["POST"])
def council_report_create(request):
    """Start a draft of a council report (the form on an area's reports page)."""
    area_code = services.normalise_area_code(request.POST.get("area_code", ""))
    municipality = None
    if area_code != api.BASE_TEAM_AREA:
        municipality = get_object_or_404(municipalities_in_full_for_user(request.user), cbs_code=area_code)
    elif not can_read_reports(request.user, None):
        raise Http404
    form = CouncilReportCreateForm(request.POST)
    if form.is_valid():
        try:
            report = services.council_report_create(actor=request.user, area_code=area_code, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("A draft of the report has been started."))
            return redirect("web:council_report_detail", pk=report.pk)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("web:municipality_reports", cbs_code=area_code) if municipality else \
        redirect("web:base_team_reports")


def _council_context(request, report, **forms) -> dict:
    may_write = _may_write(request.user, report)
    newest = latest_council_report(report.area_code, report.kind, report.period)
    themes = _report_themes(request.user)
    context = {
        "report": report, "municipality": report.municipality, "area_code": report.area_code,
        "area_name": report.municipality.name if report.municipality else _("Base team Meierij"),
        "may_write": may_write, "is_newest": newest is not None and newest.pk == report.pk,
        "files": list(report.files.defer("content").order_by("variant", "fmt")) if report.is_frozen else [],
        "theme_texts": [(t, (report.theme_conclusions or {}).get(t.code, "")) for t in themes],
        "formats": ReportFormat.choices,
    }
    if may_write and report.is_concept:
        context["conclusions_form"] = forms.get("conclusions_form") or ConclusionsForm(
            initial=ConclusionsForm.initial_for(report), themes=themes)
        context["adopt_form"] = forms.get("adopt_form") or AdoptForm(initial={"version": report.version})
    if may_write and report.status == CouncilReportStatus.ADOPTED:
        context["present_form"] = forms.get("present_form") or PresentForm(initial={"version": report.version})
    if may_write:
        # A form that was refused stays on the page with its input and errors, also when someone else moved the
        # report on in between (a stale edit: 409 with what they saved).
        context.update(forms)
    return context


@public_for_anonymous()
@login_required
@require_http_methods(["GET", "POST"])
def council_report_detail(request, pk: int):
    report = get_object_or_404(council_reports_for_user(request.user), pk=pk)
    if request.method == "GET":
        return render(request, "web/council_report.html", _council_context(request, report))
    action = request.POST.get("action", "")
    refuse_unless(_may_write(request.user, report), request, action=f"council_report.{action or 'save'}",
                  target=report, municipality=report.municipality,
                  message=_("You may not change this report."))
    if action in _REPORT_FORMS:
        return _council_report_form(request, report, action)
    try:
        if action == "new_version":
            new = services.council_report_new_version(actor=request.user, report=report)
            messages.success(request, _("A new draft version has been started."))
            return redirect("web:council_report_detail", pk=new.pk)
        if action == "make" and request.POST.get("fmt") in api.FORMATS:
            kind = api.LETTER if request.POST.get("letter") else report.kind
            run = services.report_run_request(actor=request.user, area_code=report.area_code, kind=kind,
                                              period=report.period, fmt=request.POST["fmt"])
            messages.success(request, _("Your report has been requested. You can follow its progress here."))
            return redirect("web:report_run_detail", pk=run.pk)
    except ValidationError as exc:  # no form to put it on: the message above the page
        messages.error(request, " ".join(exc.messages))
        report.refresh_from_db()
        return render(request, "web/council_report.html", _council_context(request, report), status=400)
    raise Http404


def _adopt_initial(report) -> dict:
    return {"adopted_on": report.adopted_on, "decision_reference": report.decision_reference,
            "version": report.version}


def _present_initial(report) -> dict:
    return {"presented_on": report.presented_on, "version": report.version}


# The forms of a council report's page: action -> (context name, success message).
_REPORT_FORMS = {
    "save": ("conclusions_form", _lazy("Changes saved.")),
    "adopt": ("adopt_form", _lazy("The adoption by the college has been recorded; the report's files are kept as "
                                  "they are now.")),
    "present": ("present_form", _lazy("Presented to the council: recorded.")),
}


def _council_report_form(request, report, action: str):
    """Saving the conclusions, recording the adoption or the presentation, through the one submit helper: invalid
    input answers 400, a stale edit 409 with the input kept and what the other person saved (ivp.web.views.submit)."""
    user = request.user
    if action == "save":
        themes = _report_themes(user)
        form = ConclusionsForm(request.POST, themes=themes)

        def service(values):
            return services.council_report_save(actor=user, report=report,
                                                expected_version=form.cleaned_data["version"], **values)

        def saved():
            return ConclusionsForm.initial_for(_fresh(report))
    elif action == "adopt":
        form = AdoptForm(request.POST)

        def service(values):
            return services.council_report_adopt(actor=user, report=report, adopted_on=values["adopted_on"],
                                                 decision_reference=values["decision_reference"],
                                                 expected_version=values["version"])

        def saved():
            return _adopt_initial(_fresh(report))
    else:
        form = PresentForm(request.POST)

        def service(values):
            return services.council_report_present(actor=user, report=report, presented_on=values["presented_on"],
                                                   expected_version=values["version"])

        def saved():
            return _present_initial(_fresh(report))
    name, message = _REPORT_FORMS[action]
    response = submit(request, form, service=service, success_message=str(message), saved=saved,
                      success_url=reverse("web:council_report_detail", kwargs={"pk": report.pk}))
    if response:
        return response
    report.refresh_from_db()  # show what is stored, with the input kept in the form
    return render(request, "web/council_report.html", _council_context(request, report, **{name: form}),
                  status=form_status(form))


def _fresh(report):
    return type(report).objects.get(pk=report.pk)


@login_required
@require_GET
def council_report_download(request, pk: int, variant: str, fmt: str):
    """A kept file of an adopted report, byte for byte as it was made at adoption (its SHA-256 is checked)."""
    if variant not in FileVariant.values or fmt not in api.FORMATS:
        raise Http404
    kept = council_report_file(request.user, pk, variant, fmt)
    if kept is None:
        raise Http404
    content = bytes(kept.content)
    if hashlib.sha256(content).hexdigest() != kept.sha256:
        logger.error("kept report file %s (report %s) does not match its SHA-256", kept.pk, pk)
        raise RuntimeError("kept report file does not match its checksum")
    response = HttpResponse(content, content_type=kept.content_type)
    response["Content-Disposition"] = content_disposition_header(True, kept.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
