"""Public pages and downloads (issue 16, ADR 0020): anonymous visitors get content or a Dutch explanation, never a
login form; non-public activities, internal explanations, staff names and unpresented reports never appear; figures
and CSVs equal the publication gate's public view; the CSVs open in Dutch Excel and are formula-safe; the national
comparison equals the snapshot."""

import csv
import datetime as dt
import hashlib
import io

import pytest
from django.urls import reverse

from ivp.execution.services import activity_create, execution_plan_create, status_update_add
from ivp.indicators.comparison import public_comparison
from ivp.indicators.publication import FigureGate
from ivp.indicators.series import indicator_series
from ivp.indicators.services.interpretations import interpretation_save
from ivp.reports.models import CouncilReport, CouncilReportFile

from ..conftest import SHARED_DATA

pytestmark = pytest.mark.django_db

NO_ACTIVITIES = "De gemeente heeft nog geen activiteiten openbaar gemaakt"
NO_FIGURES = "Cijfers verschijnen hier zodra de gemeente en de politie er een duiding bij hebben gepubliceerd"
NO_REPORTS = "Er is nog geen rapportage aan de raad aangeboden"
SIGN_IN = "Een werkpagina voor de veiligheidspartners"


def _public_urls(code="GM0865"):
    return [
        reverse("web:public_index"),
        reverse("web:public_landing", kwargs={"scope": code}),
        reverse("web:public_landing", kwargs={"scope": "basisteam"}),
        reverse("web:public_activities", kwargs={"scope": code}),
        reverse("web:public_activities", kwargs={"scope": "basisteam"}),
        reverse("web:public_reports", kwargs={"scope": code}),
        reverse("web:public_comparison", kwargs={"scope": code}),
        reverse("web:public_fund"),
        reverse("web:public_fund_year", kwargs={"year": 2024}),
    ]


@pytest.fixture
def activities(plan, vught, users):
    """Vught's execution plan with a public activity (a public and an internal explanation) and an internal one whose
    title starts like a spreadsheet formula. Test fixtures, not data."""
    coordinator = users["coordinator"]
    execution_plan = execution_plan_create(actor=coordinator, plan=plan, municipality=vught, period_start=2023)
    lens = plan.focus_lenses.order_by("number").first()
    theme = plan.themes.order_by("order").first()
    public = activity_create(actor=coordinator, execution_plan=execution_plan, title="=HYPERLINK(\"x\") buurtpreventie",
                             owner=users["advisor"], focus_lenses=[lens], themes=[theme],
                             planned_budget_cents=1_234_56, is_public=True, description="Testomschrijving openbaar")
    status_update_add(actor=coordinator, activity=public, status="risico", narrative="Openbare testtoelichting",
                      as_of=dt.date(2023, 12, 31), narrative_public=True)
    status_update_add(actor=coordinator, activity=public, status="op_koers", narrative="Geheime testtoelichting",
                      as_of=dt.date(2024, 6, 30))
    internal = activity_create(actor=coordinator, execution_plan=execution_plan, title="Interne testactiviteit",
                               owner=coordinator, focus_lenses=[lens])
    return {"public": public, "internal": internal}


def _report(vught, users, *, status, number=1):
    report = CouncilReport.objects.create(
        municipality=vught, area_code="GM0865", kind="annual", period="2024", number=number,
        as_of=dt.date(2024, 12, 31), status=status, adopted_on=dt.date(2025, 2, 1), decision_reference="Testbesluit",
        presented_on=dt.date(2025, 3, 1) if status == "aangeboden" else None, created_by=users["coordinator"])
    content = f"<!DOCTYPE html><html><body><h1>Testrapport {number}</h1></body></html>".encode()
    CouncilReportFile.objects.create(report=report, variant="report", fmt="html", content=content,
                                     filename=f"testrapport-{number}.html", content_type="text/html; charset=utf-8",
                                     size=len(content), sha256=hashlib.sha256(content).hexdigest())
    return report


