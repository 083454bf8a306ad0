"""The fund's safeguards as the coordinator meets them (ADR 0018): allocating more than the contributions of a year
needs an explicit confirmation, and deleting an allocation takes a confirmation page (no script needed)."""

import datetime as dt

import pytest
from django.urls import reverse

from ivp.budget import services
from ivp.budget.models import Allocation, Commitment, Expenditure
from ivp.budget.summary import year_summary
from ivp.core.audit.models import AuditEvent
from ivp.money import format_euro_plain

from .test_pages import assert_accessible_basics

pytestmark = pytest.mark.django_db
YEAR = 2024


def _post(client, url, **data):
    values = {"year": str(YEAR), "kind": "project", "title": "Cameratoezicht (test)", "beneficiary": "",
              "description": "", **data}
    return client.post(url, values)


def test_an_allocation_above_the_contributions_is_refused_until_confirmed(client, users, imported):
    contributions = year_summary(YEAR).contributions_cents
    assert contributions > 0  # the real CBS population of the five municipalities
    too_much = format_euro_plain(contributions + 100_00)
    client.force_login(users["coordinator"])
    url = reverse("web:budget_allocation_create", kwargs={"year": YEAR})

    page = client.get(url).content.decode()
    assert "Nog niet toegewezen" in page  # the form says what is still free

    refused = _post(client, url, amount_cents=too_much)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "meer dan de bijdragen" in html and 'name="over_allocation_confirmed"' in html
    assert not Allocation.objects.exists()
    assert AuditEvent.objects.filter(action="budget.allocation_create", result="error").exists()
    assert_accessible_basics(refused)

    saved = _post(client, url, amount_cents=too_much, over_allocation_confirmed="on")
    assert saved.status_code == 302
    allocation = Allocation.objects.get()
    event = AuditEvent.objects.get(action="budget.allocation_create", result="success")
    assert "meer dan de bijdragen" in event.message
    # The year page warns from then on.
    year_page = client.get(reverse("web:budget_year", kwargs={"year": YEAR})).content.decode()
    assert "meer toegewezen dan de bijdragen" in year_page
    # A further raise needs a confirmation again; lowering it does not.
    edit = reverse("web:budget_allocation_edit", kwargs={"pk": allocation.pk})
    higher = _post(client, edit, amount_cents=format_euro_plain(allocation.amount_cents + 1_00),
                   version=str(allocation.version))
    assert higher.status_code == 400
    lower = _post(client, edit, amount_cents=format_euro_plain(allocation.amount_cents - 1_00),
                  version=str(allocation.version))
    assert lower.status_code == 302


def test_within_the_contributions_no_confirmation_is_asked(client, users, imported):
    client.force_login(users["coordinator"])
    response = _post(client, reverse("web:budget_allocation_create", kwargs={"year": YEAR}), amount_cents="1.000")
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="budget.allocation_create", result="success").message == ""


def test_the_service_refuses_over_allocation_without_the_confirmation(users, imported):
    contributions = year_summary(YEAR).contributions_cents
    with pytest.raises(Exception) as refused:
        services.allocation_create(actor=users["coordinator"], year=YEAR, kind="bim", title="BIM (test)",
                                   amount_cents=contributions + 1)
    assert "over_allocation_confirmed" in refused.value.message_dict
    services.allocation_create(actor=users["coordinator"], year=YEAR, kind="bim", title="BIM (test)",
                               amount_cents=contributions + 1, over_allocation_confirmed=True)


