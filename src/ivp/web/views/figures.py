"""Dashboards (base team, municipality) and the indicator page with its interpretation (duiding)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ivp.areas.models import Area
from ivp.core.access import access_for
from ivp.core.roles import Capability
from ivp.core.selectors import municipalities_for_user
from ivp.indicators import dashboard
from ivp.indicators.cache import figures_token
from ivp.indicators.definitions import INDICATORS
from ivp.indicators.models import InterpretationRemark, InterpretationScope, LocalFigure, StructuralBreak
from ivp.indicators.publication import FigureGate
from ivp.indicators.series import BASE_TEAM
from ivp.indicators.services.interpretations import (
    interpretation_cosign,
    interpretation_remark_add,
    interpretation_remark_handle,
    interpretation_save,
    may_handle_remarks,
    may_remark,
    municipality_of,
    structural_break_add,
)
from ivp.indicators.services.local_figures import local_figures_upload
from ivp.indicators.upload import COLUMNS, MAX_BYTES, template_csv
from ivp.opendata.snapshot.records import ImportIssue, SnapshotError
from ivp.plans.selectors import current_plan
from ivp.stats.breaks import municipality_code

from ..forms import InterpretationForm, StructuralBreakForm
from ..forms_notifications import RemarkForm
from ..fragments import cached_fragment
from .guards import refuse_unless
from .submit import form_status, submit


def _figures_body(request, plan, area_code: str, token: str | None, gate: FigureGate) -> str:
    """The goal sections (indicator cards) and the theme index as HTML, rendered once per figures' state, plan
    version, area, audience and the interpretations the viewer sees: nothing else in them depends on the viewer
    (ivp.indicators.cache)."""
    user = request.user

    def context() -> dict:
        return {"area_code": area_code, "themes": dashboard.theme_index(plan),
                "sections": dashboard.goal_sections(user, plan, area_code, token=token, gate=gate)}

    # Plan versions are immutable (a changed plan file loads as a new Plan row), so the pk stands for the plan.
    return cached_fragment("web/_figures_body.html", context,
                           key=(area_code, gate.audience, plan.pk, *gate.notes_key(area_code),
                                *dashboard.notes_key(user, area_code)), token=token)


def base_team_dashboard(request):
    plan = current_plan(request.user)
    if plan is None:
        raise Http404
    token = figures_token()
    gate = FigureGate(request.user, token=token)
    return render(request, "web/figures_dashboard.html", {
        "plan": plan, "area_code": BASE_TEAM, "title": _("Figures for the base team"),
        "figures_body": _figures_body(request, plan, BASE_TEAM, token, gate),
        "comparison": dashboard.municipality_comparison(request.user, token=token, gate=gate),
        "internal_view": gate.internal, "table_indicator": dashboard.TABLE_INDICATOR,
    })


def _municipality_area(request, cbs_code: str) -> Area:
    municipality = get_object_or_404(municipalities_for_user(request.user), cbs_code=cbs_code.upper())
    # The boundary (a large JSON polygon) is not shown on these pages: not loaded.
    return get_object_or_404(Area.objects.defer("geometry").select_related("organisation"), code=municipality.cbs_code)


def municipality_dashboard(request, cbs_code: str):
    plan = current_plan(request.user)
    area = _municipality_area(request, cbs_code)
    if plan is None:
        raise Http404
    token = figures_token()
    gate = FigureGate(request.user, token=token)
    can_edit = access_for(request.user).can_edit_municipality(area.organisation_id)
    return render(request, "web/figures_dashboard.html", {
        "plan": plan, "area_code": area.code, "area": area, "municipality": area.organisation,
        "title": _("Figures for %(name)s") % {"name": area.name},
        "figures_body": _figures_body(request, plan, area.code, token, gate),
        "neighbourhoods": dashboard.neighbourhood_table(request.user, area, token=token, gate=gate,
                                                        can_write=can_edit),
        "local_figures": LocalFigure.objects.for_user(request.user).filter(municipality=area.organisation)
        .select_related("area").defer("area__geometry"),  # a wijk's or buurt's boundary polygon is not shown
        "can_upload": can_edit,
        "internal_view": gate.internal, "table_indicator": dashboard.TABLE_INDICATOR,
    })


def _area_for(request, area_code: str) -> Area | None:
    if area_code == BASE_TEAM:
        return None
    area = get_object_or_404(Area, code=area_code.upper())
    owner = municipality_of(area)
    if owner is None or not municipalities_for_user(request.user).filter(pk=owner.pk).exists():
        raise Http404
    return area


def _target(request, area_code: str, indicator: str) -> tuple[Area | None, str]:
    """The (for_user-checked) area of an indicator page and its code; 404 for unknown indicators."""
    if indicator not in INDICATORS:
        raise Http404
    area = _area_for(request, area_code)
    return area, area.code if area else BASE_TEAM


def _auto_id(scope: str) -> str:
    """Field ids per kind of interpretation: the page holds a form for the figure and one for its table."""
    return "id_%s" if scope == InterpretationScope.FIGURE else f"id_{scope}_%s"


def _table_forms(request, area: Area | None, indicator: str, can_write: bool, bound: dict | None = None) -> list:
    """The interpretations of the tables this indicator page is the home of: the neighbourhoods of a municipality,
    the comparison of the municipalities (base team). Each: what it covers, for which year, the interpretation and
    (for editors) its form."""
    if indicator != dashboard.TABLE_INDICATOR:
        return []
    if area is None:
        scope, figures = InterpretationScope.COMPARISON, dashboard.municipality_comparison(request.user)
        title = _("Interpretation of the comparison of the municipalities")
    elif area.level == "gemeente":
        scope, figures = InterpretationScope.NEIGHBOURHOODS, dashboard.neighbourhood_figures(area)
        title = _("Interpretation of the neighbourhood figures")
    else:
        return []
    year = figures.get("year")
    if not year:
        return []
    code = area.code if area else BASE_TEAM
    note = dashboard.interpretation_for(request.user, indicator, code, str(year), scope=scope)
    form = None
    if can_write:
        if bound is not None and bound.get("scope") == scope:
            form = bound["form"]
        else:
            form = InterpretationForm(auto_id=_auto_id(scope), initial=_interpretation_initial(note, str(year), scope))
    return [{"scope": scope, "title": title, "year": year, "interpretation": note, "form": form}]


def _remark_auto_id(scope: str) -> str:
    return "id_remark_%s" if scope == InterpretationScope.FIGURE else f"id_remark_{scope}_%s"


def _attach_thread(request, note, scope: str, remark_form=None) -> None:
    """Put the remark thread of `note` (for_user-scoped), what the viewer may do with it and (for who may remark)
    the remark form on the note, for the page's template."""
    if note is None:
        return
    user = request.user
    note.thread = list(InterpretationRemark.objects.for_user(user).filter(interpretation=note)
                       .select_related("author", "handled_by"))
    note.can_handle_remarks = may_handle_remarks(user, note)
    # The history (with the remark thread) is for who reads the municipality in full (web.views.history).
    access = access_for(user)
    note.history_visible = (access.can_read_municipality(note.municipality_id) if note.municipality_id
                            else access.can_somewhere(Capability.READ))
    note.remark_form = None
    if may_remark(user, note):
        if remark_form is not None and remark_form.data.get("scope", InterpretationScope.FIGURE) == scope:
            note.remark_form = remark_form
        else:
            note.remark_form = RemarkForm(auto_id=_remark_auto_id(scope),
                                          initial={"period": note.period, "scope": scope})


