"""People pages (issue 14): the list, inviting a person, a person's page with their role, name and function,
deactivating, resetting the second factor; and the invitation link an invited person opens.

Only for those who manage people (the access policy's `manage_people`: the coordinator, an advisor for the council
members of their municipality); others get 403, people outside the user's reach 404. Each write is one service call
in ivp.core.people (audited, role-checked again).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from ivp.core import people as services
from ivp.core.access import access_for, may_manage_person
from ivp.core.mfa import requires_mfa
from ivp.core.models import Membership
from ivp.core.selectors import PersonStatus, people_for_user, person_history, person_status
from ivp.core.services import membership_create

from ..forms import apply_service_errors
from ..forms_people import AcceptInvitationForm, InviteForm, MembershipForm, PersonForm
from .guards import refuse_unless
from .submit import form_status, submit


def _require_manager(request, action: str) -> None:
    refuse_unless(access_for(request.user).can_manage_people, request, action=action,
                  message=_("Your role does not manage people."))


def _person(request, pk: int, action: str):
    _require_manager(request, action)
    return get_object_or_404(people_for_user(request.user), pk=pk)


def _require_manage(request, person, action: str) -> None:
    refuse_unless(may_manage_person(request.user, person), request, action=action, target=person,
                  message=_("You may not manage the account of %(name)s.") % {"name": person.display_name})


def _row(person, viewer) -> dict:
    status = person_status(person)
    return {"person": person, "status": status, "status_label": PersonStatus(status).label,
            "memberships": list(person.memberships.all()),
            "needs_mfa": requires_mfa(person), "manageable": may_manage_person(viewer, person)}


def _invitation_sent(request, sent: services.InvitationSent) -> None:
    if sent.mailed:
        messages.success(request, _("The invitation has been sent to %(email)s. The link works for 7 days.")
                         % {"email": sent.user.email})
    else:
        messages.warning(request, _("The e-mail could not be sent. Give %(name)s this one-time link yourself (it works "
                                    "for 7 days): %(url)s") % {"name": sent.user.display_name, "url": sent.url})


@login_required
def people_list(request):
    _require_manager(request, "person.list")
    rows = [_row(p, request.user) for p in people_for_user(request.user)]
    return render(request, "web/people_list.html", {"rows": rows, "title": _("People")})


@login_required
@require_http_methods(["GET", "POST"])
def person_invite(request):
    _require_manager(request, "person.invite")
    form = InviteForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.person_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            _invitation_sent(request, sent)
            return redirect("web:person_detail", pk=sent.user.pk)
    return render(request, "web/person_form.html", {
        "form": form, "title": _("Invite a person"), "submit": _("Send invitation"),
        "cancel_url": reverse("web:people_list"),
    })


@login_required
def person_detail(request, pk: int):
    person = _person(request, pk, "person.view")
    events = person_history(person).select_related("actor")[:20]
    return render(request, "web/person_detail.html", {
        **_row(person, request.user), "events": events, "title": person.display_name,
    })


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = _person(request, pk, "person.update")
    _require_manage(request, person, "person.update")
    form = PersonForm(request.POST or None, initial={"name": person.get_full_name(), "function": person.function})
    detail = reverse("web:person_detail", kwargs={"pk": person.pk})
    response = submit(request, form, service=lambda values: services.person_update(
        actor=request.user, user=person, **values), success_message=_("Changes saved."), success_url=detail)
    return response or render(request, "web/person_form.html", {
        "form": form, "person": person, "title": _("Change name and function"), "submit": _("Save"),
        "cancel_url": detail,
    }, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request, pk: int):
    _require_manager(request, "membership.update")
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"),
                                   pk=pk, user__in=people_for_user(request.user).values("pk"))
    person = membership.user
    _require_manage(request, person, "membership.update")
    form = MembershipForm(request.POST or None, actor=request.user,
                          initial={"organisation": membership.organisation_id, "role": membership.role})
    detail = reverse("web:person_detail", kwargs={"pk": person.pk})
    response = submit(request, form, service=lambda values: services.membership_change(
        actor=request.user, membership=membership, **values), success_message=_("The role has been changed."),
        success_url=detail)
    return response or render(request, "web/person_form.html", {
        "form": form, "person": person, "title": _("Change role"), "submit": _("Save"), "cancel_url": detail,
    }, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request, pk: int):
    """Give a person a(nother) role, e.g. an account made by single sign-on, which starts without any."""
    person = _person(request, pk, "membership.create")
    _require_manage(request, person, "membership.create")
    form = MembershipForm(request.POST or None, actor=request.user)
    detail = reverse("web:person_detail", kwargs={"pk": person.pk})
    response = submit(request, form, service=lambda values: membership_create(
        actor=request.user, user=person, **values), success_message=_("The role has been added."), success_url=detail)
    return response or render(request, "web/person_form.html", {
        "form": form, "person": person, "title": _("Add a role"), "submit": _("Save"), "cancel_url": detail,
    }, status=form_status(form))


def _person_action(request, pk: int, action: str, run, done: str):
    person = _person(request, pk, action)
    _require_manage(request, person, action)
    try:
        run(person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"name": person.display_name})
    return redirect("web:person_detail", pk=person.pk)


@login_required
@require_POST
def person_deactivate(request, pk: int):
    return _person_action(request, pk, "person.deactivate",
                          lambda p: services.person_deactivate(actor=request.user, user=p),
                          _("%(name)s can no longer sign in."))


@login_required
@require_POST
def person_reactivate(request, pk: int):
    return _person_action(request, pk, "person.reactivate",
                          lambda p: services.person_reactivate(actor=request.user, user=p),
                          _("%(name)s can sign in again."))


@login_required
@require_POST
def person_mfa_reset(request, pk: int):
    return _person_action(request, pk, "person.mfa_reset",
                          lambda p: services.person_mfa_reset(actor=request.user, user=p),
                          _("The two-factor authentication of %(name)s has been reset. At their next sign-in they "
                            "set up a new authenticator app (within 7 days)."))


@login_required
@require_POST
def person_invitation_resend(request, pk: int):
    person = _person(request, pk, "person.invitation_resend")
    _require_manage(request, person, "person.invitation_resend")
    try:
        sent = services.invitation_resend(actor=request.user, user=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _invitation_sent(request, sent)
    return redirect("web:person_detail", pk=person.pk)


# --- The invitation link -------------------------------------------------------------------------------------------

@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """Open to anyone with the link. Opening it changes nothing; choosing a password uses it up, signs the person in
    and sends an editor on to set up their authenticator, everyone else to their start page."""
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "registration/invitation_invalid.html",
                      {"title": _("This invitation link is not valid")}, status=404)
    person = invitation.user
    if request.user.is_authenticated:
        return render(request, "registration/invitation_signed_in.html",
                      {"title": _("Accept the invitation"), "person": person})
    form = AcceptInvitationForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied:
            return render(request, "registration/invitation_invalid.html",
                          {"title": _("This invitation link is not valid")}, status=404)
        else:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            start = reverse("web:start")
            if requires_mfa(person):
                return redirect(reverse("web:mfa_setup") + "?" + urlencode({REDIRECT_FIELD_NAME: start}))
            return redirect(start)
    return render(request, "registration/invitation_accept.html", {
        "title": _("Welcome to IVP"), "form": form, "person": person, "invitation": invitation,
        "needs_mfa": requires_mfa(person),
    })