def test_deleting_an_allocation_asks_for_confirmation_first(client, users, imported):
    allocation = services.allocation_create(actor=users["coordinator"], year=YEAR, kind="bim", title="BIM (test)",
                                            amount_cents=500_00)
    client.force_login(users["coordinator"])
    detail = client.get(reverse("web:budget_allocation_detail", kwargs={"pk": allocation.pk})).content.decode()
    url = reverse("web:budget_allocation_delete", kwargs={"pk": allocation.pk})
    assert f'href="{url}"' in detail  # a link to the confirmation page, not a one-click form

    page = client.get(url)
    assert page.status_code == 200
    assert_accessible_basics(page)
    assert "BIM (test)" in page.content.decode() and 'name="confirm" value="yes"' in page.content.decode()
    # A POST without the confirmation (an old form, a crafted request) only shows the question again.
    assert client.post(url).status_code == 200
    assert Allocation.objects.filter(pk=allocation.pk).exists()

    done = client.post(url, {"confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == reverse("web:budget_year", kwargs={"year": YEAR})
    assert not Allocation.objects.filter(pk=allocation.pk).exists()
    assert AuditEvent.objects.filter(action="budget.allocation_delete", result="success").exists()


def test_only_the_coordinator_sees_the_confirmation_page(client, users, imported):
    allocation = services.allocation_create(actor=users["coordinator"], year=YEAR, kind="bim", title="BIM (test)",
                                            amount_cents=500_00)
    client.force_login(users["advisor"])
    assert client.get(reverse("web:budget_allocation_delete", kwargs={"pk": allocation.pk})).status_code == 403


@pytest.mark.parametrize(("kind", "model"), [("commitment", Commitment), ("expenditure", Expenditure)])
def test_deleting_a_commitment_or_expenditure_asks_for_confirmation_first(client, users, imported, kind, model):
    coordinator = users["coordinator"]
    allocation = services.allocation_create(actor=coordinator, year=YEAR, kind="bim", title="BIM (test)",
                                            amount_cents=500_00)
    create = services.commitment_create if kind == "commitment" else services.expenditure_create
    entry = create(actor=coordinator, allocation=allocation, date=dt.date(YEAR, 3, 1),
                   description="Camera Markt (test)", reference="F-1", amount_cents=120_00)
    client.force_login(coordinator)
    detail_url = reverse("web:budget_allocation_detail", kwargs={"pk": allocation.pk})
    url = reverse(f"web:budget_{kind}_delete", kwargs={"pk": entry.pk})
    detail = client.get(detail_url).content.decode()
    assert f'href="{url}"' in detail and f'action="{url}"' not in detail  # a link, not a one-click form

    page = client.get(url)
    assert page.status_code == 200
    assert_accessible_basics(page)
    html = page.content.decode()
    assert "Camera Markt (test)" in html and "BIM (test)" in html and "120,00" in html
    assert 'name="confirm" value="yes"' in html and "ivp-button--danger" in html
    assert ("Ja, verplichting verwijderen" if kind == "commitment" else "Ja, uitgave verwijderen") in html
    assert f'href="{detail_url}"' in html  # "No, keep it" goes back to the allocation
    # A POST without the confirmation (an old one-click form, a crafted request) only shows the question again.
    again = client.post(url)
    assert again.status_code == 200 and model.objects.filter(pk=entry.pk).exists()
    assert not AuditEvent.objects.filter(action=f"budget.{kind}_delete").exists()

    done = client.post(url, {"confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == detail_url
    assert not model.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(action=f"budget.{kind}_delete", result="success").exists()


@pytest.mark.parametrize("kind", ["commitment", "expenditure"])
def test_only_the_coordinator_may_delete_a_commitment_or_expenditure(client, users, imported, kind):
    coordinator = users["coordinator"]
    allocation = services.allocation_create(actor=coordinator, year=YEAR, kind="bim", title="BIM (test)",
                                            amount_cents=500_00)
    create = services.commitment_create if kind == "commitment" else services.expenditure_create
    entry = create(actor=coordinator, allocation=allocation, date=dt.date(YEAR, 3, 1),
                   description="Camera Markt (test)", amount_cents=120_00)
    client.force_login(users["advisor"])
    url = reverse(f"web:budget_{kind}_delete", kwargs={"pk": entry.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    assert type(entry).objects.filter(pk=entry.pk).exists()