def _detail_context(request, area: Area | None, code: str, indicator: str, *, form=None, bound=None,
                    break_form=None, remark_form=None) -> dict:
    plan = current_plan(request.user)
    card = dashboard.card_for(request.user, INDICATORS[indicator], code,
                              period_start=plan.period_start if plan else None)
    latest = card.series.latest
    owner = municipality_of(area) if area else None
    access = access_for(request.user)
    can_write = access.can_edit_municipality(owner.pk) if owner else access.can_edit_shared_plan
    if form is None and can_write and latest is not None:
        note = dashboard.interpretation_for(request.user, indicator, code, latest.period)
        form = InterpretationForm(initial=_interpretation_initial(note, latest.period, InterpretationScope.FIGURE))
    scope = Q(area__isnull=True)
    if area is not None:
        scope |= Q(area__code__in=[area.code, municipality_code(area.code)])
    _attach_thread(request, card.interpretation, InterpretationScope.FIGURE, remark_form)
    tables = _table_forms(request, area, indicator, can_write, bound)
    for table in tables:
        _attach_thread(request, table["interpretation"], table["scope"], remark_form)
    return {
        "card": card, "area": area, "area_code": code, "form": form, "municipality": owner,
        "can_cosign": access.can_cosign, "breaks": StructuralBreak.objects.filter(scope).order_by("start"),
        "break_form": (break_form or StructuralBreakForm()) if can_write else None,
        "table_notes": tables,
    }