def _csv(response):
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark for Excel"
    text = body.decode("utf-8-sig")
    lines = text.splitlines()
    notes = [line for line in lines if line.startswith("# ")]
    rows = list(csv.reader(io.StringIO("\n".join(line for line in lines if not line.startswith("# "))),
                           delimiter=";"))
    return notes, rows


# --- anonymous access ----------------------------------------------------------------------------------------

def test_every_public_page_answers_anonymous_visitors_with_an_explanation(client, plan, users):
    for url in _public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert "/inloggen/?next" not in response.get("Location", "")
    landing = client.get(reverse("web:public_landing", kwargs={"scope": "GM0865"})).content.decode()
    assert NO_ACTIVITIES in landing and NO_FIGURES in landing and NO_REPORTS in landing
    assert NO_ACTIVITIES in client.get(reverse("web:public_activities", kwargs={"scope": "GM0865"})).content.decode()
    assert NO_REPORTS in client.get(reverse("web:public_reports", kwargs={"scope": "GM0865"})).content.decode()
    assert NO_FIGURES in client.get(reverse("web:public_comparison", kwargs={"scope": "GM0865"})).content.decode()


def test_internal_pages_answer_anonymous_gets_with_the_public_variant_or_an_explanation(client, activities, vught,
                                                                                          users):
    report = _report(vught, users, status="vastgesteld")
    public_variant = {
        reverse("web:municipality_execution", kwargs={"cbs_code": "GM0865"}): "Testomschrijving openbaar",
        reverse("web:base_team_execution"): NO_ACTIVITIES,
        reverse("web:municipality_reports", kwargs={"cbs_code": "GM0865"}): NO_REPORTS,
        reverse("web:base_team_reports"): NO_REPORTS,
        reverse("web:budget_overview"): 'id="fund-details-note"',
        reverse("web:budget_year", kwargs={"year": 2024}): 'id="fund-details-note"',
        reverse("web:budget_municipality", kwargs={"cbs_code": "GM0865"}): 'id="fund-details-note"',
        reverse("web:execution_overview"): SIGN_IN,
        reverse("web:activity_detail", kwargs={"pk": activities["internal"].pk}): SIGN_IN,
        reverse("web:council_report_detail", kwargs={"pk": report.pk}): SIGN_IN,
        reverse("web:budget_history"): SIGN_IN,
    }
    for url, text in public_variant.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    explanation = client.get(reverse("web:activity_detail", kwargs={"pk": activities["internal"].pk})).content.decode()
    assert "Interne testactiviteit" not in explanation
    assert reverse("web:login") + "?next=" in explanation
    # Writes stay behind the login.
    response = client.post(reverse("web:activity_status_add", kwargs={"pk": activities["public"].pk}), {})
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_signed_in_users_keep_their_internal_pages(client, users, activities):
    client.force_login(users["coordinator"])
    url = reverse("web:municipality_execution", kwargs={"cbs_code": "GM0865"}) + "?periode=2023"
    text = client.get(url).content.decode()
    assert "Interne testactiviteit" in text  # the working page, not the public variant


# --- what is public ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["anonymous", "councillor", "partner", "coordinator"])
def test_only_public_activities_and_public_explanations_appear(client, users, activities, role):
    if users[role] is not None:
        client.force_login(users[role])
    for url in (reverse("web:public_activities", kwargs={"scope": "GM0865"}),
                reverse("web:public_landing", kwargs={"scope": "GM0865"})):
        text = client.get(url).content.decode()
        text = text[text.index("<main"):text.index("</main>")]  # the header names who is signed in
        assert "buurtpreventie" in text
        assert "Interne testactiviteit" not in text
        assert "Geheime testtoelichting" not in text
        for person in (users["advisor"], users["coordinator"]):
            assert person.get_username() not in text and (not person.last_name or person.last_name not in text)
    page = client.get(reverse("web:public_activities", kwargs={"scope": "GM0865"})).content.decode()
    assert "Testomschrijving openbaar" in page and "op koers" in page
    end_2023 = client.get(reverse("web:public_activities", kwargs={"scope": "GM0865"}) + "?peildatum=2023-12-31")
    assert "Openbare testtoelichting" in end_2023.content.decode()
    assert "risico" in end_2023.content.decode()


