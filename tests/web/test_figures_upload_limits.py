"""F2/F3 through the pages: an out-of-range own figure is refused with its line and field, the figures page
stays up for every role and a later valid upload works; a bad row already in a (SQLite) database does not
break the page; a file with thousands of errors shows the first 50."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ivp.areas.models import Area
from ivp.indicators import upload
from ivp.indicators.models import LocalFigure
from ivp.indicators.upload import COLUMNS

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS) + "\n"
ROLES = ["anonymous", "coordinator", "advisor", "councillor", "police", "prosecutor", "partner"]


@pytest.fixture
def gemeente(plan, vught):
    return Area.objects.create(code="GM0865", level="gemeente", name="Vught", organisation=vught)


def _post(client, text: str, name="cijfers.csv"):
    url = reverse("web:local_figures_upload", kwargs={"cbs_code": "GM0865"})
    return client.post(url, {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")})


def _pages_answer(client, users, status=200):
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.get(reverse("web:municipality_dashboard", kwargs={"cbs_code": "GM0865"}))
        assert response.status_code == status, role
    client.force_login(users["advisor"])
    assert client.get(reverse("web:local_figures_upload", kwargs={"cbs_code": "GM0865"})).status_code == 200


def test_an_out_of_range_value_is_refused_and_the_page_stays_up(client, users, gemeente):
    client.force_login(users["advisor"])
    response = _post(client, HEADER + "GM0865,2023,meldingen,9999999999.99999,aantal,,Eigen registratie\n")
    assert response.status_code == 400
    assert "cijfers.csv:2: waarde:" in response.content.decode()
    assert not LocalFigure.objects.exists()
    _pages_answer(client, users)
    response = _post(client, HEADER + "GM0865,2023,meldingen,9999999999.9999,aantal,,Eigen registratie\n")
    assert response.status_code == 302
    assert LocalFigure.objects.get().value == Decimal("9999999999.9999")
    _pages_answer(client, users)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's numeric(14,4) cannot hold such a row")
def test_a_bad_row_already_in_the_database_does_not_break_the_page(client, users, gemeente):
    with connection.cursor() as cursor:  # as an upload before the validation stored it
        cursor.execute(
            "INSERT INTO indicators_localfigure (municipality_id, area_id, measure, year, value, unit, source,"
            " uploaded_by_id, updated_at) VALUES (%s, %s, 'meldingen', 2023, '9999999999.99999', 'aantal', 'Eigen',"
            " %s, %s)", [gemeente.organisation_id, gemeente.pk, users["advisor"].pk, timezone.now()])
    _pages_answer(client, users)
    response = _post(client, HEADER + "GM0865,2023,meldingen,41,aantal,,Eigen registratie\n")
    assert response.status_code == 302
    assert LocalFigure.objects.get().value == 41


def test_only_the_first_50_problems_are_shown(client, users, gemeente):
    client.force_login(users["advisor"])
    rows = "".join(f"GM0865,2023,maat_{i},veel,aantal,,Bron\n" for i in range(300))
    response = _post(client, HEADER + rows)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("cijfers.csv:") == 50 and "en nog 250 problemen" in html
    assert len(response.content) < 100_000


def test_a_too_large_upload_is_refused_before_it_is_read(client, users, gemeente, monkeypatch):
    monkeypatch.setattr("ivp.web.views.figures.MAX_BYTES", 100)
    monkeypatch.setattr(upload, "MAX_BYTES", 100)

    def must_not_read(*args, **kwargs):
        raise AssertionError("the upload was read")
    monkeypatch.setattr("ivp.web.views.figures.local_figures_upload", must_not_read)
    client.force_login(users["advisor"])
    response = _post(client, HEADER + "x" * 200)
    assert response.status_code == 400 and "groter dan 5 MB" in response.content.decode()
