"""F4: what the admin changes about accounts is in the audit trail with the real changes: roles granted on the
user page, superuser flags, passwords, authenticator devices, lifted sign-in locks. Secrets never in the trail."""

from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessLog
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivp.core.audit.models import AuditEvent
from ivp.core.models import Membership, Organisation
from ivp.core.services import user_create

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nieuw-wachtwoord-2026!"


class _FormFields(HTMLParser):
    """The values a browser would submit for the admin's main form, as they stand."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def _form(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {k: v if len(v) != 1 else v[0] for k, v in parser.data.items() if "__prefix__" not in k}


@pytest.fixture
def admin_user(plan):
    admin, _password = user_create(actor=None, username="beheerder", is_superuser=True, password="x-admin-pass-123")
    return admin


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _event(action):
    return AuditEvent.objects.filter(action=action).latest("id")


def test_granting_a_role_on_the_user_page_is_audited(admin_client, admin_user, users, vught):
    target = users["councillor"]
    url = f"/beheer/core/user/{target.pk}/change/"
    data = _form(admin_client, url)
    total = int(data["memberships-TOTAL_FORMS"])
    data.update({"memberships-TOTAL_FORMS": str(total + 1), f"memberships-{total}-user": str(target.pk),
                 f"memberships-{total}-organisation": str(vught.pk), f"memberships-{total}-role": "advisor",
                 f"memberships-{total}-id": ""})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(user=target, role="advisor").exists()
    event = _event("admin.membership.create")
    assert event.actor == admin_user and event.result == "success" and event.municipality == vught
    assert event.changes["role"] == [None, "advisor"] and event.changes["organisation"] == [None, "Vught"]
    assert event.changes["user"] == [None, target.get_username()]

    data = _form(admin_client, url)
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-role") and v == "advisor")
    data[f"memberships-{index}-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not Membership.objects.filter(user=target, role="advisor").exists()
    assert _event("admin.membership.delete").changes["role"] == ["advisor", None]


def test_making_someone_superuser_is_audited_with_the_change(admin_client, users):
    target = users["police"]
    url = f"/beheer/core/user/{target.pk}/change/"
    data = _form(admin_client, url)
    data.update({"is_superuser": "on", "is_staff": "on"})
    assert admin_client.post(url, data).status_code == 302
    event = _event("admin.user.update")
    assert event.changes["is_superuser"] == [False, True] and event.changes["is_staff"] == [False, True]


def test_setting_a_password_in_the_admin_is_audited_without_the_password(admin_client, users):
    target = users["police"]
    url = f"/beheer/core/user/{target.pk}/password/"
    response = admin_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                       "usable_password": "true", "set-password": "1"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    event = _event("admin.user.set_password")
    assert event.changes == {"password": ["***", "***"]} and event.object_id == str(target.pk)
    trail = str(list(AuditEvent.objects.values_list("message", "changes")))
    assert NEW_PASSWORD not in trail and target.password not in trail
    # A refused form writes nothing and records nothing.
    before = AuditEvent.objects.count()
    assert admin_client.post(url, {"password1": "a", "password2": "b", "usable_password": "true"}).status_code == 200
    assert AuditEvent.objects.count() == before


def test_authenticator_devices_added_and_removed_in_the_admin_are_audited(admin_client, users):
    target = users["police"]
    data = _form(admin_client, "/beheer/otp_totp/totpdevice/add/")
    data.update({"user": str(target.pk), "name": "Telefoon (test)", "confirmed": "on"})
    assert admin_client.post("/beheer/otp_totp/totpdevice/add/", data).status_code == 302
    device = TOTPDevice.objects.get(user=target)
    event = _event("admin.totpdevice.create")
    assert event.changes["user"] == [None, "police"] and event.changes["key"] == [None, "***"]
    assert device.key not in str(event.changes)

    response = admin_client.post(f"/beheer/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert _event("admin.totpdevice.delete").changes["name"] == ["Telefoon (test)", None]

    static = StaticDevice.objects.create(user=target, name="Reservecodes (test)")
    StaticToken.objects.create(device=static, token="abcd1234")
    assert admin_client.post(f"/beheer/otp_static/staticdevice/{static.pk}/delete/", {"post": "yes"}).status_code == 302
    assert "abcd1234" not in str(list(AuditEvent.objects.values_list("message", "changes")))


def test_lifting_a_sign_in_lock_is_audited_and_logs_are_read_only(admin_client, client, users):
    from django.test import Client

    other = Client()
    for _i in range(5):
        other.post("/inloggen/", {"username": "police", "password": "wrong-password-000"}, REMOTE_ADDR="192.0.2.10")
    attempt = AccessAttempt.objects.get(username="police")
    response = admin_client.post(f"/beheer/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    event = _event("admin.accessattempt.delete")
    assert event.changes["username"] == ["police", None] and event.changes["ip_address"] == ["192.0.2.10", None]
    assert "wrong-password" not in str(event.changes)

    log = AccessLog.objects.create(username="police", ip_address="192.0.2.10", user_agent="t", http_accept="",
                                   path_info="/inloggen/")
    assert admin_client.post(f"/beheer/axes/accesslog/{log.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=log.pk).exists()


def test_organisation_change_still_audited_with_its_fields(admin_client):
    org = Organisation.objects.get(code="ggd")
    data = _form(admin_client, f"/beheer/core/organisation/{org.pk}/change/")
    data["name"] = "GGD Hart voor Brabant"
    assert admin_client.post(f"/beheer/core/organisation/{org.pk}/change/", data).status_code == 302
    assert _event("admin.organisation.update").changes == {"name": ["GGD", "GGD Hart voor Brabant"]}


def test_adding_a_user_in_the_admin_is_audited_without_the_password(admin_client):
    data = _form(admin_client, "/beheer/core/user/add/")
    data.update({"username": "nieuwe-collega", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                 "usable_password": "true"})
    assert admin_client.post("/beheer/core/user/add/", data).status_code == 302
    event = _event("admin.user.create")
    assert event.changes["username"] == [None, "nieuwe-collega"] and event.changes["password"] == [None, "***"]
    assert NEW_PASSWORD not in str(event.changes) and "argon2" not in str(event.changes).lower()


def test_group_membership_changes_are_recorded_by_name(admin_client, users):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Beheerders (test)")
    target = users["police"]
    url = f"/beheer/core/user/{target.pk}/change/"
    data = _form(admin_client, url)
    data["groups"] = [str(group.pk)]
    assert admin_client.post(url, data).status_code == 302
    assert _event("admin.user.update").changes["groups"] == [None, "Beheerders (test)"]
