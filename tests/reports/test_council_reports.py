"""Issue 13: council-ready reports and the planning-and-control cycle, checked as the issue checks them, on the real
plan and open data (plus the labelled fixture of conftest.world, whose status updates describe 2024):

- `ivp report ... --kind midterm --period 2023-2024 --format pdf`: council language outside the appendix "Bronnen en
  methode", a chapter "Conclusies en aanbevelingen", statuses dated within 2023-2024 (as-of dates);
- conclusions and approval: concept -> adopted by the college -> presented to the council; an adopted report is
  frozen and downloads byte-identical after the data changed; a change needs a new draft version;
- the council information letter (raadsinformatiebrief) through the same pipeline.
"""

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.execution.services import status_update_add
from ivp.reports import services
from ivp.reports.api import build_report, render_report
from ivp.reports.models import CouncilReport, CouncilReportFile, ReportRun

pytestmark = pytest.mark.django_db

BANNED = ("ivp ", "export_plan", "load_plan", "In productie", "geladen op", "productie", "geïmporteerd",
          "offline", "opendataservice")
TABLE_ID = re.compile(r"\b\d{5}(?:NED|ned)\b")


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler) is not installed"
    text = subprocess.run([tool, "-layout", str(path), "-"], check=True, capture_output=True,  # noqa: S603
                          text=True, timeout=120).stdout
    return re.sub(r"\s+", " ", text)


