"""The safety fund (Veiligheidsfonds) of the base team: years, a year's summary, allocations with their
commitments and expenditures, a municipality's contributions, exports and the fund's history.

Who sees what is decided in `ivp.budget.selectors` (coordinator edits; police/OM read; advisors read the
fund and their own contribution; councillors the totals and their own contribution; others nothing).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ivp.budget import services
from ivp.budget.export import benefit_rule, summary_csv, summary_xlsx
from ivp.budget.models import DEFAULT_RATE_CENTS, Allocation, Commitment, Expenditure
from ivp.budget.selectors import (
    MAX_YEAR,
    MIN_YEAR,
    fund_access_for,
    fund_years,
    require_read_fund,
    require_read_totals,
)
from ivp.budget.summary import municipalities, year_summary
from ivp.core.audit.models import AuditEvent
from ivp.core.selectors import municipalities_for_user

from ..forms_budget import AllocationForm, FundEntryForm, NegativeBalanceApprovalForm, RateForm
from . import public
from .guards import refuse_unless
from .public import public_for_anonymous
from .submit import form_status, submit


def _check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


def _require_edit(request, *, action: str, target=None) -> None:
    refuse_unless(fund_access_for(request.user).edit, request, action=action, target=target,
                  message=_("Only the coordinator of the base team may change the safety fund."))


@public_for_anonymous(public.fund_overview)
@login_required
def budget_overview(request):
    fund = require_read_totals(request.user)
    summaries = [year_summary(year).visible_to(fund) for year in fund_years(request.user)]
    return render(request, "web/budget_overview.html", {
        "summaries": summaries, "fund": fund, "default_rate": DEFAULT_RATE_CENTS,
        "municipalities": [m for m in municipalities() if fund.can_see_municipality(m.pk)],
    })


@public_for_anonymous(public.fund_of_year)
@login_required
def budget_year(request, year: int):
    fund = require_read_totals(request.user)
    summary = year_summary(_check_year(year)).visible_to(fund)
    return render(request, "web/budget_year.html", {
        "summary": summary, "fund": fund, "benefit_rule": benefit_rule(), "default_rate": DEFAULT_RATE_CENTS,
        "previous_year": year - 1 if year > MIN_YEAR else None, "next_year": year + 1 if year < MAX_YEAR else None,
    })


@login_required
def budget_export(request, year: int, fmt: str):
    fund = require_read_totals(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    summary = year_summary(_check_year(year)).visible_to(fund)
    if fmt == "csv":
        response = HttpResponse(summary_csv(summary), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            summary_xlsx(summary), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="veiligheidsfonds-{year}.{fmt}"'
    return response


@public_for_anonymous(public.fund_of_municipality)
@login_required
def budget_municipality(request, cbs_code: str):
    municipality = get_object_or_404(municipalities_for_user(request.user), cbs_code=cbs_code.upper())
    fund = require_read_totals(request.user)
    if not fund.can_see_municipality(municipality.pk):
        raise Http404
    rows = []
    for year in fund_years(request.user):
        summary = year_summary(year)
        contribution = next(c for c in summary.contributions if c.municipality.pk == municipality.pk)
        benefit = next(b for b in summary.benefits if b.municipality.pk == municipality.pk)
        rows.append({"year": year, "contribution": contribution, "benefit": benefit})
    return render(request, "web/budget_municipality.html", {
        "municipality": municipality, "rows": rows, "fund": fund, "benefit_rule": benefit_rule(),
        "contributed_total": sum(r["contribution"].amount_cents for r in rows),
        "benefit_allocated_total": sum(r["benefit"].allocated_cents for r in rows),
        "benefit_spent_total": sum(r["benefit"].spent_cents for r in rows),
    })


@login_required
@require_http_methods(["GET", "POST"])
def budget_rate_edit(request, year: int):
    _check_year(year)
    _require_edit(request, action="budget.rate_set")
    summary = year_summary(year)
    form = RateForm(request.POST or None, initial=_rate_initial(summary.settings))
    response = submit(
        request, form, success_message=_("Rate saved."),
        service=lambda values: services.rate_set(actor=request.user, year=year,
                                                 expected_version=form.expected_version, **values),
        success_url=reverse("web:budget_year", kwargs={"year": year}),
        saved=lambda: _rate_initial(year_summary(year).settings))
    return response or render(request, "web/budget_form.html", {
        "form": form, "summary": summary, "title": _("Rate per inhabitant for %(year)s") % {"year": year},
        "intro": _("The contribution of each municipality is this rate times its number of inhabitants on 1 January "
                   "(CBS). Lowering the rate lowers the contributions, and is refused when the balance would then "
                   "go below zero without approval."),
    }, status=form_status(form))


# A year without settings shows the defaults at version 1: the version its settings row gets when it is made.
def _rate_initial(settings) -> dict:
    return {"rate_cents": settings.rate_cents, "version": settings.version}


def _approval_initial(settings) -> dict:
    return {"reason": settings.negative_balance_reason, "version": settings.version}


@login_required
@require_http_methods(["GET", "POST"])
def budget_negative_approve(request, year: int):
    _check_year(year)
    _require_edit(request, action="budget.negative_balance_approve")
    summary = year_summary(year)
    form = NegativeBalanceApprovalForm(request.POST or None, initial=_approval_initial(summary.settings))
    response = submit(
        request, form, success_message=_("A negative balance for %(year)s is approved. The approval is recorded in "
                                         "the history of the fund.") % {"year": year},
        service=lambda values: services.negative_balance_approve(actor=request.user, year=year,
                                                                 expected_version=form.expected_version, **values),
        success_url=reverse("web:budget_year", kwargs={"year": year}),
        saved=lambda: _approval_initial(year_summary(year).settings))
    return response or render(request, "web/budget_form.html", {
        "form": form, "summary": summary, "show_balance": True,
        "title": _("Approve a negative balance for %(year)s") % {"year": year},
        "intro": _("Without this approval, no expenditure may take the balance of the year (contributions minus "
                   "expenditures) below zero. The approval, its reason and who gave it are recorded."),
    }, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def budget_allocation_create(request, year: int):
    _check_year(year)
    _require_edit(request, action="budget.allocation_create")
    form = AllocationForm(request.POST or None, initial={"year": year})
    response = submit(
        request, form, success_message=_("Allocation added."),
        service=lambda values: services.allocation_create(actor=request.user, **values),
        success_url=lambda allocation: reverse("web:budget_allocation_detail", kwargs={"pk": allocation.pk}))
    return response or render(request, "web/budget_allocation_form.html", {
        "form": form, "year": year, "title": _("New allocation from the fund"), "summary": year_summary(year),
    }, status=form_status(form))


def _allocation_context(request, allocation, **forms):
    fund = fund_access_for(request.user)
    summary = year_summary(allocation.year)
    line = next(line for line in summary.allocations if line.allocation.pk == allocation.pk)
    context = {
        "allocation": allocation, "line": line, "fund": fund,
        "commitments": allocation.commitments.all(), "expenditures": allocation.expenditures.all(),
        "balance_cents": summary.balance_cents, "negative_approved": summary.negative_approved,
    }
    edit = fund.edit
    context["entry_sections"] = [
        ("commitment", context["commitments"],
         (forms.get("commitment_form") or FundEntryForm(prefix="commitment")) if edit else None,
         _("Commitments"), _("No commitments yet.")),
        ("expenditure", context["expenditures"],
         (forms.get("expenditure_form") or FundEntryForm(prefix="expenditure")) if edit else None,
         _("Expenditures"), _("No expenditures yet.")),
    ]
    return context


def _allocation(request, pk: int) -> Allocation:
    require_read_fund(request.user)
    return get_object_or_404(Allocation.objects.for_user(request.user).select_related("beneficiary"), pk=pk)


@public_for_anonymous()
@login_required
def budget_allocation_detail(request, pk: int):
    allocation = _allocation(request, pk)
    return render(request, "web/budget_allocation_detail.html", _allocation_context(request, allocation))


@login_required
@require_http_methods(["GET", "POST"])
def budget_allocation_edit(request, pk: int):
    allocation = _allocation(request, pk)
    _require_edit(request, action="budget.allocation_update", target=allocation)
    form = AllocationForm(request.POST or None, initial=_allocation_initial(allocation))
    response = submit(
        request, form, success_message=_("Changes saved."),
        service=lambda values: services.allocation_update(actor=request.user, allocation=allocation,
                                                          expected_version=form.expected_version, **values),
        success_url=reverse("web:budget_allocation_detail", kwargs={"pk": allocation.pk}),
        saved=lambda: _allocation_initial(_allocation(request, allocation.pk)))
    if response:
        return response
    if form.is_bound:
        allocation.refresh_from_db()  # a refused save had set the input on it: show what is stored
    return render(request, "web/budget_allocation_form.html", {
        "form": form, "year": allocation.year, "allocation": allocation, "title": _("Edit allocation"),
        "summary": year_summary(allocation.year),
    }, status=form_status(form))


def _allocation_initial(allocation) -> dict:
    return {"year": allocation.year, "kind": allocation.kind, "title": allocation.title,
            "beneficiary": allocation.beneficiary, "amount_cents": allocation.amount_cents,
            "description": allocation.description, "version": allocation.version}


@login_required
@require_http_methods(["GET", "POST"])
def budget_allocation_delete(request, pk: int):
    """Deleting an allocation takes two steps: this page asks for confirmation (what is deleted, that it stays in
    the history), and only its own form, which carries confirm=yes, deletes (ADR 0018; no script needed)."""
    allocation = _allocation(request, pk)
    _require_edit(request, action="budget.allocation_delete", target=allocation)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        year = allocation.year
        try:
            services.allocation_delete(actor=request.user, allocation=allocation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("web:budget_allocation_detail", pk=pk)
        messages.success(request, _("Allocation deleted. It remains visible in the history of the fund."))
        return redirect("web:budget_year", year=year)
    context = _allocation_context(request, allocation)
    context["blocked"] = bool(context["commitments"] or context["expenditures"])
    return render(request, "web/budget_allocation_delete.html", context)


def _entry_add(request, pk: int, *, kind: str):
    allocation = _allocation(request, pk)
    action = f"budget.{kind}_create"
    _require_edit(request, action=action, target=allocation)
    form = FundEntryForm(request.POST, prefix=kind)
    create = services.commitment_create if kind == "commitment" else services.expenditure_create
    response = submit(
        request, form, success_message=_("Commitment added.") if kind == "commitment" else _("Expenditure added."),
        service=lambda values: create(actor=request.user, allocation=allocation, **values),
        success_url=reverse("web:budget_allocation_detail", kwargs={"pk": allocation.pk}))
    # Refused or invalid: the page again, with the input still in the form.
    return response or render(request, "web/budget_allocation_detail.html",
                              _allocation_context(request, allocation, **{f"{kind}_form": form}),
                              status=form_status(form))


@login_required
@require_POST
def budget_commitment_add(request, pk: int):
    return _entry_add(request, pk, kind="commitment")


@login_required
@require_POST
def budget_expenditure_add(request, pk: int):
    return _entry_add(request, pk, kind="expenditure")


def _entry_delete(request, model, pk: int, *, kind: str):
    """Deleting a commitment or an expenditure takes two steps, like deleting an allocation: this page asks for
    confirmation (what is deleted, that it stays in the history), and only its own form, which carries
    confirm=yes, deletes (no script needed)."""
    require_read_fund(request.user)
    entry = get_object_or_404(model.objects.for_user(request.user).select_related("allocation"), pk=pk)
    _require_edit(request, action=f"budget.{kind}_delete", target=entry)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        if kind == "commitment":
            services.commitment_delete(actor=request.user, commitment=entry)
            messages.success(request, _("Commitment deleted. It remains visible in the history of the fund."))
        else:
            services.expenditure_delete(actor=request.user, expenditure=entry)
            messages.success(request, _("Expenditure deleted. It remains visible in the history of the fund."))
        return redirect("web:budget_allocation_detail", pk=entry.allocation_id)
    return render(request, "web/budget_entry_delete.html", {
        "entry": entry, "allocation": entry.allocation, "kind": kind,
        "title": _("Delete commitment") if kind == "commitment" else _("Delete expenditure"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def budget_commitment_delete(request, pk: int):
    return _entry_delete(request, Commitment, pk, kind="commitment")


@login_required
@require_http_methods(["GET", "POST"])
def budget_expenditure_delete(request, pk: int):
    return _entry_delete(request, Expenditure, pk, kind="expenditure")


@public_for_anonymous()
@login_required
def budget_history(request):
    require_read_fund(request.user)
    events = AuditEvent.objects.filter(action__startswith="budget.").select_related("actor")[:500]
    return render(request, "web/history.html", {"object": _("the safety fund"), "kind_label": _("safety fund"),
                                                "events": events})
