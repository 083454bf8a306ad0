"""The forms of a council report's page (conclusions, adoption by the college, presentation to the council) go
through the one submit helper like every other form (ivp.web.views.submit): invalid input answers 400 with the input
kept, an edit based on an older version 409 with the input kept and what the other person saved."""

import pytest
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.reports import services
from ivp.reports.models import CouncilReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    report = services.council_report_create(actor=world["advisor"], area_code="GM0865", kind="midterm",
                                            period="2023-2024")
    return services.council_report_save(actor=world["advisor"], report=report, expected_version=report.version,
                                        conclusions="Eerste tekst (testfixture).")


def _post(client, report, **data):
    return client.post(reverse("web:council_report_detail", kwargs={"pk": report.pk}), data)


def test_invalid_conclusions_answer_400_with_the_input_kept(world, client, draft):
    client.force_login(world["advisor"])
    bad_date = _post(client, draft, action="save", conclusions="Nieuwe tekst (testfixture)", as_of="geen datum",
                     version=str(draft.version))
    assert bad_date.status_code == 400
    html = bad_date.content.decode()
    assert "Nieuwe tekst (testfixture)" in html and 'aria-invalid="true"' in html
    # The service's refusal (an as-of date outside the period) lands on the field, also 400.
    outside = _post(client, draft, action="save", conclusions="Nieuwe tekst (testfixture)", as_of="2022-06-30",
                    version=str(draft.version))
    assert outside.status_code == 400
    assert "binnen de periode 2023-2024" in outside.content.decode()
    assert "Nieuwe tekst (testfixture)" in outside.content.decode()
    assert CouncilReport.objects.get(pk=draft.pk).conclusions == "Eerste tekst (testfixture)."


def test_a_stale_save_answers_409_with_the_input_and_the_saved_text(world, client, draft):
    opened = draft.version
    services.council_report_save(actor=world["coordinator"], report=draft, expected_version=opened,
                                 conclusions="Tekst van de coördinator (testfixture).")
    client.force_login(world["advisor"])
    stale = _post(client, draft, action="save", conclusions="Mijn tekst (testfixture)", as_of="2024-12-31",
                  version=str(opened))
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Iemand anders heeft deze rapportage opgeslagen" in html
    assert "Wat de ander heeft opgeslagen" in html
    assert "Mijn tekst (testfixture)" in html and "Tekst van de coördinator (testfixture)." in html
    current = CouncilReport.objects.get(pk=draft.pk)
    assert current.conclusions == "Tekst van de coördinator (testfixture)."
    # The hidden version moved on: saving again is a deliberate choice, and then it saves.
    assert f'name="version" value="{current.version}"' in html
    again = _post(client, draft, action="save", conclusions="Mijn tekst (testfixture)", as_of="2024-12-31",
                  version=str(current.version))
    assert again.status_code == 302
    assert CouncilReport.objects.get(pk=draft.pk).conclusions == "Mijn tekst (testfixture)"


def test_an_invalid_adoption_answers_400_and_keeps_the_draft(world, client, draft):
    client.force_login(world["advisor"])
    response = _post(client, draft, action="adopt", adopted_on="2025-02-11", decision_reference="",
                     version=str(draft.version))
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert CouncilReport.objects.get(pk=draft.pk).is_concept
    assert not AuditEvent.objects.filter(action="council_report.adopt", result="success").exists()


def test_a_stale_adoption_answers_409_with_the_input_kept(world, client, draft):
    opened = draft.version
    services.council_report_save(actor=world["coordinator"], report=draft, expected_version=opened,
                                 conclusions="Tekst van de coördinator (testfixture).")
    client.force_login(world["advisor"])
    response = _post(client, draft, action="adopt", adopted_on="2025-02-11", decision_reference="B&W 2025/17",
                     version=str(opened))
    assert response.status_code == 409
    html = response.content.decode()
    assert "B&amp;W 2025/17" in html and "Wat de ander heeft opgeslagen" in html
    assert CouncilReport.objects.get(pk=draft.pk).is_concept
    assert AuditEvent.objects.filter(action="council_report.adopt", result="error").exists()


def test_an_invalid_presentation_answers_400(world, client, draft):
    client.force_login(world["advisor"])
    response = _post(client, draft, action="present", presented_on="", version=str(draft.version))
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="council_report.present").exists()
