"""The information registers of a municipality (issue 15, ADR 0021): an overview, one list page per register, the
forms to add and correct rows, and the registers shared with partners.

Restricted: only who holds Capability.READ_INFORMATION for the municipality (or a share of that register with their
organisation) opens a register; everyone else gets 404, as for another municipality's rows. The overview is open
to whoever reads the municipality, and shows the council members only the gated, suppressed totals. Every page
that shows register content records a read event (`information.read`, `information.summary`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ivp import notation
from ivp.areas.models import Area
from ivp.core.access import access_for
from ivp.core.models import Organisation
from ivp.core.roles import Capability, OrganisationKind
from ivp.core.tabular import csv_writer
from ivp.information import services
from ivp.information.models import (
    AveCount,
    BibobCount,
    ControlPartner,
    IntegralControl,
    LioMeeting,
    Register,
    RegisterShare,
    Signal,
    SignalCategory,
    YouthGroup,
)
from ivp.information.summary import Period, information_summary

from ..forms_information import AveForm, BibobForm, ControlForm, LioForm, ShareForm, SignalForm, YouthGroupForm
from .guards import refuse
from .submit import form_status, submit

LIST_LIMIT = 500


def _area(row) -> str:
    return row.area.name if row.area_id else _("whole municipality")


def _partners(row) -> str:
    labels = dict(ControlPartner.choices)
    return ", ".join(str(labels.get(p, p)) for p in row.partners) or notation.DASH


def _outcomes(row) -> str:
    """The outcomes of an integral control in one cell: "findings 4; closures 1; ..." (zeros left out)."""
    parts = [(_("findings"), row.findings), (_("closures"), row.closures), (_("fines"), row.fines),
             (_("Bibob started"), row.bibob_started), (_("referrals to care"), row.care_referrals)]
    return "; ".join(f"{label} {notation.integer(number)}" for label, number in parts if number) or _("none")


def _lio_categories(row) -> str:
    labels = dict(SignalCategory.choices)
    return "; ".join(f"{labels.get(k, k)}: {v}" for k, v in row.cases_by_category.items()) or notation.DASH


@dataclass(frozen=True)
class RegisterPage:
    register: str
    slug: str
    model: type
    form: type
    title: str
    intro: str
    add_label: str
    columns: list[tuple[str, Callable]]
    create: Callable
    update: Callable | None = None
    initial_for: Callable | None = None
    year_field: str = ""


def _signal_initial(row) -> dict:
    return {"month": row.month, "area": row.area_id, "category": row.category, "source_kind": row.source_kind,
            "count": row.count, "follow_up": row.follow_up, "description": row.description, "version": row.version}


def _control_initial(row) -> dict:
    return {"date": row.date, "area": row.area_id, "premises_kind": row.premises_kind,
            "premises_count": row.premises_count, "partners": row.partners, "findings": row.findings,
            "closures": row.closures, "fines": row.fines, "bibob_started": row.bibob_started,
            "care_referrals": row.care_referrals, "description": row.description, "version": row.version}


def _group_initial(row) -> dict:
    return {"code": row.code, "group_type": row.group_type, "area": row.area_id, "size_band": row.size_band,
            "phase": row.phase, "partners": row.partners, "first_seen": row.first_seen, "version": row.version}


PAGES: dict[str, RegisterPage] = {page.slug: page for page in [
    RegisterPage(
        Register.SIGNALS, "signalen", Signal, SignalForm, gettext_lazy("Signals"),
        gettext_lazy("How many signals of which kind arrived per month, from which kind of source, and what was "
                     "done with them. Counts only: never who."),
        gettext_lazy("Add signal count"),
        [(gettext_lazy("Month"), lambda r: f"{r.month:%m-%Y}"), (gettext_lazy("Wijk or buurt"), _area),
         (gettext_lazy("Category"), lambda r: r.get_category_display()),
         (gettext_lazy("Source"), lambda r: r.get_source_kind_display()),
         (gettext_lazy("Number"), lambda r: notation.integer(r.count)),
         (gettext_lazy("Follow-up"), lambda r: r.get_follow_up_display()),
         (gettext_lazy("Description"), lambda r: r.description or notation.DASH)],
        create=lambda actor, m, values: services.signal_create(actor=actor, municipality=m, **values),
        update=lambda actor, row, values, version: services.signal_update(actor=actor, signal=row,
                                                                          expected_version=version, **values),
        initial_for=_signal_initial, year_field="month__year"),
    RegisterPage(
        Register.CONTROLS, "controles", IntegralControl, ControlForm, gettext_lazy("Integral controls"),
        gettext_lazy("Integral controls by the Administrative Intervention Team Meierij (BIM) with the police, Tax "
                     "Administration, Labour Inspectorate and environmental service, with their outcomes as counts."),
        gettext_lazy("Add integral control"),
        [(gettext_lazy("Date"), lambda r: notation.date(r.date)), (gettext_lazy("Wijk or buurt"), _area),
         (gettext_lazy("Kind of premises"), lambda r: r.get_premises_kind_display()),
         (gettext_lazy("Premises"), lambda r: notation.integer(r.premises_count)),
         (gettext_lazy("Partners"), _partners), (gettext_lazy("Outcomes"), _outcomes)],
        create=lambda actor, m, values: services.control_create(actor=actor, municipality=m, **values),
        update=lambda actor, row, values, version: services.control_update(actor=actor, control=row,
                                                                           expected_version=version, **values),
        initial_for=_control_initial, year_field="date__year"),
    RegisterPage(
        Register.BIBOB, "bibob", BibobCount, BibobForm, gettext_lazy("Bibob procedures"),
        gettext_lazy("The number of Bibob procedures per quarter, by kind of application and outcome."),
        gettext_lazy("Save Bibob count"),
        [(gettext_lazy("Quarter"), lambda r: f"{r.year}-Q{r.quarter}"),
         (gettext_lazy("Kind"), lambda r: r.get_kind_display()),
         (gettext_lazy("Outcome"), lambda r: r.get_outcome_display()),
         (gettext_lazy("Number"), lambda r: notation.integer(r.count))],
        create=lambda actor, m, values: services.bibob_save(actor=actor, municipality=m, **values),
        year_field="year"),
    RegisterPage(
        Register.YOUTH_GROUPS, "jeugdgroepen", YouthGroup, YouthGroupForm, gettext_lazy("Youth groups"),
        gettext_lazy("Problematic youth groups in the 7-step approach (shortlist method), by a code the "
                     "municipality chooses: never names. A change of type is kept in the group's history."),
        gettext_lazy("Add youth group"),
        [(gettext_lazy("Group code"), lambda r: r.code), (gettext_lazy("Type"), lambda r: r.get_group_type_display()),
         (gettext_lazy("Wijk or buurt"), _area), (gettext_lazy("Size"), lambda r: r.get_size_band_display()),
         (gettext_lazy("Phase"), lambda r: r.get_phase_display()), (gettext_lazy("Partners"), _partners),
         (gettext_lazy("On the shortlist since"), lambda r: notation.date(r.first_seen)),
         (gettext_lazy("Type history"), lambda r: " → ".join(
             c.get_new_type_display() for c in r.type_changes.all()))],
        create=lambda actor, m, values: services.youth_group_create(actor=actor, municipality=m, **values),
        update=lambda actor, row, values, version: services.youth_group_update(actor=actor, group=row,
                                                                               expected_version=version, **values),
        initial_for=_group_initial),
    RegisterPage(
        Register.LIO, "lio", LioMeeting, LioForm, gettext_lazy("LIO meetings"),
        gettext_lazy("Meetings of the Local Information Consultation (LIO): how many cases per category were "
                     "discussed, how many actions were agreed and how many cases were closed."),
        gettext_lazy("Save LIO meeting"),
        [(gettext_lazy("Date"), lambda r: notation.date(r.date)),
         (gettext_lazy("Cases discussed"), lambda r: notation.integer(r.cases_discussed)),
         (gettext_lazy("Per category"), _lio_categories),
         (gettext_lazy("Actions agreed"), lambda r: notation.integer(r.actions_agreed)),
         (gettext_lazy("Cases closed"), lambda r: notation.integer(r.cases_closed))],
        create=lambda actor, m, values: services.lio_save(actor=actor, municipality=m, **values),
        year_field="date__year"),
    RegisterPage(
        Register.AVE, "ave", AveCount, AveForm, gettext_lazy("AVE cases"),
        gettext_lazy("Cases in the approach to prevent escalation (Aanpak Voorkomen van Escalatie) per stage at "
                     "the end of each quarter, as counts."),
        gettext_lazy("Save AVE count"),
        [(gettext_lazy("Quarter"), lambda r: f"{r.year}-Q{r.quarter}"),
         (gettext_lazy("Stage"), lambda r: r.get_stage_display()),
         (gettext_lazy("Number"), lambda r: notation.integer(r.count))],
        create=lambda actor, m, values: services.ave_save(actor=actor, municipality=m, **values),
        year_field="year"),
]}


def _municipality(cbs_code: str) -> Organisation:
    return get_object_or_404(Organisation, kind=OrganisationKind.MUNICIPALITY, cbs_code=cbs_code.upper())


def _page(slug: str) -> RegisterPage:
    if slug not in PAGES:
        raise Http404
    return PAGES[slug]


def _readable(request, municipality, register: str) -> None:
    """404 for whoever may not read this register of this municipality (tenancy: as if it did not exist)."""
    if not services.can_read_information(request.user, municipality.pk, register):
        raise Http404


def _may_edit(request, municipality, page: RegisterPage) -> None:
    if not services.can_edit_information(request.user, municipality.pk):
        refuse(request, action=f"information.{page.register}.edit", municipality=municipality,
               message=_("You may not change the information registers of %(name)s.") % {"name": municipality})


def _registers_for(user, municipality) -> list[RegisterPage]:
    return [page for page in PAGES.values()
            if services.can_read_information(user, municipality.pk, page.register)]


def _year(request, default: int | None = None) -> int | None:
    text = request.GET.get("jaar", "")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return default


@login_required
def information_overview(request, cbs_code: str):
    municipality = _municipality(cbs_code)
    access = access_for(request.user)
    readable = _registers_for(request.user, municipality)
    if not readable and not access.can_read_municipality(municipality.pk):
        raise Http404
    year = _year(request, timezone.localdate().year - 1)
    period = Period(year)
    document = information_summary(user=request.user, municipality=municipality, period=period)
    services.record_read(actor=request.user, what="information.summary", municipality=municipality,
                         detail={"period": period.label, "audience": document["audience"], "page": "overview",
                                 "registers": sorted(document["registers"])})
    labels = dict(Register.choices)
    area_names = {a.code: a.name for a in Area.objects.filter(
        Q(parent__organisation=municipality) | Q(parent__parent__organisation=municipality))}
    return render(request, "web/information_overview.html", {
        "municipality": municipality, "year": year, "years": list(range(timezone.localdate().year, 2018, -1)),
        "document": document, "restricted": document["audience"] == "restricted",
        "pages": readable, "can_edit": services.can_edit_information(request.user, municipality.pk),
        "can_see_picture": access.can(Capability.READ_INFORMATION, municipality.pk),
        "registers": [(labels[key], key, _overview_tables(key, values, area_names)) for key, values in
                      document["registers"].items()],
        "withheld": [labels[key] for key in document.get("withheld", [])],
    })


_LABELS = {
    "total": gettext_lazy("Total"), "controls": gettext_lazy("Controls carried out"),
    "premises": gettext_lazy("Premises checked"), "findings": gettext_lazy("Findings"),
    "closures": gettext_lazy("Closures (art. 13b Opium Act)"), "fines": gettext_lazy("Administrative fines"),
    "bibob_started": gettext_lazy("Bibob procedures started"), "care_referrals": gettext_lazy("Referrals to care"),
    "meetings": gettext_lazy("Meetings"), "cases_discussed": gettext_lazy("Cases discussed"),
    "actions_agreed": gettext_lazy("Actions agreed"), "cases_closed": gettext_lazy("Cases closed"),
    "type_changes": gettext_lazy("Type changes"), "quarter": gettext_lazy("At the end of quarter"),
}


def _breakdowns():
    from ivp.information import models as m

    return {
        "by_category": (gettext_lazy("By category"), m.SignalCategory),
        "by_source": (gettext_lazy("By source"), m.SignalSource),
        "by_follow_up": (gettext_lazy("By follow-up"), m.FollowUp),
        "by_area": (gettext_lazy("By wijk"), None),
        "by_quarter": (gettext_lazy("By quarter"), None),
        "by_premises_kind": (gettext_lazy("By kind of premises"), m.PremisesKind),
        "by_kind": (gettext_lazy("By kind"), m.BibobKind),
        "by_outcome": (gettext_lazy("By outcome"), m.BibobOutcome),
        "by_type": (gettext_lazy("By type"), m.YouthGroupType),
        "by_phase": (gettext_lazy("By phase"), m.ApproachPhase),
        "by_stage": (gettext_lazy("By stage"), m.AveStage),
        "parts": (gettext_lazy("Breakdown"), None),
    }


def _show(value) -> str:
    if value is None:
        return _("hidden")
    return notation.integer(value) if isinstance(value, int) else str(value)


def _overview_tables(register: str, values: dict, area_names: dict[str, str]) -> list[tuple[str, list]]:
    """One register's aggregates as (caption, [(label, value)]) tables: the totals first, then each breakdown."""
    from ivp.information import models as m

    breakdowns = _breakdowns()
    public_parts = {m.Register.SIGNALS: m.SignalCategory, m.Register.BIBOB: m.BibobOutcome,
                    m.Register.YOUTH_GROUPS: m.YouthGroupType, m.Register.LIO: m.SignalCategory,
                    m.Register.AVE: m.AveStage}
    totals = [(str(_LABELS.get(key, key)), _show(value)) for key, value in values.items()
              if not isinstance(value, dict)]
    tables = [(str(_("Totals")), totals)] if totals else []
    for key, parts in values.items():
        if not isinstance(parts, dict):
            continue
        caption, choices = breakdowns.get(key, (key, None))
        if key == "parts":
            choices = public_parts.get(register)
        labels = {str(k): str(v) for k, v in choices.choices} if choices is not None else {}
        if key == "by_area":
            labels = {**area_names, "gemeente": str(_("whole municipality"))}
        tables.append((str(caption), [(labels.get(part, part), _show(number)) for part, number in parts.items()]))
    return tables


