"""Public pages (ADR 0020): for each municipality and the base team, what a resident may see of the plan, its
adoption, the activities the municipality made public, the council reports presented to the council, the safety
fund and the figures (through the one publication gate), with CSV downloads of every table shown.

Every page reads as an anonymous visitor does, whoever is signed in: the same public view for residents,
councillors, partners and staff. Where something is not public, the page says why in a sentence.

`public_for_anonymous` lets the internal execution, report and fund pages answer an anonymous visitor with their
public variant (or with a page that explains they are working pages, with a link to sign in) instead of a bare
login form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ivp import notation
from ivp.areas.models import Area
from ivp.budget.export import benefit_rule
from ivp.budget.selectors import MAX_YEAR, MIN_YEAR, PUBLIC_FUND, fund_years
from ivp.budget.summary import municipalities, year_summary
from ivp.core.selectors import municipalities_for_user
from ivp.core.tabular import excel_nl_csv, excel_nl_number
from ivp.execution.selectors import BASE_TEAM_SCOPE, public_activities
from ivp.indicators.comparison import public_comparison
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.labels import verdict_label
from ivp.indicators.publication import FigureGate, hidden_text
from ivp.indicators.series import BASE_TEAM, indicator_series
from ivp.plans.selectors import adoptions_for_user, current_plan, local_priorities_for_user
from ivp.reports.models import FileVariant
from ivp.reports.selectors import presented_council_reports, presented_report_file

logger = logging.getLogger(__name__)

ANONYMOUS = AnonymousUser()


def _scope(scope: str):
    """(municipality or None for the base team, area code) of a public page; 404 for an unknown code."""
    if scope == BASE_TEAM_SCOPE:
        return None, BASE_TEAM
    municipality = get_object_or_404(municipalities_for_user(ANONYMOUS), cbs_code=scope.upper())
    return municipality, municipality.cbs_code


def _scope_name(municipality, plan) -> str:
    if municipality is not None:
        return municipality.name
    return plan.base_team.name if plan is not None and plan.base_team_id else _("the base team")


def _plan():
    plan = current_plan(ANONYMOUS)
    if plan is None:
        raise Http404
    return plan


def _csv_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _as_of(request) -> tuple[dt.date, str]:
    """The as-of date (peildatum) asked for (?peildatum=YYYY-MM-DD; default today) and a message when it could not
    be used."""
    today = timezone.localdate()
    raw = request.GET.get("peildatum", "").strip()
    if not raw:
        return today, ""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return today, _("The as-of date was not understood; today is shown instead (enter a date as 31-12-2024).")
    if day > today:
        return today, _("The as-of date lies in the future; today is shown instead.")
    return day, ""


# --- pages ------------------------------------------------------------------------------------------------------

@require_safe
def public_index(request):
    plan = current_plan(ANONYMOUS)
    return render(request, "web/public/index.html", {
        "plan": plan, "municipalities": municipalities_for_user(ANONYMOUS),
        "base_team_name": _scope_name(None, plan),
    })


@require_safe
def public_landing(request, scope: str):
    municipality, area_code = _scope(scope)
    plan = _plan()
    name = _scope_name(municipality, plan)
    adoptions = adoptions_for_user(ANONYMOUS, plan).select_related("municipality")
    activities = public_activities(municipality=municipality or BASE_TEAM_SCOPE)
    fund_year = timezone.localdate().year
    summary = year_summary(fund_year).visible_to(PUBLIC_FUND) if MIN_YEAR <= fund_year <= MAX_YEAR else None
    contribution = None
    if summary is not None and municipality is not None:
        contribution = next((c for c in summary.contributions if c.municipality.pk == municipality.pk), None)
    comparison = public_comparison(area_code)
    return render(request, "web/public/landing.html", {
        "plan": plan, "municipality": municipality, "scope": scope.lower() if municipality is None else area_code,
        "name": name, "area_code": area_code,
        "adoption": adoptions.filter(municipality=municipality).first() if municipality else None,
        "adoptions": adoptions if municipality is None else [],
        "priorities": (local_priorities_for_user(ANONYMOUS).filter(plan=plan, municipality=municipality)
                       if municipality else []),
        "themes": plan.themes.filter(parent__isnull=True).order_by("order"),
        "activities": activities, "activity_count": len(activities),
        "planned_total": sum(a.planned_budget_cents for a in activities),
        "summary": summary, "contribution": contribution,
        "reports": list(presented_council_reports(municipality, base_team=municipality is None)[:5]),
        "comparison": comparison,
    })


@require_safe
def public_activities_page(request, scope: str):
    municipality, _area_code = _scope(scope)
    plan = _plan()
    as_of, as_of_message = _as_of(request)
    activities = public_activities(municipality=municipality or BASE_TEAM_SCOPE, as_of=as_of)
    return render(request, "web/public/activities.html", {
        "plan": plan, "municipality": municipality, "scope": _scope_code(municipality),
        "name": _scope_name(municipality, plan), "activities": activities, "as_of": as_of,
        "as_of_message": as_of_message, "as_of_is_today": as_of == timezone.localdate(),
        "planned_total": sum(a.planned_budget_cents for a in activities),
    })


def _scope_code(municipality) -> str:
    return municipality.cbs_code if municipality is not None else BASE_TEAM_SCOPE


@require_safe
def public_activities_csv(request, scope: str):
    municipality, _area_code = _scope(scope)
    plan = _plan()
    as_of, _message = _as_of(request)
    activities = public_activities(municipality=municipality or BASE_TEAM_SCOPE, as_of=as_of)
    notes = [
        _("Public activities of %(name)s, %(plan)s") % {"name": _scope_name(municipality, plan), "plan": plan.title},
        _("Status as of %(date)s; source: the execution plan as the municipality keeps it in IVP, downloaded on "
          "%(today)s") % {"date": notation.date(as_of), "today": notation.date(timezone.localdate())},
        _("Amounts in euros; only activities the municipality made public"),
    ]
    header = [_("activity"), _("description"), _("organisation responsible"), _("period"), _("themes"),
              _("local priorities"), _("focus lenses"), _("status"), _("status as of"), _("explanation"),
              _("planned budget (euros)"), _("start date"), _("end date")]
    rows = [[a.title, a.description, a.owner_organisation, a.period_label,
             ", ".join(f"{t.number} {t.title}" for t in a.themes), ", ".join(a.local_priorities),
             ", ".join(a.focus_lenses), a.status_label, notation.date(a.status_date), a.narrative,
             excel_nl_number(a.planned_budget_cents / 100, 2), notation.date(a.start_date),
             notation.date(a.end_date)] for a in activities]
    filename = f"activiteiten-{_scope_code(municipality).lower()}-{as_of.isoformat()}.csv"
    return _csv_response(excel_nl_csv(notes=notes, header=header, rows=rows), filename)


@require_safe
def public_reports(request, scope: str):
    municipality, _area_code = _scope(scope)
    plan = _plan()
    return render(request, "web/public/reports.html", {
        "plan": plan, "municipality": municipality, "scope": _scope_code(municipality),
        "name": _scope_name(municipality, plan),
        "reports": presented_council_reports(municipality, base_team=municipality is None),
    })


@require_safe
def public_report_download(request, pk: int, variant: str, fmt: str):
    """A kept file of a report presented to the council, byte for byte as adopted (its SHA-256 is checked)."""
    if variant not in FileVariant.values:
        raise Http404
    kept = presented_report_file(pk, variant, fmt)
    if kept is None:
        raise Http404
    content = bytes(kept.content)
    if hashlib.sha256(content).hexdigest() != kept.sha256:
        logger.error("kept report file %s (report %s) does not match its SHA-256", kept.pk, pk)
        raise RuntimeError("kept report file does not match its checksum")
    response = HttpResponse(content, content_type=kept.content_type)
    response["Content-Disposition"] = content_disposition_header(True, kept.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _fund_year(year: int | None) -> int:
    if year is None:
        return timezone.localdate().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


@require_safe
def public_fund(request, year: int | None = None):
    chosen = _fund_year(year)
    years = fund_years(ANONYMOUS)
    summary = year_summary(chosen).visible_to(PUBLIC_FUND)
    return render(request, "web/public/fund.html", {
        "summary": summary, "years": years, "year": chosen, "benefit_rule": benefit_rule(),
        "totals": [year_summary(y).visible_to(PUBLIC_FUND) for y in years],
        "municipalities": municipalities(),
    })


@require_safe
def public_fund_csv(request, year: int):
    summary = year_summary(_fund_year(year)).visible_to(PUBLIC_FUND)
    notes = [
        _("Safety fund of the base team, %(year)d") % {"year": summary.year},
        _("Contribution = %(rate)s per inhabitant x inhabitants on 1 January (CBS population figures); amounts in "
          "euros") % {"rate": notation.euro(summary.rate_cents)},
        _("Downloaded on %(today)s") % {"today": notation.date(timezone.localdate())},
        benefit_rule(),
    ]
    header = [_("municipality"), _("CBS code"), _("inhabitants"), _("inhabitants on"), _("contribution (euros)"),
              _("benefit allocated (euros)"), _("benefit spent (euros)")]
    benefits = {b.municipality.pk: b for b in summary.benefits}
    rows = []
    for c in summary.contributions:
        benefit = benefits.get(c.municipality.pk)
        rows.append([c.municipality.name, c.cbs_code, excel_nl_number(c.population),
                     notation.date(c.population_date), excel_nl_number(c.amount_cents / 100, 2),
                     excel_nl_number(benefit.allocated_cents / 100, 2) if benefit else "",
                     excel_nl_number(benefit.spent_cents / 100, 2) if benefit else ""])
    rows.append([_("total"), "", excel_nl_number(summary.population_total), "",
                 excel_nl_number(summary.contributions_cents / 100, 2),
                 excel_nl_number(summary.allocated_cents / 100, 2), excel_nl_number(summary.spent_cents / 100, 2)])
    return _csv_response(excel_nl_csv(notes=notes, header=header, rows=rows), f"veiligheidsfonds-{summary.year}.csv")


@require_safe
def public_comparison_page(request, scope: str):
    municipality, area_code = _scope(scope)
    plan = _plan()
    return render(request, "web/public/comparison.html", {
        "plan": plan, "municipality": municipality, "scope": _scope_code(municipality),
        "name": _scope_name(municipality, plan), "comparison": public_comparison(area_code),
    })


def _rate_cells(row) -> list:
    return [excel_nl_number(row.count), excel_nl_number(row.population), excel_nl_number(row.rate, 1),
            excel_nl_number(row.lower, 1), excel_nl_number(row.upper, 1), row.verdict]


@require_safe
def public_comparison_csv(request, scope: str):
    municipality, area_code = _scope(scope)
    plan = _plan()
    comparison = public_comparison(area_code)
    notes = [_("Registered crime per 1,000 inhabitants: %(name)s compared") % {
        "name": _scope_name(municipality, plan)}]
    header = [_("area"), _("code"), _("count"), _("inhabitants on 1 January"), _("per 1,000 inhabitants"),
              _("95% interval, lower"), _("95% interval, upper"), _("verdict")]
    rows: list[list] = []
    if not comparison.shown:
        notes.append(comparison.withheld_reason)
    else:
        notes += [comparison.source, comparison.method]
        rows.append([comparison.own.name, comparison.own.code, *_rate_cells(comparison.own)])
        if comparison.national:
            rows.append([comparison.national.name, comparison.national.code, *_rate_cells(comparison.national)])
        if comparison.peer_pooled:
            rows.append([comparison.peer_pooled.name, "", *_rate_cells(comparison.peer_pooled)])
        rows += [[p.name, p.code, *_rate_cells(p)] for p in comparison.peers]
    filename = f"vergelijking-{_scope_code(municipality).lower()}.csv"
    return _csv_response(excel_nl_csv(notes=notes, header=header, rows=rows), filename)


@require_safe
def public_figures_csv(request, scope: str):
    """Every indicator's yearly figures of the area as the publication gate shows the public: only years a published
    duiding covers, hidden counts (and all that is computed from them) left out, as on the figures pages."""
    municipality, area_code = _scope(scope)
    plan = _plan()
    gate = FigureGate.public()
    notes = [
        _("Figures of %(name)s as published with their interpretation (duiding)") % {
            "name": _scope_name(municipality, plan)},
        _("Sources: Police (data.politie.nl) and CBS (StatLine); per 1,000 inhabitants on 1 January, with the 95%% "
          "interval; downloaded on %(today)s") % {"today": notation.date(timezone.localdate())},
        _("Hidden: counts of 1 to 4, and counts from which they could be worked out, are not shown"),
    ]
    header = [_("indicator"), _("code"), _("year"), _("count"), _("inhabitants on 1 January"),
              _("per 1,000 inhabitants"), _("95% interval, lower"), _("95% interval, upper"),
              _("change on the year before"), _("source"), _("note")]
    rows: list[list] = []
    has_area = area_code == BASE_TEAM or Area.objects.filter(code=area_code).exists()
    for code, indicator in INDICATORS.items():
        if not has_area:
            break
        view = gate.series(indicator_series(code, area_code))
        source = view.series.source.table if view.series.source else ""
        if view.hidden_reason:
            rows.append([str(indicator.name), code, "", "", "", "", "", "", "", source, view.hidden_reason])
            continue
        for point in view.points:
            if not point.published:
                continue
            count = (hidden_text() if point.hidden else point.count_text if view.series.small_area
                     else excel_nl_number(point.count))
            rows.append([str(indicator.name), code, point.year, count, excel_nl_number(point.population),
                         excel_nl_number(point.rate, 1), excel_nl_number(point.lower, 1),
                         excel_nl_number(point.upper, 1), verdict_label(point.verdict), source,
                         view.withheld_note])
    if not has_area:
        notes.append(_("There are no figures for this area yet."))
    filename = f"cijfers-{_scope_code(municipality).lower()}.csv"
    return _csv_response(excel_nl_csv(notes=notes, header=header, rows=rows), filename)


# --- the internal pages for anonymous visitors ---------------------------------------------------------------------

def signin_needed(request, *, public_url: str | None = None, public_label: str = ""):
    """A working page opened without signing in: what it is, where the public information is, and a sign-in link
    back to it (200, not a bare login form)."""
    path = request.get_full_path()
    next_url = path if url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}) else ""
    return render(request, "web/public/signin_needed.html", {
        "public_url": public_url or reverse("web:public_index"), "public_label": public_label or _(
            "Public information per municipality"), "next_url": next_url,
    })


def public_for_anonymous(public=None, *, label: str = ""):
    """Decorate an internal page: an anonymous GET gets `public(request, **kwargs)` (its public variant) or, without
    one, the sign-in explanation; everyone else the page itself (with its own login_required)."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in ("GET", "HEAD") and not request.user.is_authenticated:
                if public is not None:
                    return public(request, **kwargs)
                return signin_needed(request, public_label=label)
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


def execution_of_municipality(request, cbs_code: str):
    return public_activities_page(request, scope=cbs_code)


def execution_of_base_team(request):
    return public_activities_page(request, scope=BASE_TEAM_SCOPE)


def reports_of_municipality(request, cbs_code: str):
    return public_reports(request, scope=cbs_code)


def reports_of_base_team(request):
    return public_reports(request, scope=BASE_TEAM_SCOPE)


def fund_overview(request):
    return public_fund(request)


def fund_of_year(request, year: int):
    return public_fund(request, year=year)


def fund_of_municipality(request, cbs_code: str):
    _scope(cbs_code)
    return public_fund(request)
