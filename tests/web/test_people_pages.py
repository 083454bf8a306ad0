"""The people pages (issue 14): inviting, a person's page, changing a role, deactivating, resetting the second
factor, and the invitation link. Thin views over ivp.core.people; the route x role matrix is in test_tenancy_walk."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivp.core.audit.models import AuditEvent
from ivp.core.audit.recorder import record_event
from ivp.core.models import Membership, Organisation, User
from ivp.core.people import person_invite

pytestmark = pytest.mark.django_db

PASSWORD = "een-goed-wachtwoord-2026"


def _link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/uitnodiging/[\w-]+/)", message.body).group(1)


def test_the_coordinator_invites_through_the_form(client, users, vught):
    client.force_login(users["coordinator"])
    page = client.get(reverse("web:person_invite")).content.decode()
    assert 'name="email"' in page and "Politie" in page and "Coördinator basisteam" in page
    response = client.post(reverse("web:person_invite"), {
        "name": "Anna de Adviseur", "email": "anna@example.org", "function": "adviseur OOV",
        "organisation": vught.pk, "role": "advisor"})
    anna = User.objects.get(email="anna@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("web:person_detail", kwargs={"pk": anna.pk})
    detail = client.get(response["Location"]).content.decode()
    assert "De uitnodiging is verstuurd naar anna@example.org" in detail and "uitgenodigd" in detail
    assert mail.outbox[-1].to == ["anna@example.org"]


def test_an_advisor_is_offered_only_council_members_of_their_municipality(client, users, vught, heusden):
    client.force_login(users["advisor"])
    page = client.get(reverse("web:person_invite")).content.decode()
    options = re.findall(r'<option value="([^"]+)"', page)
    assert set(options) == {str(vught.pk), "councillor"}
    response = client.post(reverse("web:person_invite"), {
        "name": "Ruud Raad", "email": "ruud@example.org", "function": "raadslid", "organisation": heusden.pk,
        "role": "councillor"})
    assert response.status_code == 200 and not User.objects.filter(email="ruud@example.org").exists()
    client.post(reverse("web:person_invite"), {
        "name": "Ruud Raad", "email": "ruud@example.org", "function": "raadslid", "organisation": vught.pk,
        "role": "councillor"})
    assert Membership.objects.get(user__email="ruud@example.org").organisation == vught


def test_readers_are_refused_and_the_refusal_is_recorded(client, users, vught):
    client.force_login(users["councillor"])
    assert client.get(reverse("web:people_list")).status_code == 403
    response = client.post(reverse("web:person_invite"), {"name": "X Y", "email": "x@example.org", "function": "x",
                                                           "organisation": vught.pk, "role": "councillor"})
    assert response.status_code == 403 and not User.objects.filter(email="x@example.org").exists()
    assert AuditEvent.objects.filter(action="person.invite", result="denied", actor=users["councillor"]).exists()


def test_deactivate_reset_and_change_role_from_the_person_page(client, users, vught):
    advisor = users["advisor"]
    client.force_login(users["coordinator"])
    detail = client.get(reverse("web:person_detail", kwargs={"pk": advisor.pk})).content.decode()
    for action in ("deactiveren", "tweede-factor-herstellen"):
        assert f'action="/personen/{advisor.pk}/{action}/"' in detail
    client.post(reverse("web:person_mfa_reset", kwargs={"pk": advisor.pk}))
    assert not TOTPDevice.objects.filter(user=advisor).exists()
    membership = advisor.memberships.get()
    response = client.post(reverse("web:membership_edit", kwargs={"pk": membership.pk}),
                           {"organisation": vught.pk, "role": "councillor"})
    assert response.status_code == 302 and Membership.objects.get(pk=membership.pk).role == "councillor"
    client.post(reverse("web:person_deactivate", kwargs={"pk": advisor.pk}))
    assert not User.objects.get(pk=advisor.pk).is_active
    record_event(actor=advisor, action="auth.login", result="success", target=advisor)  # a sign-in record
    history = client.get(reverse("web:person_detail", kwargs={"pk": advisor.pk})).content.decode()
    history = history.split('id="history-heading"')[1]
    for label in ("Tweestapsverificatie hersteld", "Rol gewijzigd", "Account gedeactiveerd"):
        assert label in history, label
    assert "Ingelogd" not in history, "sign-ins are not shown on the people page"
    page = client.get(reverse("web:people_list")).content.decode()
    assert "gedeactiveerd" in page
    actions = set(AuditEvent.objects.filter(actor=users["coordinator"], result="success")
                  .values_list("action", flat=True))
    assert {"person.mfa_reset", "membership.update", "person.deactivate"} <= actions


def test_an_advisor_sees_colleagues_but_manages_only_council_members(client, users, vught, heusden):
    coordinator, advisor = users["coordinator"], users["advisor"]
    colleague = person_invite(actor=coordinator, email="collega@example.org", name="Col Lega", organisation=vught,
                              role="advisor").user
    other = person_invite(actor=coordinator, email="raad@heusden.example.org", name="Raad Heusden",
                          organisation=heusden, role="councillor").user
    client.force_login(advisor)
    page = client.get(reverse("web:person_detail", kwargs={"pk": colleague.pk})).content.decode()
    assert "deactiveren" not in page and "coördinator van het basisteam" in page
    assert client.post(reverse("web:person_deactivate", kwargs={"pk": colleague.pk})).status_code == 403
    assert client.post(reverse("web:person_deactivate", kwargs={"pk": other.pk})).status_code == 404
    assert client.post(reverse("web:person_deactivate", kwargs={"pk": users["councillor"].pk})).status_code == 302
    assert User.objects.get(pk=colleague.pk).is_active and not User.objects.get(pk=users["councillor"].pk).is_active


def test_an_invited_editor_sets_a_password_then_the_authenticator_then_lands_on_my_ivp(client, users, vught):
    person_invite(actor=users["coordinator"], email="nieuw@example.org", name="Nieuwe Adviseur",
                  organisation=vught, role="advisor")
    link = _link_path(mail.outbox[-1])
    page = client.get(link).content.decode()
    assert "Welkom, Nieuwe Adviseur" in page and "authenticator-app" in page
    response = client.post(link, {"new_password1": "kort", "new_password2": "kort"})
    assert response.status_code == 200 and "new_password1" in response.content.decode()
    response = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:mfa_setup") + "?next=%2Fmijn-ivp%2F"
    assert client.get(response["Location"]).status_code == 200  # the permit lets them set it up
    client.logout()
    assert client.get(link).status_code == 404  # used up


def test_an_invited_reader_lands_on_my_ivp(client, users, vught):
    person_invite(actor=users["advisor"], email="raad@example.org", name="Rita Raad", organisation=vught,
                  role="councillor")
    link = _link_path(mail.outbox[-1])
    response = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response["Location"] == reverse("web:start")
    assert "Vught" in client.get(response["Location"]).content.decode()


def test_an_invitation_link_while_signed_in_as_someone_else(client, users, vught):
    person_invite(actor=users["coordinator"], email="nieuw@example.org", name="Nieuwe Adviseur",
                  organisation=vught, role="advisor")
    client.force_login(users["police"])
    page = client.get(_link_path(mail.outbox[-1])).content.decode()
    assert "log eerst uit" in page and 'name="new_password1"' not in page


def test_the_mail_link_is_shown_when_the_mail_cannot_be_sent(client, users, vught, monkeypatch):
    monkeypatch.setattr("ivp.core.people.send_templated_mail", lambda **kwargs: False)
    client.force_login(users["coordinator"])
    response = client.post(reverse("web:person_invite"), {
        "name": "Anna de Adviseur", "email": "anna@example.org", "function": "adviseur OOV",
        "organisation": Organisation.objects.get(code="basisteam-meierij").pk, "role": "coordinator"}, follow=True)
    assert re.search(r"/uitnodiging/[\w-]{20,}/", response.content.decode())
