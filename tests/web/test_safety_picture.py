"""The quarterly safety picture (veiligheidsbeeld): restricted like the registers (404 for a Heusden advisor on Vught
and for a councillor), the figures, the quarter's aggregates, the youth groups and the activities addressing them,
the PDF through the reports' rendering, and every view or download a read event."""

import datetime as dt

import pytest
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.core.roles import Role
from ivp.information import services

from ..conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture_data(users, vught, plan, django_capture_on_commit_callbacks):
    """TEST FIXTURE, not data: a few made-up register rows of Vught and an activity addressing a youth group."""
    from ivp.areas.models import Area
    from ivp.execution.services import activity_create, execution_plan_create

    Area.objects.get_or_create(code="GM0865", defaults={"level": "gemeente", "name": "Vught", "organisation": vught})
    advisor = users["advisor"]
    with django_capture_on_commit_callbacks(execute=True):
        services.signal_create(actor=advisor, municipality=vught, month=dt.date(2024, 8, 1), category="drugs",
                               source_kind="mma", count=12, follow_up="riec")
        services.control_create(actor=advisor, municipality=vught, date=dt.date(2024, 9, 3), premises_kind="shed",
                                premises_count=2, partners=["police"], findings=3, closures=1)
        group = services.youth_group_create(actor=advisor, municipality=vught, code="VU-PIC-1",
                                            group_type="criminal", size_band="5-10", phase="approach",
                                            first_seen=dt.date(2024, 1, 15))
    execution_plan = execution_plan_create(actor=users["coordinator"], plan=plan, municipality=vught,
                                           period_start=2023)
    activity_create(actor=advisor, execution_plan=execution_plan, title="Persoonsgerichte aanpak groep (test)",
                    owner=advisor, focus_lenses=[plan.focus_lenses.first()], signal_categories=["youth"],
                    youth_groups=[group])
    return group


def _url(name="web:information_safety_picture"):
    return reverse(name, kwargs={"cbs_code": "GM0865"}) + "?kwartaal=2024-Q3"


def test_the_advisor_sees_the_picture_and_the_view_is_recorded(client, users, vught, picture_data):
    client.force_login(users["advisor"])
    response = client.get(_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "VU-PIC-1" in page and "Persoonsgerichte aanpak groep (test)" in page
    assert "12" in page  # the quarter's signals
    event = AuditEvent.objects.get(action="information.read", object_id="safety_picture")
    assert event.actor == users["advisor"] and event.municipality == vught
    assert event.changes["period"] == [None, "2024-Q3"] and event.changes["format"] == [None, "html"]


def test_the_pdf_is_a_pdf_and_a_read_event(client, users, picture_data):
    client.force_login(users["police"])
    response = client.get(_url("web:information_safety_picture_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.get(action="information.read", object_id="safety_picture")
    assert event.changes["format"] == [None, "pdf"]


@pytest.mark.parametrize("name", ["web:information_safety_picture", "web:information_safety_picture_pdf"])
def test_outside_the_circle_it_does_not_exist(client, users, heusden, picture_data, name):
    client.force_login(make_user("advisor-heusden-pic", heusden, Role.ADVISOR))
    assert client.get(_url(name)).status_code == 404
    client.force_login(users["councillor"])
    assert client.get(_url(name)).status_code in (403, 404)
    client.logout()
    assert client.get(_url(name)).status_code in (302, 403, 404)
    assert not AuditEvent.objects.filter(action="information.read", object_id="safety_picture").exists()
