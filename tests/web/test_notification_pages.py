"""Pages: the bell with its unread count, the notifications page (mark read, mark all read), the preferences page,
the remark thread on the duiding page, open remarks on Mijn IVP; each person sees only their own (test fixtures)."""

import re

import pytest
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.core.services import membership_create, user_create
from ivp.indicators.models import Interpretation, InterpretationRemark
from ivp.notifications.models import Notification, NotificationPreference
from ivp.notifications.services import notify

from .test_pages import assert_accessible_basics

pytestmark = pytest.mark.django_db

INDICATOR = {"area_code": "GM0865", "indicator": "crime_total"}


def _notify(user, municipality, n=3):
    for i in range(n):
        notify(recipients=[user], kind="report_ready", occasion=f"test:{i}",
               params={"kind": "Jaarrapportage", "period": str(2020 + i)}, url="/mijn-ivp/", municipality=municipality)


def test_the_bell_shows_the_unread_count_as_text(client, users, vught):
    _notify(users["advisor"], vught)
    client.force_login(users["advisor"])
    html = client.get(reverse("web:plan_overview")).content.decode()
    bell = re.search(r'<a class="utrecht-link ivp-bell[^"]*" href="/meldingen/"[^>]*>(.*?)</a>', html, re.S)
    assert bell, "the bell is a plain link to the notifications page"
    assert 'aria-hidden="true">3</span>' in bell.group(1)
    assert "3 ongelezen meldingen" in bell.group(1)
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")
    html = client.get(reverse("web:plan_overview")).content.decode()
    assert "Meldingen, geen ongelezen" in html and "ongelezen meldingen<" not in html


def test_no_bell_for_visitors(client):
    assert "ivp-bell" not in client.get(reverse("web:plan_overview")).content.decode()


def test_the_notifications_page_marks_one_and_all_read(client, users, vught):
    _notify(users["advisor"], vught)
    client.force_login(users["advisor"])
    response = client.get(reverse("web:notification_list"))
    assert response.status_code == 200
    assert_accessible_basics(response)
    html = response.content.decode()
    assert "U hebt 3 ongelezen meldingen." in html and "Uw rapport Jaarrapportage 2022 is klaar." in html
    first = Notification.objects.get(occasion="test:0")
    assert client.post(reverse("web:notification_read", kwargs={"pk": first.pk})).status_code == 302
    first.refresh_from_db()
    assert first.is_read
    # "open": marked read, then on to what it is about.
    second = Notification.objects.get(occasion="test:1")
    response = client.post(reverse("web:notification_read", kwargs={"pk": second.pk}), {"open": "1"})
    assert response["Location"] == "/mijn-ivp/"
    assert client.post(reverse("web:notifications_read_all")).status_code == 302
    assert not Notification.objects.unread().exists()
    assert AuditEvent.objects.filter(action="notification.read_all", actor=users["advisor"]).exists()


def test_someone_elses_notification_answers_404(client, users, vught):
    _notify(users["advisor"], vught, n=1)
    theirs = Notification.objects.get()
    client.force_login(users["coordinator"])
    assert client.post(reverse("web:notification_read", kwargs={"pk": theirs.pk})).status_code == 404
    assert "Jaarrapportage" not in client.get(reverse("web:notification_list")).content.decode()
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_the_preferences_page_saves_a_choice_per_kind(client, users):
    client.force_login(users["police"])
    url = reverse("web:notification_preferences")
    response = client.get(url)
    assert response.status_code == 200
    assert_accessible_basics(response)
    html = response.content.decode()
    assert "Een duiding wacht op uw medeondertekening" in html and "alleen in IVP" in html
    assert html.count("<fieldset") >= 8
    from ivp.notifications.kinds import KINDS

    choices = {key: "digest" for key in KINDS}
    choices["interpretation_cosign_waiting"] = "app"
    assert client.post(url, choices).status_code == 302
    assert NotificationPreference.objects.get(user=users["police"], kind="interpretation_cosign_waiting").delivery \
        == "app"
    choices["report_ready"] = "sms"
    assert client.post(url, choices).status_code == 400


def test_notification_pages_need_sign_in(client):
    for name in ("notification_list", "notification_preferences"):
        response = client.get(reverse(f"web:{name}"))
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