def _register_rows(request, cbs_code: str, register: str):
    """What a register's list page and its CSV export read: the municipality, the page, the rows this user may read
    (of the chosen year), and the year. Refuses (404) who may not read the register."""
    municipality = _municipality(cbs_code)
    page = _page(register)
    _readable(request, municipality, page.register)
    rows = page.model.objects.for_user(request.user).filter(municipality=municipality)
    year = _year(request)
    if year is not None and page.year_field:
        rows = rows.filter(**{page.year_field: year})
    if page.model is YouthGroup:
        rows = rows.prefetch_related("type_changes")
    if hasattr(page.model, "area"):
        rows = rows.select_related("area")
    return municipality, page, rows, year


@login_required
def register_list(request, cbs_code: str, register: str):
    municipality, page, rows, year = _register_rows(request, cbs_code, register)
    rows = list(rows[:LIST_LIMIT])
    services.record_read(actor=request.user, what="information.read", municipality=municipality,
                         register=page.register, detail={"page": "list", "year": year, "rows": len(rows)})
    return render(request, "web/information_register.html", {
        "municipality": municipality, "page": page, "year": year, "limit": LIST_LIMIT,
        "years": list(range(timezone.localdate().year, 2018, -1)) if page.year_field else [],
        "table": [(row, [column(row) for _label, column in page.columns]) for row in rows],
        "headers": [label for label, _column in page.columns],
        "can_edit": services.can_edit_information(request.user, municipality.pk),
        "editable": page.update is not None,
    })


