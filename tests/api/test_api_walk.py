"""The API's route x role matrix: each role's token (or none) on Vught (own) and Heusden (other) resources. The same
answers as the pages (tests/web/test_tenancy_walk.py): municipal users get 404 on another municipality's rows;
councillors and partners get the public view of the figures."""

import pytest

from ivp.api.services import api_token_create
from tests.api.test_reports import draft_report

from ..conftest import OTHER, OWN

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "coordinator", "advisor", "councillor", "police", "prosecutor", "partner"]
MUNICIPAL_404 = {**{role: (200, 200) for role in ROLES}, "advisor": (200, 404), "councillor": (200, 404)}
EXPECTED = {
    "/api/v1/municipalities/{code}": MUNICIPAL_404,
    "/api/v1/areas/{code}/indicators/crime_total/series": MUNICIPAL_404,
    "/api/v1/areas/{code}": {role: (200, 200) for role in ROLES},  # the CBS register is public statistics
    "/api/v1/reports/{draft}": {**MUNICIPAL_404, "anonymous": (404, 404), "partner": (404, 404)},
}
INTERNAL = {"coordinator", "advisor", "police", "prosecutor"}
FUND_DETAILS = {"coordinator", "advisor", "police", "prosecutor"}


@pytest.mark.parametrize("role", ROLES)
def test_api_walk(client, role, users, imported):
    drafts = {code: draft_report(users["coordinator"], code) for code in (OWN, OTHER)}
    headers = {}
    if users[role] is not None:
        headers["HTTP_AUTHORIZATION"] = "Bearer " + api_token_create(actor=None, user=users[role], name="walk")[1]
    for template, expected in EXPECTED.items():
        for code, status in zip((OWN, OTHER), expected[role], strict=True):
            url = template.format(code=code, draft=drafts[code].pk)
            response = client.get(url, **headers)
            assert response.status_code == status, (role, url, response.status_code)
    series = client.get(f"/api/v1/areas/{OWN}/indicators/crime_total/series", **headers).json()
    assert series["audience"] == ("internal" if role in INTERNAL else "public")
    assert bool(series["points"]) == (role in INTERNAL)  # fresh instance: no published duiding
    fund = client.get("/api/v1/fund/2024", **headers).json()
    assert fund["details_hidden"] == (role not in FUND_DETAILS)
