"""The information register pages: forms refuse personal data (400, on the field, nothing saved), every view is a
read event, council members see only gated totals, a Heusden advisor gets 404 on Vught's registers."""

import datetime as dt

import pytest
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.core.roles import Role
from ivp.information import services
from ivp.information.models import RegisterShare, Signal, YouthGroup

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def _signal_form(**overrides):
    data = {"month": "2024-03", "area": "", "category": "drugs", "source_kind": "mma", "count": "3",
            "follow_up": "lio", "description": "3 meldingen over hennep in maart"}
    data.update(overrides)
    return data


def test_the_advisor_adds_a_signal_count(client, users, vught):
    client.force_login(users["advisor"])
    url = reverse("web:information_create", kwargs={"cbs_code": "GM0865", "register": "signalen"})
    response = client.post(url, _signal_form())
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert (signal.month, signal.count, signal.municipality) == (dt.date(2024, 3, 1), 3, vught)


@pytest.mark.parametrize("text", ["Melding van J. Jansen", "bel 06-12345678", "BSN 111222333",
                                  "auto AB-12-CD gezien", "pand Kerkstraat 4"])
def test_personal_data_is_refused_on_the_field(client, users, text):
    client.force_login(users["advisor"])
    url = reverse("web:information_create", kwargs={"cbs_code": "GM0865", "register": "signalen"})
    response = client.post(url, _signal_form(description=text))
    assert response.status_code == 400
    assert "persoonsgegevens" in response.content.decode()
    assert not Signal.objects.exists()


def test_register_pages_record_every_read(client, users, vught):
    services.signal_create(actor=users["advisor"], municipality=vught, month=dt.date(2024, 3, 1), category="drugs",
                           source_kind="mma", count=3, follow_up="lio")
    client.force_login(users["police"])
    response = client.get(reverse("web:information_register", kwargs={"cbs_code": "GM0865",
                                                                      "register": "signalen"}) + "?jaar=2024")
    assert response.status_code == 200 and "ondermijning: drugs" in response.content.decode()
    event = AuditEvent.objects.get(action="information.read")
    assert event.actor == users["police"] and event.municipality == vught and event.object_id == "signals"
    client.get(reverse("web:information_overview", kwargs={"cbs_code": "GM0865"}))
    assert AuditEvent.objects.filter(action="information.summary", actor=users["police"]).count() == 1
    export = client.get(reverse("web:information_export", kwargs={"cbs_code": "GM0865", "register": "signalen"}))
    assert export.status_code == 200 and "ondermijning: drugs" in export.content.decode("utf-8-sig")
    assert AuditEvent.objects.filter(action="information.read", actor=users["police"]).count() == 2


def test_a_heusden_advisor_gets_404_on_vughts_registers(client, users, vught, heusden):
    signal = services.signal_create(actor=users["advisor"], municipality=vught, month=dt.date(2024, 3, 1),
                                    category="drugs", source_kind="mma", count=3, follow_up="lio")
    client.force_login(make_user("advisor-heusden-web", heusden, Role.ADVISOR))
    for url in [reverse("web:information_overview", kwargs={"cbs_code": "GM0865"}),
                reverse("web:information_register", kwargs={"cbs_code": "GM0865", "register": "signalen"}),
                reverse("web:information_create", kwargs={"cbs_code": "GM0865", "register": "signalen"}),
                reverse("web:information_edit", kwargs={"register": "signalen", "pk": signal.pk}),
                reverse("web:information_shares", kwargs={"cbs_code": "GM0865"})]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("web:information_register", kwargs={"cbs_code": "GM0797",
                                                                  "register": "signalen"})).status_code == 200


def test_the_councillor_sees_only_gated_totals(client, users, vught):
    services.signal_create(actor=users["advisor"], municipality=vught, month=dt.date(2024, 3, 1), category="drugs",
                           source_kind="mma", count=3, follow_up="lio", description="Testomschrijving")
    client.force_login(users["councillor"])
    response = client.get(reverse("web:information_overview", kwargs={"cbs_code": "GM0865"}) + "?jaar=2024")
    page = response.content.decode()
    assert response.status_code == 200 and "Testomschrijving" not in page and "niet gepubliceerd" in page
    assert client.get(reverse("web:information_register", kwargs={"cbs_code": "GM0865",
                                                                  "register": "signalen"})).status_code == 404


def test_youth_group_edit_keeps_the_history(client, users, vught):
    group = services.youth_group_create(actor=users["advisor"], municipality=vught, code="VU-2024-01",
                                        group_type="annoying", size_band="5-10", phase="shortlist",
                                        first_seen=dt.date(2024, 2, 1))
    client.force_login(users["advisor"])
    url = reverse("web:information_edit", kwargs={"register": "jeugdgroepen", "pk": group.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": "VU-2024-01", "group_type": "criminal", "area": "", "size_band": "5-10",
                                 "phase": "approach", "first_seen": "2024-02-01", "version": "1"})
    assert response.status_code == 302
    group = YouthGroup.objects.get()
    assert group.group_type == "criminal" and group.type_changes.count() == 2
    stale = client.post(url, {"code": "VU-2024-01", "group_type": "nuisance", "area": "", "size_band": "5-10",
                              "phase": "approach", "first_seen": "2024-02-01", "version": "1"})
    assert stale.status_code == 409


def test_sharing_a_register_with_a_partner(client, users, vught):
    partner_org = users["partner"].memberships.get().organisation
    client.force_login(users["advisor"])
    url = reverse("web:information_shares", kwargs={"cbs_code": "GM0865"})
    assert client.post(url, {"register": "signals", "organisation": partner_org.pk}).status_code == 302
    client.force_login(users["partner"])
    assert client.get(reverse("web:information_register", kwargs={"cbs_code": "GM0865",
                                                                  "register": "signalen"})).status_code == 200
    assert client.get(reverse("web:information_register", kwargs={"cbs_code": "GM0865",
                                                                  "register": "jeugdgroepen"})).status_code == 404
    pk = RegisterShare.objects.get().pk
    assert client.post(reverse("web:information_share_end", kwargs={"pk": pk})).status_code == 403
    client.force_login(users["advisor"])
    assert client.post(reverse("web:information_share_end", kwargs={"pk": pk})).status_code == 302
    assert not RegisterShare.objects.exists()