def test_only_reports_presented_to_the_council_and_their_kept_files(client, vught, users):
    adopted = _report(vught, users, status="vastgesteld", number=1)
    url = reverse("web:public_reports", kwargs={"scope": "GM0865"})
    assert NO_REPORTS in client.get(url).content.decode()
    download = reverse("web:public_report_download", kwargs={"pk": adopted.pk, "variant": "report", "fmt": "html"})
    assert client.get(download).status_code == 404
    presented = _report(vught, users, status="aangeboden", number=2)
    text = client.get(url).content.decode()
    assert "aangeboden aan de raad op 1 maart 2025" in text
    download = reverse("web:public_report_download", kwargs={"pk": presented.pk, "variant": "report", "fmt": "html"})
    assert download in text
    response = client.get(download)
    assert response.status_code == 200
    assert response.content == bytes(presented.files.get().content)
    assert "attachment" in response["Content-Disposition"]


def test_fund_page_shows_totals_and_contributions_but_no_allocations(client, users, populations):
    from ivp.budget import services as fund_services

    fund_services.allocation_create(actor=users["coordinator"], year=2024, kind="project",
                                    title="Geheime testtoewijzing leverancier", amount_cents=1_000_00, beneficiary=None)
    text = client.get(reverse("web:public_fund_year", kwargs={"year": 2024})).content.decode()
    assert "Geheime testtoewijzing" not in text
    assert "€ 1.000,00" in text  # allocated in total
    for name in ("Boxtel", "Heusden", "Meierijstad", "Sint-Michielsgestel", "Vught"):
        assert name in text


# --- figures through the gate ------------------------------------------------------------------------------------

def _publish(users, code="GM0865", period="2024"):
    from ivp.areas.models import Area

    interpretation_save(actor=users["coordinator"], indicator="crime_total", area=Area.objects.get(code=code),
                        period=period, text="Testduiding (testfixture)", published=True)


def test_comparison_waits_for_the_duiding_then_equals_the_gate(client, users, imported):
    url = reverse("web:public_comparison", kwargs={"scope": "GM0865"})
    csv_url = reverse("web:public_comparison_csv", kwargs={"scope": "GM0865"})
    assert NO_FIGURES in client.get(url).content.decode()
    notes, rows = _csv(client.get(csv_url))
    assert rows == [["gebied", "code", "aantal", "inwoners op 1 januari", "per 1.000 inwoners", "95%-interval, "
                     "ondergrens", "95%-interval, bovengrens", "oordeel"]]
    assert not any("986" in note for note in notes)
    _publish(users)
    view = FigureGate.public().series(indicator_series("crime_total", "GM0865"))
    latest = view.latest
    text = client.get(url).content.decode()
    assert f"{latest.count:,}".replace(",", ".") in text
    _notes, rows = _csv(client.get(csv_url))
    own = rows[1]
    assert own[:4] == ["Vught", "GM0865", str(latest.count), str(latest.population)]
    assert own[4] == f"{latest.rate:.1f}".replace(".", ",")
    landing = client.get(reverse("web:public_landing", kwargs={"scope": "GM0865"})).content.decode()
    assert NO_FIGURES not in landing and f"{latest.rate:.1f}".replace(".", ",") in landing