def _pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    info = subprocess.run([shutil.which("pdfinfo"), str(path)], check=True, capture_output=True,  # noqa: S603
                          text=True, timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _body_and_appendix(text: str) -> tuple[str, str]:
    """Split the report text at its appendix "Bronnen en methode" (the last occurrence: the first is the contents)."""
    at = text.rindex("Bronnen en methode")
    return text[:at], text[at:]


def _assert_council_language(body: str, world) -> None:
    lowered = body.lower()
    for word in BANNED:
        assert word.lower() not in lowered, word
    assert not TABLE_ID.search(body), TABLE_ID.search(body)
    for user in (world["coordinator"], world["advisor"]):
        assert user.username not in body


def test_the_issue_check_cli_midterm_pdf(world, tmp_path):
    """The issue's check: the CLI's midterm PDF of Vught for 2023-2024."""
    target = tmp_path / "vught.pdf"
    call_command("report", "--user", world["coordinator"].username, "--area", "GM0865", "--kind", "midterm",
                 "--period", "2023-2024", "--format", "pdf", "-o", str(target))
    text = _pdftotext(target.read_bytes(), tmp_path)
    body, appendix = _body_and_appendix(text)
    _assert_council_language(body, world)
    assert TABLE_ID.search(appendix), "the table ids are in the appendix"
    assert body.count("Conclusies en aanbevelingen") >= 2  # in the contents and as a chapter
    dates = re.findall(r"\(per (\d{2})-(\d{2})-(\d{4})\)", body)
    assert dates, "statuses carry their as-of date"
    assert all(year in ("2023", "2024") for _d, _m, year in dates), dates
    assert "Peildatum 31-12-2024" in body
    # The fixture's newer status (entered with today's as-of date) is not the state as of 31-12-2024.
    assert "Latere stand" not in body and "Testvoortgang" in body


def test_a_report_per_an_earlier_date_shows_the_state_of_that_day(world):
    early = build_report(user=world["coordinator"], area_code="GM0865", kind="midterm", period="2023-2024",
                         as_of=dt.date(2024, 6, 30))
    item = next(a for t in early.themes for a in t.activities if a.title == "Testactiviteit jeugdoverlast Vught")
    assert (item.status_code, item.status_date) == ("", "")  # no update described a day before 30-06-2024
    # The milestone is due 1 June 2024: overdue on 30 June 2024 without completion, open on 31 May.
    assert [m.state_code for m in item.milestones] == ["overdue"]
    may = build_report(user=world["coordinator"], area_code="GM0865", kind="midterm", period="2023-2024",
                       as_of=dt.date(2024, 5, 31))
    late = next(a for t in may.themes for a in t.activities if a.title == item.title)
    assert [m.state_code for m in late.milestones] == ["open"]
    with pytest.raises(ValidationError):
        build_report(user=world["coordinator"], area_code="GM0865", kind="midterm", period="2023-2024",
                     as_of=dt.date(2025, 1, 1))


def test_the_web_page_and_the_report_agree_on_overdue_milestones(world):
    from ivp.execution.asof import milestone_state

    report = build_report(user=world["coordinator"], area_code="GM0865", kind="midterm", period="2023-2024")
    item = next(a for t in report.themes for a in t.activities if a.title == "Testactiviteit jeugdoverlast Vught")
    milestone = world["activity"].milestones.get()
    assert [m.state_code for m in item.milestones] == [milestone_state(milestone, report.as_of).value] == ["overdue"]


def test_cli_as_of_option(world, tmp_path):
    target = tmp_path / "r.html"
    call_command("report", "--user", world["coordinator"].username, "--area", "GM0865", "--kind", "midterm",
                 "--period", "2023-2024", "--format", "html", "--as-of", "2024-06-30", "-o", str(target))
    assert "30-06-2024" in target.read_text()
    with pytest.raises(CommandError, match="--as-of"):
        call_command("report", "--user", world["coordinator"].username, "--area", "GM0865", "--kind", "midterm",
                     "--period", "2023-2024", "--format", "html", "--as-of", "31-12-2024", "-o", str(target))


def test_public_pages_name_the_publisher_and_keep_table_ids_for_sources_and_method(world, client):
    from ivp.indicators.publication import FigureGate  # noqa: F401  (the public view: an anonymous client)

    page = client.get(reverse("web:municipality_dashboard", kwargs={"cbs_code": "GM0865"})).content.decode()
    assert not TABLE_ID.search(re.sub(r"<[^>]+>", " ", page))
    detail = client.get(reverse("web:indicator_detail", kwargs={"area_code": "GM0865",
                                                                "indicator": "crime_total"})).content.decode()
    visible = re.sub(r"<[^>]+>", " ", detail)
    before, _sep, sources = visible.rpartition("Bronnen en methode")
    assert TABLE_ID.search(sources) and not TABLE_ID.search(before)
    assert "Politie (data.politie.nl)" in before


# --- Conclusions, approval, freezing ----------------------------------------------------------------------------


def _draft(world, **values):
    report = services.council_report_create(actor=world["advisor"], area_code="GM0865", kind="midterm",
                                            period="2023-2024")
    return services.council_report_save(
        actor=world["advisor"], report=report, expected_version=report.version,
        conclusions=values.get("conclusions", "Het college concludeert (testfixture) dat de aanpak werkt.\n\n"
                                              "Aanbeveling: doorgaan."),
        theme_conclusions=values.get("themes", {world["plan"].themes.filter(parent__isnull=True)
                                                .order_by("order").first().code: "Thema-conclusie (testfixture)."}))


def test_conclusions_are_written_by_the_advisor_with_optimistic_locking(world, users_for_reports):
    report = _draft(world)
    assert report.version == 2 and report.is_concept
    model = build_report(user=world["advisor"], area_code="GM0865", kind="midterm", period="2023-2024",
                         council_report=report)
    assert model.conclusions.overall == ["Het college concludeert (testfixture) dat de aanpak werkt.",
                                         "Aanbeveling: doorgaan."]
    assert [t.paragraphs for t in model.conclusions.themes] == [["Thema-conclusie (testfixture)."]]
    assert model.is_concept and model.status_label == "concept"
    with pytest.raises(services.StaleEdit):
        services.council_report_save(actor=world["coordinator"], report=report, expected_version=1,
                                     conclusions="Oude versie (testfixture)")
    assert CouncilReport.objects.get(pk=report.pk).conclusions.startswith("Het college")
    for user in (users_for_reports["councillor"], users_for_reports["other_advisor"]):
        with pytest.raises(PermissionDenied):
            services.council_report_save(actor=user, report=report, expected_version=report.version,
                                         conclusions="x")
    with pytest.raises(ValidationError):
        services.council_report_create(actor=world["advisor"], area_code="GM0865", kind="midterm",
                                       period="2023-2024")  # a draft exists


def test_an_adopted_report_is_frozen_and_downloads_byte_identical(world, client, tmp_path):
    report = _draft(world)
    adopted = services.council_report_adopt(actor=world["advisor"], report=report, expected_version=report.version,
                                            adopted_on=dt.date(2025, 2, 11), decision_reference="B&W 2025/17")
    files = {(f.variant, f.fmt): f for f in CouncilReportFile.objects.filter(report=adopted)}
    assert set(files) == {(v, f) for v in ("report", "letter") for f in ("html", "pdf", "docx")}
    for kept in files.values():
        assert hashlib.sha256(bytes(kept.content)).hexdigest() == kept.sha256
    pdf_text = _pdftotext(bytes(files["report", "pdf"].content), tmp_path)
    assert "vastgesteld door het college op 11-02-2025 (besluit B&W 2025/17)" in pdf_text
    assert "· CONCEPT" not in pdf_text

    client.force_login(world["advisor"])
    url = reverse("web:council_report_download", kwargs={"pk": adopted.pk, "variant": "report", "fmt": "pdf"})
    first = client.get(url).content
    # The data change afterwards: a new status update, and the draft can no longer change.
    status_update_add(actor=world["advisor"], activity=world["activity"], status="risico",
                      narrative="Na de vaststelling (testfixture).", as_of=dt.date(2024, 12, 30))
    with pytest.raises(ValidationError):
        services.council_report_save(actor=world["advisor"], report=adopted, expected_version=adopted.version,
                                     conclusions="Na de vaststelling (testfixture)")
    second = client.get(url).content
    assert first == second == bytes(files["report", "pdf"].content)
    # Nothing makes it again: a report run is refused, the CLI writes the kept file.
    with pytest.raises(ValidationError):
        services.report_run_request(actor=world["advisor"], area_code="GM0865", kind="midterm", period="2023-2024",
                                    fmt="pdf")
    assert not ReportRun.objects.filter(area_code="GM0865", kind="midterm").exists()
    target = tmp_path / "cli.docx"
    call_command("report", "--user", world["advisor"].username, "--area", "GM0865", "--kind", "midterm",
                 "--period", "2023-2024", "--format", "docx", "-o", str(target))
    assert target.read_bytes() == bytes(files["report", "docx"].content)
    # The letter refers to the kept PDF by its checksum.
    letter = _pdftotext(bytes(files["letter", "pdf"].content), tmp_path)
    assert files["report", "pdf"].sha256 in letter.replace(" ", "")


def test_present_new_version_and_history(world, client):
    report = _draft(world)
    adopted = services.council_report_adopt(actor=world["advisor"], report=report, expected_version=report.version,
                                            adopted_on=dt.date(2025, 2, 11), decision_reference="B&W 2025/17")
    with pytest.raises(ValidationError):
        services.council_report_present(actor=world["advisor"], report=adopted, expected_version=adopted.version,
                                        presented_on=dt.date(2025, 2, 1))  # before the adoption
    presented = services.council_report_present(actor=world["advisor"], report=adopted,
                                                expected_version=adopted.version, presented_on=dt.date(2025, 3, 3))
    assert presented.status == "aangeboden"
    kept = {f.pk: f.sha256 for f in CouncilReportFile.objects.filter(report=presented)}
    second = services.council_report_new_version(actor=world["coordinator"], report=presented)
    assert (second.number, second.status, second.conclusions) == (2, "concept", presented.conclusions)
    assert {f.pk: f.sha256 for f in CouncilReportFile.objects.filter(report=presented)} == kept
    actions = list(AuditEvent.objects.for_object(presented).filter(result="success").order_by("occurred_at")
                   .values_list("action", flat=True))
    assert actions == ["council_report.create", "council_report.save", "council_report.adopt",
                       "council_report.present"]
    client.force_login(world["coordinator"])
    history = client.get(reverse("web:object_history", kwargs={"kind": "rapportage", "pk": presented.pk}))
    assert history.status_code == 200 and "Rapportage vastgesteld door het college" in history.content.decode()


def test_the_council_report_page_for_the_advisor_and_the_councillor(world, client, users_for_reports):
    report = _draft(world)
    client.force_login(world["advisor"])
    page = client.get(reverse("web:council_report_detail", kwargs={"pk": report.pk}))
    assert page.status_code == 200 and 'name="conclusions"' in page.content.decode()
    response = client.post(reverse("web:council_report_detail", kwargs={"pk": report.pk}), {
        "action": "save", "conclusions": "Nieuwe tekst (testfixture)", "as_of": "2024-12-31",
        "version": str(report.version - 1)})
    assert response.status_code == 409
    client.force_login(users_for_reports["councillor"])
    page = client.get(reverse("web:council_report_detail", kwargs={"pk": report.pk}))
    assert page.status_code == 200 and 'name="conclusions"' not in page.content.decode()
    refused = client.post(reverse("web:council_report_detail", kwargs={"pk": report.pk}),
                          {"action": "save", "conclusions": "x", "as_of": "2024-12-31", "version": "2"})
    assert refused.status_code == 403


# --- The council information letter ---------------------------------------------------------------------------


def test_the_council_information_letter_in_three_formats(world, tmp_path):
    import docx

    report = _draft(world)
    letter = build_report(user=world["advisor"], area_code="GM0865", kind="letter", period="2023-2024",
                          council_report=report)
    assert letter.variant == "letter" and letter.title.startswith("Raadsinformatiebrief")
    pdf = render_report(letter, "pdf").content
    assert 2 <= _pages(pdf, tmp_path) <= 3
    text = _pdftotext(pdf, tmp_path)
    _assert_council_language(text, world)
    assert "Kernpunten" in text and "Conclusies en aanbevelingen" in text
    assert "Het college concludeert (testfixture)" in text
    assert "tussentijdse-evaluatie-ivp-vught-2023-2024.pdf" in text  # the reference to the full report
    html = render_report(letter, "html").content.decode()
    assert html.count("<h1") == 1 and "De volledige rapportage" in html
    document = docx.Document(io.BytesIO(render_report(letter, "docx").content))
    assert document.sections[0].page_width.twips == 11906
    assert render_report(letter, "pdf").filename.startswith("raadsinformatiebrief-")


def test_cli_makes_the_letter_by_its_dutch_name(world, tmp_path):
    target = tmp_path / "brief.html"
    call_command("report", "--user", world["coordinator"].username, "--area", "GM0865", "--kind",
                 "raadsinformatiebrief", "--period", "2024", "--format", "html", "-o", str(target))
    assert "Raadsinformatiebrief" in target.read_text()


# --- One definition of an empty cell ----------------------------------------------------------------------------


def test_the_report_and_the_coverage_page_count_empty_cells_alike(world, client):
    from ivp.execution.coverage import coverage_matrix

    report = build_report(user=world["advisor"], area_code="GM0865", kind="midterm", period="2023-2024")
    coverage = coverage_matrix(world["advisor"], world["plan"], 2023)
    vught = world["vught"]
    assert report.coverage.gap_count == coverage.empty_cells_of([vught.pk])
    assert report.coverage.gap_scope.startswith(f"{report.coverage.gap_count} lege cel")
    assert "van Vught" in report.coverage.gap_scope and "lege cel is" in report.coverage.gap_definition
    client.force_login(world["advisor"])
    page = client.get(reverse("web:coverage_matrix") + "?periode=2023").content.decode()
    assert f"Vught: {report.coverage.gap_count}" in page and "lege cel is" in page


@pytest.fixture
def users_for_reports(world):
    from ivp.core.models import Organisation
    from ivp.core.roles import Role
    from tests.conftest import make_user

    return {"councillor": make_user("report-councillor-vught", world["vught"], Role.COUNCILLOR),
            "other_advisor": make_user("report-advisor-heusden", Organisation.objects.get(cbs_code="GM0797"),
                                       Role.ADVISOR)}
