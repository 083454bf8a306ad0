"""Dashboards and the indicator page, on the real imported open data."""

import re

import pytest
from django.urls import reverse

from ivp.indicators.models import Interpretation

from .test_pages import assert_accessible_basics

pytestmark = pytest.mark.django_db


def test_municipality_dashboard_has_charts_with_tables_and_a_map(client, users, imported):
    client.force_login(users["advisor"])
    response = client.get(reverse("web:municipality_dashboard", kwargs={"cbs_code": "GM0865"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert_accessible_basics(response)
    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) >= 3
    assert all('role="img"' in svg and "aria-labelledby" in svg for svg in svgs)
    assert html.count("<title id=") == len(svgs) and html.count("<desc id=") == len(svgs)
    assert html.count("<table") >= len(svgs) - 1  # the map and the funnel share one table
    assert "BU08650000" in html  # the neighbourhood table lists every buurt
    assert "986" in html  # Vught 2024, 47013NED


def test_base_team_dashboard_compares_the_five(client, users, imported):
    client.force_login(users["police"])
    html = client.get(reverse("web:base_team_dashboard")).content.decode()
    for name in ("Boxtel", "Heusden", "Meierijstad", "Sint-Michielsgestel", "Vught"):
        assert name in html
    assert 'id="funnel-gemeenten-title"' in html


def test_public_sees_a_figure_only_with_a_published_interpretation(client, users, imported):
    url = reverse("web:indicator_detail", kwargs={"area_code": "GM0865", "indicator": "crime_total"})
    assert "986" not in client.get(url).content.decode()
    client.force_login(users["advisor"])
    response = client.post(reverse("web:interpretation_edit", kwargs={"area_code": "GM0865",
                                                                      "indicator": "crime_total"}),
                           {"period": "2024", "text": "Daling na de piek van 2023.", "published": "on",
                            "version": "0"})
    assert response.status_code == 302
    client.logout()
    html = client.get(url).content.decode()
    assert "986" in html and "Daling na de piek van 2023." in html


def test_stale_interpretation_form_keeps_the_text(client, users, imported):
    edit = reverse("web:interpretation_edit", kwargs={"area_code": "GM0865", "indicator": "crime_total"})
    client.force_login(users["advisor"])
    client.post(edit, {"period": "2024", "text": "Eerste.", "version": "0"})
    client.force_login(users["coordinator"])
    client.post(edit, {"period": "2024", "text": "Tweede.", "version": "1"})
    client.force_login(users["advisor"])
    response = client.post(edit, {"period": "2024", "text": "Mijn lange nieuwe tekst.", "version": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Mijn lange nieuwe tekst." in page
    assert "Iemand anders heeft dit opgeslagen" in page and "Tweede." in page  # what the other person saved
    assert 'name="version" value="2"' in page  # saving again is based on the saved version
    assert Interpretation.objects.get().text == "Tweede."


def test_police_cosigns(client, users, imported):
    client.force_login(users["advisor"])
    client.post(reverse("web:interpretation_edit", kwargs={"area_code": "GM0865", "indicator": "crime_total"}),
                {"period": "2024", "text": "Tekst.", "version": "0"})
    cosign = reverse("web:interpretation_cosign", kwargs={"area_code": "GM0865", "indicator": "crime_total"})
    assert client.post(cosign, {"period": "2024"}).status_code == 403
    client.force_login(users["police"])
    assert client.post(cosign, {"period": "2024"}).status_code == 302
    assert Interpretation.objects.get().cosigned_by == users["police"]


def test_advisor_adds_a_structural_break(client, users, imported):
    from ivp.indicators.models import StructuralBreak

    client.force_login(users["advisor"])
    url = reverse("web:structural_break_add", kwargs={"area_code": "GM0865", "indicator": "crime_total"})
    response = client.post(url, {"start": "2024-01-01", "kind": "registration_change",
                                 "description": "Nieuw meldsysteem bij de politie (test)"})
    assert response.status_code == 302
    assert StructuralBreak.objects.filter(area__code="GM0865", kind="registration_change").exists()
    page = client.get(reverse("web:indicator_detail", kwargs={"area_code": "GM0865", "indicator": "crime_total"}))
    assert "Nieuw meldsysteem bij de politie (test)" in page.content.decode()
    client.force_login(users["councillor"])
    assert client.post(url, {"start": "2024-01-01", "kind": "other", "description": "x"}).status_code == 403


def test_a_refused_break_keeps_the_input(client, users, imported):
    from ivp.indicators.models import StructuralBreak

    client.force_login(users["advisor"])
    url = reverse("web:structural_break_add", kwargs={"area_code": "GM0865", "indicator": "crime_total"})
    response = client.post(url, {"start": "2024-06-01", "end": "2024-01-01", "kind": "registration_change",
                                 "description": "Mijn uitleg van de breuk (test)"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mijn uitleg van de breuk (test)" in page and 'aria-invalid="true"' in page
    assert "<details class=\"ivp-details\" open>" in page
    assert not StructuralBreak.objects.filter(description__startswith="Mijn uitleg").exists()