@pytest.fixture
def duiding(client, users, imported):
    client.force_login(users["advisor"])
    client.post(reverse("web:interpretation_edit", kwargs=INDICATOR),
                {"period": "2024", "text": "Daling na de piek van 2023.", "published": "on", "version": "0"})
    return Interpretation.objects.get()


def test_police_remark_thread_on_the_duiding_page(client, users, duiding):
    client.force_login(users["police"])
    page = client.get(reverse("web:indicator_detail", kwargs=INDICATOR)).content.decode()
    assert "Niet eens of een wijziging voorstellen" in page  # the remark form
    response = client.post(reverse("web:interpretation_remark", kwargs=INDICATOR),
                           {"period": "2024", "scope": "figure", "kind": "suggestion", "text": "Noem de oorzaak.",
                            "suggested_text": "Daling door de aanpak van woninginbraken."})
    assert response.status_code == 302
    remark = InterpretationRemark.objects.get()
    assert response["Location"].endswith(f"#remark-{remark.pk}")
    # Invalid: the page again with the input and the error (400).
    response = client.post(reverse("web:interpretation_remark", kwargs=INDICATOR),
                           {"period": "2024", "scope": "figure", "kind": "suggestion", "text": "Zonder tekst."})
    assert response.status_code == 400 and "Zonder tekst." in response.content.decode()
    # The author sees the thread, a notification and the remark on Mijn IVP, and marks it handled.
    client.force_login(users["advisor"])
    response = client.get(reverse("web:indicator_detail", kwargs=INDICATOR))
    assert_accessible_basics(response)
    page = response.content.decode()
    assert f'id="remark-{remark.pk}"' in page and "Daling door de aanpak van woninginbraken." in page
    assert "Niet eens of een wijziging voorstellen" not in page, "the author does not remark on their own"
    assert Notification.objects.filter(recipient=users["advisor"], kind="interpretation_remark").exists()
    start = client.get(reverse("web:start")).content.decode()
    assert "Open opmerkingen bij uw duidingen" in start and f"#remark-{remark.pk}" in start
    assert client.post(reverse("web:interpretation_remark_handle", kwargs={"pk": remark.pk})).status_code == 302
    remark.refresh_from_db()
    assert not remark.is_open
    assert f"#remark-{remark.pk}" not in client.get(reverse("web:start")).content.decode()
    # The thread is in the duiding's history.
    history = client.get(reverse("web:object_history", kwargs={"kind": "duiding", "pk": duiding.pk}))
    assert history.status_code == 200 and "Noem de oorzaak." in history.content.decode()


def test_remark_refusals_and_tenancy(client, users, duiding, heusden):
    remark_url = reverse("web:interpretation_remark", kwargs=INDICATOR)
    data = {"period": "2024", "scope": "figure", "kind": "disagree", "text": "Niet eens."}
    client.force_login(users["councillor"])
    assert client.post(remark_url, data).status_code == 403
    assert AuditEvent.objects.filter(action="interpretation.remark", result="denied").exists()
    client.force_login(users["prosecutor"])
    assert client.post(remark_url, data).status_code == 302
    remark = InterpretationRemark.objects.get()
    # An advisor of Heusden: Vught's duiding, its remarks and its history answer 404.
    other, _password = user_create(actor=None, username="advisor-heusden")
    membership_create(actor=None, user=other, organisation=heusden, role="advisor")
    client.force_login(other)
    assert client.post(reverse("web:interpretation_remark_handle", kwargs={"pk": remark.pk})).status_code == 404
    assert client.post(remark_url, data).status_code == 404
    assert client.get(reverse("web:object_history", kwargs={"kind": "duiding", "pk": duiding.pk})).status_code == 404
    # The police may not mark it handled (403, audited); the partner does not see the thread.
    client.force_login(users["police"])
    assert client.post(reverse("web:interpretation_remark_handle", kwargs={"pk": remark.pk})).status_code == 403
    client.force_login(users["partner"])
    page = client.get(reverse("web:indicator_detail", kwargs=INDICATOR)).content.decode()
    assert "Niet eens." not in page
    assert "/geschiedenis/duiding/" not in page, "no link to a history the partner may not open"