def indicator_detail(request, area_code: str, indicator: str):
    area, code = _target(request, area_code, indicator)
    return render(request, "web/indicator_detail.html", _detail_context(request, area, code, indicator))


@login_required
@require_POST
def interpretation_edit(request, area_code: str, indicator: str):
    area, code = _target(request, area_code, indicator)
    form = InterpretationForm(request.POST, auto_id=_auto_id(request.POST.get("scope") or InterpretationScope.FIGURE))

    def saved():
        note = dashboard.interpretation_for(request.user, indicator, code, form.cleaned_data["period"],
                                            scope=form.cleaned_data["scope"])
        return _interpretation_initial(note, form.cleaned_data["period"], form.cleaned_data["scope"])

    response = submit(
        request, form, success_message=_("Interpretation saved."),
        service=lambda values: interpretation_save(actor=request.user, indicator=indicator, area=area,
                                                   expected_version=form.expected_version, **values),
        success_url=reverse("web:indicator_detail", kwargs={"area_code": code, "indicator": indicator}),
        saved=saved)
    if response:
        return response
    # Refused or invalid: show the page again with the user's text in the form (nothing is lost).
    scope = form.cleaned_data.get("scope") if hasattr(form, "cleaned_data") else None
    scope = scope or request.POST.get("scope") or InterpretationScope.FIGURE
    if scope == InterpretationScope.FIGURE:
        context = _detail_context(request, area, code, indicator, form=form)
    else:
        context = _detail_context(request, area, code, indicator, bound={"scope": scope, "form": form})
    return render(request, "web/indicator_detail.html", context, status=form_status(form))


def _interpretation_initial(note, period: str, scope: str) -> dict:
    """What an interpretation form shows for `note` (None: not written yet, version 0)."""
    return {"period": period, "text": note.text if note else "", "published": note.published if note else False,
            "version": note.version if note else 0, "scope": scope}


@login_required
@require_POST
def interpretation_cosign_view(request, area_code: str, indicator: str):
    _area, code = _target(request, area_code, indicator)
    period = request.POST.get("period", "")
    scope = request.POST.get("scope") or InterpretationScope.FIGURE
    note = dashboard.interpretation_for(request.user, indicator, code, period, scope=scope)
    if note is None:
        raise Http404
    interpretation_cosign(actor=request.user, interpretation=note)  # PermissionDenied -> 403, audited
    messages.success(request, _("Interpretation co-signed."))
    return redirect("web:indicator_detail", area_code=code, indicator=indicator)


