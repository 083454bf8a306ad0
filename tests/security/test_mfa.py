"""Two-factor authentication for editors: required, enforced by middleware, wrong codes refused,
recorded and counted toward the lockout."""

import pytest
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivp.core.audit.models import AuditEvent
from ivp.core.mfa import requires_mfa
from ivp.core.services import user_create

from ..conftest import OWN

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123!"


def _code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_who_needs_mfa(users):
    assert requires_mfa(users["coordinator"]) and requires_mfa(users["advisor"])
    for role in ("councillor", "police", "prosecutor", "partner"):
        assert not requires_mfa(users[role]), role
    admin, _pw = user_create(actor=None, username="beheer", is_superuser=True, password=PASSWORD)
    assert requires_mfa(admin)


@pytest.mark.parametrize("role", ["coordinator", "advisor"])
def test_unverified_editor_session_only_reaches_mfa_pages(client, users, role):
    client.force_login(users[role], otp_verified=False)
    for url in (reverse("web:plan_overview"), reverse("web:municipality_detail", kwargs={"cbs_code": OWN}),
                reverse("web:execution_overview"), "/beheer/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("web:mfa_verify")), url
    assert client.get(reverse("web:mfa_verify")).status_code == 200
    assert client.post(reverse("web:logout")).status_code == 302


def test_verified_editor_session_passes(client, users):
    client.force_login(users["coordinator"])  # OTP-verified (tests/conftest.py)
    assert client.get(reverse("web:plan_overview")).status_code == 200
    assert client.get(reverse("web:execution_overview")).status_code == 200


def test_read_only_roles_need_no_code(client, users):
    client.force_login(users["councillor"], otp_verified=False)
    assert client.get(reverse("web:plan_overview")).status_code == 200


def test_admin_needs_a_verified_session(client, users):
    admin, _pw = user_create(actor=None, username="beheer", is_superuser=True, password=PASSWORD)
    client.force_login(admin, otp_verified=False)
    response = client.get("/beheer/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:mfa_verify"))
    client.force_login(admin)
    assert client.get("/beheer/").status_code == 200
    # The admin's own login form is not used: it sends people to ours.
    client.logout()
    assert client.get("/beheer/login/?next=/beheer/")["Location"].startswith(reverse("web:login"))