def test_national_values_equal_the_snapshot(users, imported):
    _publish(users)
    comparison = public_comparison("GM0865")
    with open(SHARED_DATA / "crime" / "crime_total_gemeente_47013_2022_2024_nl.csv", encoding="utf-8") as f:
        national = {int(r["jaar"]): int(r["geregistreerde_misdrijven"]) for r in csv.DictReader(f)
                    if r["gm_code"] == "NL01"}
    with open(SHARED_DATA / "population" / "population_gemeente_37230_2002_2024_nl.csv", encoding="utf-8") as f:
        inhabitants = sum(int(r["bevolking_begin_jaar"]) for r in csv.DictReader(f)
                          if int(r["jaar"]) == comparison.year and r["bevolking_begin_jaar"])
    assert comparison.year == 2024
    assert comparison.national.count == national[2024] == 805_559
    assert comparison.national.population == inhabitants
    assert comparison.national.rate == pytest.approx(national[2024] / inhabitants * 1000)
    assert comparison.national.lower < comparison.national.rate < comparison.national.upper
    # Municipalities of similar size: 80-125 % of Vught's inhabitants, Vught itself not among them.
    own = comparison.own.population
    assert comparison.peers and all(0.8 * own <= p.population <= 1.25 * own for p in comparison.peers)
    assert "GM0865" not in {p.code for p in comparison.peers}
    assert comparison.peer_pooled.count == sum(p.count for p in comparison.peers)
    assert "stedelijkheid" in comparison.urbanity_note


def test_a_hidden_figure_hides_the_comparison_and_its_csv(client, users, imported, monkeypatch):
    _publish(users)
    monkeypatch.setattr(FigureGate, "cell_hidden", lambda self, *args, **kwargs: not self.internal)
    comparison = public_comparison("GM0865")
    assert not comparison.shown and comparison.own is None
    _notes, rows = _csv(client.get(reverse("web:public_comparison_csv", kwargs={"scope": "GM0865"})))
    assert len(rows) == 1  # the header only: the CSV never shows what the page hides
    text = client.get(reverse("web:public_comparison", kwargs={"scope": "GM0865"})).content.decode()
    assert NO_FIGURES in text


# --- CSV format ---------------------------------------------------------------------------------------------------

def test_activities_csv_for_dutch_excel_and_formula_safe(client, activities):
    response = client.get(reverse("web:public_activities_csv", kwargs={"scope": "GM0865"}))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    notes, rows = _csv(response)
    assert notes and any("Stand per" in note for note in notes)
    header, *data = rows
    assert header[0] == "activiteit" and len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert row["activiteit"].startswith("'=HYPERLINK")  # neutralised (ivp.core.tabular)
    assert row["begroot bedrag (euro)"] == "1234,56"  # decimal comma, no thousands separator
    assert row["verantwoordelijke organisatie"] == "Vught"
    assert row["toelichting"] == ""  # the latest explanation is internal
    assert "Interne testactiviteit" not in response.content.decode("utf-8-sig")


def test_fund_csv_for_dutch_excel(client, populations):
    notes, rows = _csv(client.get(reverse("web:public_fund_csv", kwargs={"year": 2024})))
    assert any("Veiligheidsfonds" in note for note in notes)
    header, *data = rows
    assert header[0] == "gemeente" and len(data) == 6  # five municipalities and the total
    vught = next(r for r in data if r[1] == "GM0865")
    assert vught[2] == "32356" or vught[2].isdigit()
    assert "," in vught[4] and "." not in vught[4]


def test_figures_csv_equals_the_gate_and_hides_what_it_hides(client, users, imported, monkeypatch):
    url = reverse("web:public_figures_csv", kwargs={"scope": "GM0865"})
    _notes, rows = _csv(client.get(url))
    crime = [r for r in rows[1:] if r[1] == "crime_total"]
    assert len(crime) == 1 and crime[0][3] == "" and "duiding" in crime[0][-1]  # nothing before the duiding
    _publish(users)
    view = FigureGate.public().series(indicator_series("crime_total", "GM0865"))
    _notes, rows = _csv(client.get(url))
    crime = [r for r in rows[1:] if r[1] == "crime_total"]
    assert [(int(r[2]), int(r[3])) for r in crime] == [(p.year, p.count) for p in view.points if p.published]
    assert all(int(r[2]) <= 2024 for r in crime)
    monkeypatch.setattr(FigureGate, "cell_hidden", lambda self, *args, **kwargs: not self.internal)
    _notes, rows = _csv(client.get(url))
    crime = [r for r in rows[1:] if r[1] == "crime_total"]
    assert crime and all(r[3] == "afgeschermd" and r[5] == "" for r in crime)