@login_required
@require_POST
def interpretation_remark_view(request, area_code: str, indicator: str):
    """Police, OM (whoever may comment, per the access policy): disagree with a duiding or suggest a change."""
    area, code = _target(request, area_code, indicator)
    scope = request.POST.get("scope") or InterpretationScope.FIGURE
    form = RemarkForm(request.POST, auto_id=_remark_auto_id(scope))
    note = dashboard.interpretation_for(request.user, indicator, code, request.POST.get("period", ""), scope=scope)
    if note is None:
        raise Http404
    url = reverse("web:indicator_detail", kwargs={"area_code": code, "indicator": indicator})
    response = submit(request, form, success_message=_("Your remark has been added; the author is notified."),
                      service=lambda values: interpretation_remark_add(
                          actor=request.user, interpretation=note, kind=values["kind"], text=values["text"],
                          suggested_text=values["suggested_text"]),
                      success_url=lambda remark: f"{url}#remark-{remark.pk}")
    if response:
        return response
    context = _detail_context(request, area, code, indicator, remark_form=form)
    return render(request, "web/indicator_detail.html", context, status=form_status(form))


@login_required
@require_POST
def interpretation_remark_handle_view(request, pk: int):
    remark = get_object_or_404(InterpretationRemark.objects.for_user(request.user)
                               .select_related("interpretation", "interpretation__area"), pk=pk)
    note = remark.interpretation
    try:
        interpretation_remark_handle(actor=request.user, remark=remark)  # PermissionDenied -> 403, audited
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Remark marked as handled."))
    code = note.area.code if note.area_id else BASE_TEAM
    return redirect(reverse("web:indicator_detail", kwargs={"area_code": code, "indicator": note.indicator})
                    + f"#remark-{remark.pk}")


MAX_SHOWN_ISSUES = 50


def shown_issues(issues) -> list[str]:
    """The first MAX_SHOWN_ISSUES problems of a refused file, then how many more there are: a file with an
    error in each of its thousands of rows must not make a page of megabytes."""
    shown = [str(i) for i in issues[:MAX_SHOWN_ISSUES]]
    if len(issues) > MAX_SHOWN_ISSUES:
        more = len(issues) - MAX_SHOWN_ISSUES
        shown.append(ngettext("... and %(count)d more problem.", "... and %(count)d more problems.", more)
                     % {"count": more})
    return shown


@login_required
def local_figures_upload_view(request, cbs_code: str):
    area = _municipality_area(request, cbs_code)
    municipality = area.organisation
    refuse_unless(access_for(request.user).can_edit_municipality(municipality.pk), request,
                  action="local_figures.upload", municipality=municipality,
                  message=_("No edit rights for %(m)s.") % {"m": municipality})
    issues = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            issues = [_("Choose a file first.")]
        elif upload.size > MAX_BYTES:
            # Refused before the file is read into memory (the service checks again).
            issues = [str(ImportIssue(upload.name, None, "", _("the file is larger than 5 MB")))]
        else:
            try:
                result = local_figures_upload(actor=request.user, municipality=municipality, file_name=upload.name,
                                              content=upload.read())
            except SnapshotError as exc:
                issues = shown_issues(exc.issues)
            else:
                messages.success(request, _("%(created)d new and %(updated)d changed figure(s) saved; %(same)d "
                                            "unchanged.") % {"created": result.created, "updated": result.updated,
                                                             "same": result.unchanged})
                return redirect("web:municipality_dashboard", cbs_code=municipality.cbs_code)
    figures = LocalFigure.objects.for_user(request.user).filter(municipality=municipality).select_related("area")
    return render(request, "web/local_figures_upload.html", {
        "municipality": municipality, "issues": issues, "figures": figures, "columns": COLUMNS,
    }, status=400 if issues else 200)


def local_figures_template(request):
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ivp-eigen-cijfers-sjabloon.csv"'
    return response


@login_required
@require_POST
def structural_break_add_view(request, area_code: str, indicator: str):
    area, code = _target(request, area_code, indicator)
    form = StructuralBreakForm(request.POST)
    response = submit(
        request, form, success_message=_("Break added to the series."),
        service=lambda values: structural_break_add(actor=request.user, area=area, **values),
        success_url=reverse("web:indicator_detail", kwargs={"area_code": code, "indicator": indicator}))
    # Refused or invalid: the page again, with the input in the form.
    return response or render(request, "web/indicator_detail.html",
                              _detail_context(request, area, code, indicator, break_form=form),
                              status=form_status(form))
