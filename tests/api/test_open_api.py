"""The open API (/api/v1, ADR 0019): an OpenAPI 3 document, problem+json errors, NLGov headers and paths, the one
publication gate for the figures, personal read tokens with the pages' tenancy."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from ivp.api.models import ApiToken
from ivp.api.services import api_token_create, api_token_revoke
from ivp.areas.models import Area
from ivp.core.audit.models import AuditEvent
from ivp.core.models import User
from ivp.core.roles import Role
from ivp.indicators.models import Observation
from ivp.indicators.services.interpretations import interpretation_save
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SERIES = "/api/v1/areas/GM0865/indicators/crime_total/series"
PROBLEM = "application/problem+json"


def _token(username: str) -> str:
    out = io.StringIO()
    call_command("api_token", user=username, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def _auth(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _admin() -> User:
    return User.objects.create_superuser("admin", "admin@example.invalid", "test-password-123!")


def _cli_series(area: str, indicator: str) -> dict:
    out = io.StringIO()
    call_command("indicator_series", area=area, indicator=indicator, format="json", stdout=out)
    return json.loads(out.getvalue())


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    for key in ("type", "title", "status", "detail", "instance"):
        assert body.get(key) not in (None, ""), key
    return body


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# --- the document and the NLGov basics ---------------------------------------------------------------------------


def test_openapi_document_is_valid_openapi_3(client, plan):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.0")
    validate_schema(document)  # the OpenAPI 3.0 JSON Schema (jsonschema); raises on an invalid document
    for ref in _refs(document):  # and every $ref resolves
        node = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    paths = document["paths"]
    assert "/areas/{code}/indicators/{indicator}/series" in paths
    assert not any(p.endswith("/") for p in paths if p != "/")  # the root is the exception
    series = paths["/areas/{code}/indicators/{indicator}/series"]["get"]["responses"]
    assert "application/problem+json" in series["404"]["content"]
    assert "API-Version" in series["200"]["headers"]


def test_unknown_area_is_404_problem_json(client, imported):
    body = _assert_problem(client.get("/api/v1/areas/GM9999/indicators/crime_total/series"), 404)
    assert body["instance"] == "/api/v1/areas/GM9999/indicators/crime_total/series"
    _assert_problem(client.get("/api/v1/areas/GM9999"), 404)
    _assert_problem(client.get("/api/v1/areas/GM0865/indicators/no_such_indicator/series"), 404)
    _assert_problem(client.get("/api/v1/no-such-resource"), 404)


def test_api_version_header_and_no_trailing_slash_redirect(client, plan):
    response = client.get("/api/v1/themes")
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    slashed = client.get("/api/v1/themes/")
    _assert_problem(slashed, 404)  # not a redirect to or from the slashed form
    assert slashed["API-Version"] == "1.0.0"
    _assert_problem(client.get("/api/v1/"), 404)


def test_cors_on_get_only(client, plan):
    response = client.get("/api/v1/themes", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "API-Version" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/themes", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    allowed = preflight["Access-Control-Allow-Methods"]
    assert "GET" in allowed and "POST" not in allowed and "DELETE" not in allowed
    page = client.get(reverse("web:plan_overview"), HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in page  # the pages are not opened to other sites


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only_other_methods_are_405_problem_json(client, plan, method):
    _assert_problem(getattr(client, method)("/api/v1/themes"), 405)


def test_invalid_query_is_400_problem_json(client, plan):
    body = _assert_problem(client.get("/api/v1/areas?level=planet"), 400)
    assert body["invalid_params"][0]["name"] == "level"


def test_pagination_links(client, imported):
    response = client.get("/api/v1/areas?level=buurt&parent=WK086500&page_size=2")
    assert response.status_code == 200
    body = response.json()
    assert body["page"] == 1 and body["page_size"] == 2 and len(body["results"]) == 2
    assert body["_links"]["prev"] is None and "page=2" in body["_links"]["next"]["href"]
    second = client.get(body["_links"]["next"]["href"]).json()
    assert second["page"] == 2 and second["_links"]["prev"] is not None
    _assert_problem(client.get("/api/v1/areas?page=999"), 404)


def test_throttled_requests_answer_429_problem_json(client, plan, settings):
    from django.core.cache import cache

    cache.clear()
    settings.IVP_API_RATE_ANONYMOUS = "2/minute"
    assert client.get("/api/v1/goals").status_code == 200
    assert client.get("/api/v1/goals").status_code == 200
    response = client.get("/api/v1/goals")
    _assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0
    cache.clear()


def test_public_resources_answer_without_a_token(client, imported):
    plan = client.get("/api/v1/plan").json()
    assert plan["title"] and plan["period_start"] == 2023
    assert {a["municipality"] for a in plan["adoptions"]} == {"GM0757", "GM0797", "GM0845", "GM0865", "GM1948"}
    themes = client.get("/api/v1/themes").json()["results"]
    code = themes[0]["code"]
    assert client.get(f"/api/v1/themes/{code}").json()["code"] == code
    goals = client.get("/api/v1/goals").json()["results"]
    assert any("crime_total" in g["indicators"] for g in goals)
    lenses = client.get("/api/v1/focus-lenses").json()["results"]
    assert client.get(f"/api/v1/focus-lenses/{lenses[0]['code']}").status_code == 200
    municipalities = client.get("/api/v1/municipalities").json()["results"]
    assert [m["cbs_code"] for m in municipalities] == ["GM0757", "GM0797", "GM0845", "GM0865", "GM1948"]
    assert client.get("/api/v1/areas/gm0865").json()["name"] == "Vught"
    indicator = client.get("/api/v1/indicators/crime_total").json()
    assert indicator["sources"][0]["table"] == "47013NED"
    fund = client.get("/api/v1/fund/2024").json()
    assert fund["contributions_cents"] > 0 and len(fund["contributions"]) == 5
    assert fund["details_hidden"] is True and fund["allocations"] == []
    assert client.get("/api/v1").json()["_links"]["plan"]["href"].endswith("/api/v1/plan")


# --- figures: the one publication gate ---------------------------------------------------------------------------


def test_anonymous_series_has_no_counts_until_a_duiding_is_published(client, imported, users):
    before = client.get(SERIES)
    assert before.status_code == 200
    body = before.json()
    assert body["audience"] == "public" and body["points"] == [] and body["hidden_reason"]
    assert body["trend"] is None and body["interpretation"] is None
    assert "986" not in before.content.decode()  # Vught 2024 (47013NED)

    interpretation_save(actor=users["coordinator"], indicator="crime_total", area=Area.objects.get(code="GM0865"),
                        period="2023", text="Duiding Vught 2023 (test)", published=True)
    after = client.get(SERIES).json()
    cli = {p["period"]: p for p in _cli_series("GM0865", "crime_total")["points"]}
    periods = [p["period"] for p in after["points"]]
    assert periods and periods[-1] == "2023" and "2024" not in periods  # 2024 waits for its own duiding
    assert after["withheld_note"] and after["covered_until"] == 2023
    for point in after["points"]:
        assert point["count"] == cli[point["period"]]["count"] and point["rate"] == cli[point["period"]]["rate"]
        assert point["hidden"] is False
    assert after["interpretation"]["text"] == "Duiding Vught 2023 (test)"
    assert after["denominator"] and after["source"]


def test_small_counts_stay_hidden_for_anonymous(client, imported, users):
    counts = dict(Observation.objects.filter(table="47022NED", category="0.0.0", area__level="buurt",
                                             area__code__startswith="BU0865", year=2024, month=0)
                  .values_list("area__code", "value"))
    small = [code for code, value in counts.items() if value and value < 5]
    assert small, "the real data have small counts in Vught's buurten"
    url = f"/api/v1/areas/{small[0]}/indicators/crime_total/series"
    assert client.get(url).json()["points"] == []  # nothing before the neighbourhoods' duiding
    interpretation_save(actor=users["coordinator"], indicator="crime_total", area=Area.objects.get(code="GM0865"),
                        period="2024", text="Duiding buurten Vught (test)", published=True, scope="neighbourhoods")
    point = next(p for p in client.get(url).json()["points"] if p["period"] == "2024")
    assert point["hidden"] is True
    assert point["count"] is None and point["count_range"] is None and point["rate"] is None
    assert point["verdict"] is None
    token = _token(_admin().username)
    internal = next(p for p in client.get(url, **_auth(token)).json()["points"] if p["period"] == "2024")
    assert internal["hidden"] is False and (internal["count"] == counts[small[0]]
                                            or internal["count_range"] is not None)


def test_admin_token_values_equal_the_command_line(client, imported):
    token = _token(_admin().username)
    response = client.get(SERIES, **_auth(token))
    assert response.status_code == 200
    api = response.json()
    cli = _cli_series("GM0865", "crime_total")
    assert api["audience"] == "internal" and api["hidden_reason"] == ""
    assert len(api["points"]) == len(cli["points"]) > 0
    for key, value in cli.items():
        if key == "points":
            continue
        assert api[key] == value, key
    for api_point, cli_point in zip(api["points"], cli["points"], strict=True):
        for key, value in cli_point.items():
            assert api_point[key] == value, (cli_point["period"], key)
    assert response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]


# --- tokens ------------------------------------------------------------------------------------------------------


def test_token_is_stored_as_a_hash_and_its_creation_audited(users):
    advisor = users["advisor"]
    token, secret = api_token_create(actor=advisor, user=advisor, name="dashboard")
    assert secret.startswith("ivp_") and len(secret) > 40
    assert not ApiToken.objects.filter(key_hash=secret).exists() and secret not in str(token.__dict__)
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk), result="success").exists()
    with pytest.raises(PermissionDenied):
        api_token_create(actor=advisor, user=users["coordinator"], name="x")
    assert AuditEvent.objects.filter(action="api_token.create", result="denied", actor=advisor).exists()


def test_revoked_token_is_refused_401_problem_json_and_audited(client, users, plan):
    advisor = users["advisor"]
    token, secret = api_token_create(actor=advisor, user=advisor, name="test")
    assert client.get("/api/v1/themes", **_auth(secret)).status_code == 200
    api_token_revoke(actor=advisor, token=token)
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()
    response = client.get("/api/v1/themes", **_auth(secret))
    _assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    denied = AuditEvent.objects.filter(action="api_token.use_denied", object_id=str(token.pk))
    assert denied.count() == 1 and denied.get().result == "denied"
    _assert_problem(client.get("/api/v1/themes", **_auth("ivp_made-up")), 401)


def test_expired_token_is_refused(client, users, plan):
    import datetime as dt

    from django.utils import timezone

    token, secret = api_token_create(actor=None, user=users["police"], name="test")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _assert_problem(client.get("/api/v1/themes", **_auth(secret)), 401)


def test_session_cookie_is_not_used_by_the_api(client, users, imported):
    client.force_login(users["coordinator"])
    assert client.get(SERIES).json()["audience"] == "public"


def test_tenancy_heusden_advisor_token_gets_404_on_vught(client, users, imported, heusden):
    advisor = make_user("advisor-heusden", heusden, Role.ADVISOR)
    _token_row, secret = api_token_create(actor=advisor, user=advisor, name="test")
    auth = _auth(secret)
    _assert_problem(client.get(SERIES, **auth), 404)
    _assert_problem(client.get("/api/v1/municipalities/GM0865", **auth), 404)
    own = client.get("/api/v1/areas/GM0797/indicators/crime_total/series", **auth).json()
    assert own["audience"] == "internal" and own["points"]
    assert [m["cbs_code"] for m in client.get("/api/v1/municipalities", **auth).json()["results"]] == ["GM0797"]
    # And a Vught draft report: visible to Vught's advisor, not to Heusden's.
    from tests.api.test_reports import draft_report

    report = draft_report(users["coordinator"], "GM0865")
    _assert_problem(client.get(f"/api/v1/reports/{report.pk}", **auth), 404)
    vught_token = api_token_create(actor=users["advisor"], user=users["advisor"], name="test")[1]
    assert client.get(f"/api/v1/reports/{report.pk}", **_auth(vught_token)).status_code == 200


def test_an_editor_session_without_second_factor_is_not_sent_to_the_code_page(client, users, plan):
    client.force_login(users["coordinator"], otp_verified=False)
    response = client.get("/api/v1/themes")
    assert response.status_code == 200 and "Authorization" in response["Vary"]


def test_unexpected_error_is_500_problem_json_without_details(client, plan, monkeypatch):
    from ivp.api import selectors

    def broken(user):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "goals_of", broken)
    response = client.get("/api/v1/goals")
    body = _assert_problem(response, 500)
    assert "secret internals" not in response.content.decode() and body["title"]


def test_head_and_options(client, plan):
    assert client.head("/api/v1/themes").status_code == 200
    assert client.options("/api/v1/themes")["Allow"] == "GET, HEAD, OPTIONS"


def test_command_revokes_by_its_first_characters(client, users, plan):
    secret = _token("police")
    out = io.StringIO()
    call_command("api_token", user="police", revoke=secret[:10], stdout=out)
    assert ApiToken.objects.get(user=users["police"]).revoked_at is not None
    _assert_problem(client.get("/api/v1/themes", **_auth(secret)), 401)


def test_base_team_series_and_area_filters(client, imported):
    body = client.get("/api/v1/areas/basisteam/indicators/crime_total/series").json()
    assert body["area"] == "basisteam" and body["audience"] == "public" and body["points"] == []
    wijken = client.get("/api/v1/areas?level=wijk&parent=GM0865&page_size=500").json()
    assert wijken["total_items"] > 0 and all(a["parent"] == "GM0865" for a in wijken["results"])
    _assert_problem(client.get("/api/v1/areas/GM0344/indicators/crime_total/series"), 404)  # outside the base team