@login_required
def register_export(request, cbs_code: str, register: str):
    """The register as CSV (the list page's columns and values, formula-safe); a read event like the page."""
    municipality, page, rows, year = _register_rows(request, cbs_code, register)
    rows = list(rows)
    services.record_read(actor=request.user, what="information.read", municipality=municipality,
                         register=page.register, detail={"page": "export", "year": year, "rows": len(rows)})
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 with a byte order mark
    writer = csv_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(label) for label, _column in page.columns])
    for row in rows:
        writer.writerow([str(column(row)) for _label, column in page.columns])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"ivp-{page.slug}-{municipality.cbs_code}{f'-{year}' if year else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def register_create(request, cbs_code: str, register: str):
    municipality = _municipality(cbs_code)
    page = _page(register)
    _readable(request, municipality, page.register)
    _may_edit(request, municipality, page)
    initial = {"month": timezone.localdate().replace(day=1), "date": timezone.localdate(),
               "first_seen": timezone.localdate(), "year": timezone.localdate().year,
               "quarter": (timezone.localdate().month - 1) // 3 + 1}
    form = page.form(request.POST or None, municipality=municipality, initial=initial)
    list_url = reverse("web:information_register", kwargs={"cbs_code": municipality.cbs_code, "register": page.slug})
    response = submit(request, form, success_message=_("Saved."),
                      service=lambda values: page.create(request.user, municipality, values), success_url=list_url)
    return response or render(request, "web/information_form.html", {
        "form": form, "municipality": municipality, "page": page, "title": page.add_label, "cancel_url": list_url,
    }, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def register_edit(request, register: str, pk: int):
    page = _page(register)
    if page.update is None:
        raise Http404
    row = get_object_or_404(page.model.objects.for_user(request.user).select_related("municipality"), pk=pk)
    municipality = row.municipality
    _readable(request, municipality, page.register)
    _may_edit(request, municipality, page)
    if request.method == "GET":
        services.record_read(actor=request.user, what="information.read", municipality=municipality,
                             register=page.register, detail={"page": "edit", "row": row.pk})
    form = page.form(request.POST or None, municipality=municipality, initial=page.initial_for(row))
    list_url = reverse("web:information_register", kwargs={"cbs_code": municipality.cbs_code, "register": page.slug})
    response = submit(request, form, success_message=_("Changes saved."),
                      service=lambda values: page.update(request.user, row, values, form.expected_version),
                      success_url=list_url,
                      saved=lambda: page.initial_for(page.model.objects.get(pk=row.pk)))
    return response or render(request, "web/information_form.html", {
        "form": form, "municipality": municipality, "page": page, "row": row, "cancel_url": list_url,
        "title": _("Correct %(register)s") % {"register": str(page.title).lower()},
    }, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def register_shares(request, cbs_code: str):
    municipality = _municipality(cbs_code)
    if not services.can_read_information(request.user, municipality.pk):
        raise Http404
    if not services.can_edit_information(request.user, municipality.pk):
        refuse(request, action="information.share.create", municipality=municipality,
               message=_("You may not change the information registers of %(name)s.") % {"name": municipality})
    form = ShareForm(request.POST or None)
    url = reverse("web:information_shares", kwargs={"cbs_code": municipality.cbs_code})
    response = submit(request, form, success_message=_("The register is shared."), success_url=url,
                      service=lambda values: services.share_create(actor=request.user, municipality=municipality,
                                                                   **values))
    shares = RegisterShare.objects.for_user(request.user).filter(municipality=municipality).select_related(
        "organisation")
    return response or render(request, "web/information_shares.html", {
        "form": form, "municipality": municipality, "shares": shares,
    }, status=form_status(form))


@login_required
@require_POST
def register_share_end(request, pk: int):
    share = get_object_or_404(RegisterShare.objects.for_user(request.user).select_related("municipality"), pk=pk)
    services.share_delete(actor=request.user, share=share)
    messages.success(request, _("The register is no longer shared."))
    return redirect("web:information_shares", cbs_code=share.municipality.cbs_code)



# --- the quarterly safety picture (veiligheidsbeeld) for the driehoek (issue 15 item 6) ---------------------------


def _safety_picture(request, cbs_code: str, fmt: str):
    from django.core.exceptions import ValidationError
    from django.template.loader import render_to_string

    from ivp.information import safety_picture as sp
    from ivp.reports.render.html import stylesheet

    municipality = _municipality(cbs_code)
    if not sp.may_see(request.user, municipality):
        raise Http404  # as for another municipality's rows: not even whether there is something to see
    try:
        period = sp.Period.parse(request.GET["kwartaal"]) if request.GET.get("kwartaal") else sp.latest_quarter()
    except ValidationError:
        period = sp.latest_quarter()
    if period.quarter is None:
        period = sp.Period(period.year, 4)
    picture = sp.build(user=request.user, municipality=municipality, period=period)
    services.record_read(actor=request.user, what="information.read", municipality=municipality,
                         register="safety_picture",
                         detail={"page": "safety_picture", "period": period.label, "format": fmt})
    labels = dict(Register.choices)
    area_names = {a.code: a.name for a in Area.objects.filter(
        Q(parent__organisation=municipality) | Q(parent__parent__organisation=municipality))}
    context = {
        "picture": picture, "period_label": sp.quarter_label(period),
        "register_tables": [(labels[key], key, _overview_tables(key, picture.registers[key], area_names))
                            for key in sp.REGISTER_ORDER if key in picture.registers],
    }
    if fmt == "pdf":
        from ivp.reports.render.pdf import html_to_pdf

        html = render_to_string("reports/safety_picture_document.html", {
            **context, "css": stylesheet("report.css") + "\n" + stylesheet("print.css")})
        response = HttpResponse(html_to_pdf(html, identifier=picture.file_stem), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{picture.file_stem}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
    quarters = [sp.Period(y, q) for y in range(timezone.localdate().year, 2019, -1) for q in (4, 3, 2, 1)
                if sp.Period(y, q).start <= timezone.localdate()]
    response = render(request, "web/information_safety_picture.html", {
        **context, "municipality": municipality, "period": period, "link_activities": True,
        "quarters": [(q.label, sp.quarter_label(q)) for q in quarters],
    })
    response["Cache-Control"] = "no-store"
    return response


@login_required
def safety_picture(request, cbs_code: str):
    return _safety_picture(request, cbs_code, "html")


@login_required
def safety_picture_pdf(request, cbs_code: str):
    return _safety_picture(request, cbs_code, "pdf")