def test_password_login_sends_editor_to_code_page_then_code_opens_the_app(client, users):
    device = TOTPDevice.objects.get(user=users["coordinator"])
    response = client.post(reverse("web:login"), {"username": "coordinator", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:mfa_verify"))
    assert client.get(reverse("web:plan_overview")).status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and b'name="otp_token"' in page.content
    response = client.post(reverse("web:mfa_verify"), {"otp_token": _code(device), "next": "/cijfers/"})
    assert response.status_code == 302 and response["Location"] == "/cijfers/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("web:plan_overview")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.mfa_verified", result="success", actor=users["coordinator"]).exists()


def test_read_only_login_goes_straight_in(client, users):
    response = client.post(reverse("web:login"), {"username": "police", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("web:start")


def test_wrong_code_is_refused_and_recorded(client, users):
    device = TOTPDevice.objects.get(user=users["advisor"])
    client.force_login(users["advisor"], otp_verified=False)
    response = client.post(reverse("web:mfa_verify"), {"otp_token": _wrong(_code(device))})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(reverse("web:plan_overview")).status_code == 302
    event = AuditEvent.objects.get(action="auth.mfa_failed")
    assert event.result == "denied" and event.actor == users["advisor"]
    assert PASSWORD not in event.message and _code(device) not in event.message


def test_wrong_codes_count_toward_the_lockout(client, users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    device = TOTPDevice.objects.get(user=users["advisor"])
    client.force_login(users["advisor"], otp_verified=False)
    statuses = [client.post(reverse("web:mfa_verify"), {"otp_token": _wrong(_code(device))}).status_code
                for _i in range(3)]
    assert statuses == [200, 200, 429]
    assert AuditEvent.objects.filter(action="auth.lockout").exists()
    assert "_auth_user_id" not in client.session, "a lockout ends the half-signed-in session"
    # Even the right password is refused now, for this user name from this address.
    response = client.post(reverse("web:login"), {"username": "advisor-vught", "password": PASSWORD})
    assert response.status_code == 429


def test_backup_code_works_once(client, users):
    user = users["coordinator"]
    static = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    static.token_set.create(token="abcd1234")
    client.force_login(user, otp_verified=False)
    assert client.post(reverse("web:mfa_verify"), {"otp_token": "abcd1234"}).status_code == 302
    client.logout()
    client.force_login(user, otp_verified=False)
    assert client.post(reverse("web:mfa_verify"), {"otp_token": "abcd1234"}).status_code == 200


def test_editor_without_authenticator_sets_one_up(client, plan, vught):
    from ivp.core.roles import Role
    from ivp.core.services import membership_create

    user, _pw = user_create(actor=None, username="nieuwe-adviseur", password=PASSWORD)
    membership_create(actor=None, user=user, organisation=vught, role=Role.ADVISOR)
    client.force_login(user, otp_verified=False)
    response = client.get(reverse("web:mfa_verify"))
    assert response["Location"].startswith(reverse("web:mfa_setup"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'role="img"' in html, "the QR code is drawn inline, by us"
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org/2000/svg", "")
    assert not TOTPDevice.objects.filter(user=user).exists(), "a GET writes nothing"
    key = client.session["ivp_mfa_setup_key"]
    device = TOTPDevice(user=user, key=key)
    # The key is shown as text for manual entry (base32, in groups of four).
    from base64 import b32encode
    assert b32encode(device.bin_key).decode()[:4] in html
    assert client.post(reverse("web:mfa_setup"), {"otp_token": _wrong(_code(device))}).status_code == 200
    assert AuditEvent.objects.filter(action="auth.mfa_failed").count() == 1
    response = client.post(reverse("web:mfa_setup"), {"otp_token": _code(device)})
    assert response.status_code == 200 and "utrecht-code" in response.content.decode()  # backup codes shown
    assert TOTPDevice.objects.get(user=user).confirmed
    assert StaticDevice.objects.get(user=user).token_set.count() == 10
    assert client.get(reverse("web:plan_overview")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.mfa_device_added", actor=user).exists()


def test_setup_cannot_add_a_second_authenticator_with_the_password_alone(client, users):
    client.force_login(users["coordinator"], otp_verified=False)
    response = client.get(reverse("web:mfa_setup"))
    assert response["Location"].startswith(reverse("web:mfa_verify"))


def test_next_is_not_an_open_redirect(client, users):
    device = TOTPDevice.objects.get(user=users["coordinator"])
    client.force_login(users["coordinator"], otp_verified=False)
    response = client.post(reverse("web:mfa_verify"), {"otp_token": _code(device), "next": "https://evil.example"})
    assert response["Location"] == reverse("web:start")


def test_oidc_mfa_flag_satisfies_mfa(client, users):
    """With IVP_OIDC_TRUSTS_MFA the provider's MFA counts (the flag is set on user_logged_in)."""
    from django.test import RequestFactory

    from ivp.core.mfa import IDP_MFA_SESSION_KEY, mfa_satisfied

    request = RequestFactory().get("/")
    request.session = client.session
    user = users["coordinator"]
    user.ivp_idp_mfa = True
    request.user = user
    user_logged_in.send(sender=type(user), request=request, user=user)
    assert request.session[IDP_MFA_SESSION_KEY] is True
    user.is_verified = lambda: False
    assert mfa_satisfied(request)


def test_a_first_authenticator_needs_a_permit_not_only_the_password(client, plan, vught, users):
    """Issue 17: an editor without an authenticator could enrol one with the password alone (a stolen password
    would do). A new account comes with a seven-day permit; afterwards an administrator must issue one."""
    from django.utils import timezone

    from ivp.core.models import MfaEnrolmentPermit
    from ivp.core.roles import Role
    from ivp.core.services import membership_create, mfa_enrolment_permit_issue

    user, _pw = user_create(actor=None, username="oude-adviseur", password=PASSWORD)
    membership_create(actor=None, user=user, organisation=vught, role=Role.ADVISOR)
    MfaEnrolmentPermit.objects.filter(user=user).update(expires_at=timezone.now())  # the permit ran out
    client.force_login(user, otp_verified=False)
    response = client.get(reverse("web:mfa_setup"))
    assert response.status_code == 403
    assert "ivp_mfa_setup_key" not in client.session  # no key was even made
    assert AuditEvent.objects.filter(action="auth.mfa_setup_refused", actor=user, result="denied").exists()
    with pytest.raises(PermissionDenied):
        mfa_enrolment_permit_issue(actor=users["advisor"], user=user)  # not the advisor's to give
    mfa_enrolment_permit_issue(actor=users["coordinator"], user=user)
    assert client.get(reverse("web:mfa_setup")).status_code == 200
    device = TOTPDevice(user=user, key=client.session["ivp_mfa_setup_key"])
    client.post(reverse("web:mfa_setup"), {"otp_token": _code(device)})
    assert TOTPDevice.objects.get(user=user).confirmed
    assert not MfaEnrolmentPermit.objects.filter(user=user).exists()  # used up
