"""The partner register and cooperation agreements (samenwerkingsafspraken): boa-politie, LIO, BIM, covenants."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ivp.core.access import access_for
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind
from ivp.partners.models import AgreementKind, AgreementStatus, PartnerProfile
from ivp.partners.selectors import (
    agreements_for_user,
    agreements_with_party,
    partner_register,
    partners_for_user,
    profile_of,
)
from ivp.partners.services import (
    PartyConsentRequired,
    agreement_create,
    agreement_update,
    can_edit_agreement,
    partner_profile_save,
)

from ..forms import apply_service_errors
from ..forms_partners import AgreementForm, PartnerProfileForm
from .guards import refuse
from .submit import form_status, submit

# Naming a municipality as a party without its consent: refused by the service (and recorded as denied), shown on
# the municipalities' checkboxes.
PARTY_REFUSAL = {PartyConsentRequired: "party_municipalities"}


def _apply_errors(form, exc: ValidationError) -> None:
    """Service errors on the form; the parties of the service are two groups of checkboxes in the form."""
    if hasattr(exc, "error_dict") and "parties" in exc.error_dict:
        exc = ValidationError({("party_partners" if k == "parties" else k): v for k, v in exc.error_dict.items()})
    apply_service_errors(form, exc)


def _municipalities():
    return Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")


# --- Partner register --------------------------------------------------------------------------

@login_required
def partner_register_view(request):
    municipalities = _municipalities()
    selected = municipalities.filter(cbs_code=request.GET.get("gemeente", "").upper()).first()
    return render(request, "web/partners_register.html", {
        "groups": partner_register(request.user, municipality=selected),
        "municipalities": municipalities, "selected": selected,
    })


@login_required
def partner_detail(request, pk: int):
    partner = get_object_or_404(partners_for_user(request.user), pk=pk)
    return render(request, "web/partners_detail.html", {
        "partner": partner, "profile": profile_of(partner),
        "agreements": agreements_with_party(request.user, partner),
        "can_edit": access_for(request.user).edit_all,
    })


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk: int):
    partner = get_object_or_404(partners_for_user(request.user), pk=pk)
    profile = profile_of(partner)
    if not access_for(request.user).edit_all:
        refuse(request, action="partner_profile.update" if profile else "partner_profile.create", target=profile,
                message=_("Only the coordinator of the base team may change the partner register."))
    form = PartnerProfileForm(request.POST or None, initial=_profile_initial(profile))
    response = submit(
        request, form, success_message=_("Partner register updated."),
        service=lambda values: partner_profile_save(actor=request.user, organisation=partner,
                                                    expected_version=form.expected_version, **values),
        success_url=reverse("web:partner_detail", kwargs={"pk": partner.pk}),
        saved=lambda: _profile_initial(PartnerProfile.objects.filter(organisation=partner).first()))
    return response or render(request, "web/partners_form.html", {"form": form, "partner": partner},
                              status=form_status(form))


def _profile_initial(profile) -> dict:
    if profile is None:
        return {"version": 0}  # no register entry yet: the save creates it
    return {"contact_role": profile.contact_role, "contact_email": profile.contact_email, "website": profile.website,
            "description": profile.description, "municipalities": [m.pk for m in profile.municipalities.all()],
            "version": profile.version}


# --- Cooperation agreements --------------------------------------------------------------------

def _can_create(user) -> bool:
    return access_for(user).is_editor


@login_required
def agreement_list(request):
    agreements = agreements_for_user(request.user).order_by("title", "id")
    kind = request.GET.get("soort", "")
    status = request.GET.get("status", "")
    if kind in AgreementKind.values:
        agreements = agreements.filter(kind=kind)
    if status in AgreementStatus.values:
        agreements = agreements.filter(status=status)
    return render(request, "web/agreement_list.html", {
        "agreements": agreements, "kinds": AgreementKind.choices, "statuses": AgreementStatus.choices,
        "kind": kind, "status": status, "can_create": _can_create(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create_view(request):
    if not _can_create(request.user):
        refuse(request, action="agreement.create", message=_("Your role cannot add cooperation agreements."))
    access = access_for(request.user)
    initial = {"status": AgreementStatus.CONCEPT, "start_date": timezone.localdate(), "owner": request.user.pk}
    wanted = _municipalities().filter(cbs_code=request.GET.get("gemeente", "").upper()).first()
    if wanted is not None and access.can_edit_municipality(wanted.pk):
        initial["municipality"] = wanted.pk
    form = AgreementForm(request.POST or None, user=request.user, initial=initial)
    response = submit(
        request, form, success_message=_("Cooperation agreement added."),
        service=lambda values: agreement_create(actor=request.user, **values),
        success_url=lambda agreement: reverse("web:agreement_detail", kwargs={"pk": agreement.pk}),
        refused=PARTY_REFUSAL, on_error=_apply_errors)
    return response or render(request, "web/agreement_form.html", {
        "form": form, "title": _("Add cooperation agreement")}, status=form_status(form))


@login_required
def agreement_detail(request, pk: int):
    agreement = get_object_or_404(agreements_for_user(request.user), pk=pk)
    return render(request, "web/agreement_detail.html", {
        "agreement": agreement, "can_edit": can_edit_agreement(request.user, agreement),
    })


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk: int):
    agreement = get_object_or_404(agreements_for_user(request.user), pk=pk)
    if not can_edit_agreement(request.user, agreement):
        refuse(request, action="agreement.update", target=agreement, municipality=agreement.municipality,
                message=_("No edit rights for the agreement %(title)s.") % {"title": agreement.title})
    form = AgreementForm(request.POST or None, user=request.user, initial=AgreementForm.initial_for(agreement))
    response = submit(
        request, form, success_message=_("Changes saved."),
        service=lambda values: agreement_update(actor=request.user, agreement=agreement,
                                                expected_version=form.expected_version, **values),
        success_url=reverse("web:agreement_detail", kwargs={"pk": agreement.pk}),
        saved=lambda: AgreementForm.initial_for(agreements_for_user(request.user).get(pk=agreement.pk)),
        refused=PARTY_REFUSAL, on_error=_apply_errors)
    return response or render(request, "web/agreement_form.html", {
        "form": form, "agreement": agreement, "title": _("Edit cooperation agreement"),
    }, status=form_status(form))
