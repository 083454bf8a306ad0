"""People management services (issue 14): invite, accept, change, deactivate, reset the second factor. Who may do
what comes from the access policy; every change is an audit event."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivp.core import people
from ivp.core.audit.models import AuditEvent
from ivp.core.models import Invitation, Membership, MfaEnrolmentPermit, Organisation, User
from ivp.core.selectors import PersonStatus, people_for_user, person_status

pytestmark = pytest.mark.django_db

PASSWORD = "een-goed-wachtwoord-2026"


def _invite(actor, organisation, role, email="nieuw@example.org", name="Nieuwe Collega"):
    return people.person_invite(actor=actor, email=email, name=name, organisation=organisation, role=role,
                                function="beleidsadviseur")


def _token(sent) -> str:
    return sent.url.rstrip("/").rsplit("/", 1)[-1]


def test_coordinator_invites_an_advisor(users, vught):
    sent = _invite(users["coordinator"], vught, "advisor", email="Nieuw@Example.org", name="Jan van der Berg")
    user = sent.user
    assert user.username == user.email == "nieuw@example.org"
    assert (user.first_name, user.last_name, user.function) == ("Jan", "van der Berg", "beleidsadviseur")
    assert not user.has_usable_password() and user.is_active
    assert list(user.memberships.values_list("organisation__cbs_code", "role")) == [("GM0865", "advisor")]
    # Only the hash of the one-time token is stored.
    token = _token(sent)
    invitation = Invitation.objects.get(user=user)
    assert invitation.token_hash == people.token_hash(token) and token not in invitation.token_hash
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=6, hours=23)
    # An editing role may set up its authenticator with the password alone.
    assert MfaEnrolmentPermit.objects.filter(user=user).exists()
    # A Dutch e-mail, plain text and HTML, with the link.
    message = mail.outbox[-1]
    assert message.to == ["nieuw@example.org"] and "Uitnodiging" in message.subject
    assert sent.url in message.body and "Veiligheidsadviseur gemeente" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and sent.url in html and 'lang="nl"' in html
    event = AuditEvent.objects.get(action="person.invite")
    assert event.result == "success" and event.actor == users["coordinator"] and event.municipality == vught
    assert event.changes["role"] == [None, "advisor"] and token not in str(event.changes)


def test_advisor_invites_council_members_of_their_own_municipality_only(users, vught, heusden):
    advisor = users["advisor"]
    sent = _invite(advisor, vught, "councillor")
    assert not MfaEnrolmentPermit.objects.filter(user=sent.user).exists()  # a reader needs no authenticator
    for organisation, role in ((heusden, "councillor"), (vught, "advisor"),
                               (Organisation.objects.get(code="politie"), "police")):
        with pytest.raises(PermissionDenied):
            _invite(advisor, organisation, role, email=f"{role}-{organisation.pk}@example.org")
    assert AuditEvent.objects.filter(action="person.invite", result="denied").count() == 3
    assert not User.objects.filter(email__endswith="@example.org").exclude(pk=sent.user.pk).exists()


@pytest.mark.parametrize("role", ["councillor", "police", "prosecutor", "partner"])
def test_readers_invite_nobody(users, vught, role):
    with pytest.raises(PermissionDenied):
        _invite(users[role], vught, "councillor")


def test_the_role_must_fit_the_organisation_and_the_address_must_be_new(users, vught):
    with pytest.raises(ValidationError):
        _invite(users["coordinator"], vught, "police")
    _invite(users["coordinator"], vught, "advisor")
    with pytest.raises(ValidationError) as info:
        _invite(users["coordinator"], vught, "councillor", email="NIEUW@example.org")
    assert "email" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        _invite(users["coordinator"], vught, "councillor", email="geen-adres", name="  ")
    assert {"email", "name"} <= set(info.value.message_dict)


def test_accepting_sets_the_password_once(users, vught):
    sent = _invite(users["coordinator"], vught, "advisor")
    token = _token(sent)
    with pytest.raises(ValidationError) as info:
        people.invitation_accept(token=token, password="kort")
    assert "new_password1" in info.value.message_dict
    assert people.open_invitation(token) is not None  # a refused password does not use the link up
    user = people.invitation_accept(token=token, password=PASSWORD)
    assert user.check_password(PASSWORD) and person_status(user) == PersonStatus.ACTIVE
    assert people.open_invitation(token) is None
    with pytest.raises(PermissionDenied):
        people.invitation_accept(token=token, password="nog-een-ander-wachtwoord")
    assert AuditEvent.objects.filter(action="person.invitation_accept", actor=user, result="success").count() == 1


def test_expired_revoked_and_unknown_links_do_not_work(users, vught):
    sent = _invite(users["coordinator"], vught, "councillor")
    first = _token(sent)
    again = people.invitation_resend(actor=users["coordinator"], user=sent.user)
    assert people.open_invitation(first) is None, "a new invitation revokes the old link"
    assert people.open_invitation(_token(again)) is not None
    Invitation.objects.filter(user=sent.user).update(expires_at=timezone.now())
    assert people.open_invitation(_token(again)) is None
    assert person_status(User.objects.get(pk=sent.user.pk)) == PersonStatus.INVITATION_EXPIRED
    assert people.open_invitation("bestaat-niet") is None and people.open_invitation("x" * 500) is None


def test_a_deactivated_person_cannot_accept_or_sign_in(client, users, vught):
    sent = _invite(users["coordinator"], vught, "councillor")
    people.person_deactivate(actor=users["coordinator"], user=sent.user)
    assert people.open_invitation(_token(sent)) is None
    councillor = users["councillor"]
    people.person_deactivate(actor=users["advisor"], user=councillor)  # their own advisor may
    credentials = {"username": councillor.username, "password": "test-password-123!"}
    assert client.post(reverse("web:login"), credentials).status_code == 200  # refused: the form again
    people.person_reactivate(actor=users["coordinator"], user=councillor)
    assert client.post(reverse("web:login"), credentials).status_code == 302
    actions = list(AuditEvent.objects.filter(object_id=str(councillor.pk), object_type="core.user")
                   .values_list("action", flat=True))
    assert "person.deactivate" in actions and "person.reactivate" in actions


def test_who_manages_whom(users, vught, heusden):
    coordinator, advisor = users["coordinator"], users["advisor"]
    other_councillor = _invite(coordinator, heusden, "councillor", email="raad@heusden.example.org").user
    colleague = _invite(coordinator, vught, "advisor", email="collega@vught.example.org").user
    for person in (other_councillor, colleague, coordinator, users["police"]):
        with pytest.raises(PermissionDenied):
            people.person_deactivate(actor=advisor, user=person)
    with pytest.raises(PermissionDenied):
        people.person_deactivate(actor=coordinator, user=coordinator)  # never oneself
    admin = User.objects.create_superuser("root-test", password="x-test-password-123!")
    with pytest.raises(PermissionDenied):
        people.person_mfa_reset(actor=coordinator, user=admin)  # only a superuser manages a superuser
    assert set(people_for_user(advisor)) == {advisor, users["councillor"], colleague}
    assert set(people_for_user(coordinator)) >= {other_councillor, colleague, users["police"], admin}
    assert not people_for_user(users["police"]).exists()


def test_changing_a_role(users, vught, heusden):
    councillor = users["councillor"]
    membership = councillor.memberships.get()
    with pytest.raises(PermissionDenied):  # the advisor may not make an advisor
        people.membership_change(actor=users["advisor"], membership=membership, organisation=vught, role="advisor")
    people.membership_change(actor=users["coordinator"], membership=membership, organisation=vught, role="advisor")
    assert Membership.objects.get(pk=membership.pk).role == "advisor"
    assert MfaEnrolmentPermit.objects.filter(user=councillor).exists(), "a new editor may set up an authenticator"
    event = AuditEvent.objects.get(action="membership.update", result="success")
    assert event.changes == {"role": ["councillor", "advisor"]}
    with pytest.raises(ValidationError):  # an advisor belongs to a municipality
        people.membership_change(actor=users["coordinator"], membership=membership,
                                 organisation=Organisation.objects.get(code="politie"), role="advisor")


def test_resetting_the_second_factor(users):
    advisor = users["advisor"]
    StaticDevice.objects.create(user=advisor, name="backup", confirmed=True)
    assert people.person_mfa_reset(actor=users["coordinator"], user=advisor) == 2
    assert not TOTPDevice.objects.filter(user=advisor).exists()
    assert not StaticDevice.objects.filter(user=advisor).exists()
    assert MfaEnrolmentPermit.objects.get(user=advisor).expires_at > timezone.now()
    event = AuditEvent.objects.get(action="person.mfa_reset")
    assert event.changes == {"authenticator_apps": [1, 0], "backup_codes": [1, 0]}


def test_name_and_function(users):
    people.person_update(actor=users["coordinator"], user=users["police"], name="Petra de Politie",
                         function="wijkagent")
    police = User.objects.get(pk=users["police"].pk)
    assert (police.get_full_name(), police.function) == ("Petra de Politie", "wijkagent")
    with pytest.raises(ValidationError):
        people.person_update(actor=users["coordinator"], user=police, name=" ", function="")


def test_a_failed_mail_keeps_the_invitation_and_says_so(users, vught, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    sent = _invite(users["coordinator"], vught, "councillor")
    assert not sent.mailed and User.objects.filter(pk=sent.user.pk).exists()
    assert people.open_invitation(_token(sent)) is not None
    assert not re.search(r"uitnodiging/[\w-]{20,}", caplog.text), "the link is never logged"
