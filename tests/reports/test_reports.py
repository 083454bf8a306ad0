"""Council reports on the real plan and open data (plus the labelled test fixture of conftest.world):
PDF (tagged, Dutch, goals and themes, numbers equal to the public dashboard), DOCX, HTML, the
public rules for figures, and the CLI."""

import io
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from ivp.indicators.dashboard import card_for
from ivp.indicators.definitions import INDICATORS
from ivp.plans.models import Theme
from ivp.reports.api import build_report, period_choices, render_report, validate_request

from .conftest import AREAS, PUBLISHED
from .pdfcheck import catalog

pytestmark = pytest.mark.django_db


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _tool(name: str, *args: str, **kwargs) -> str:
    """Run an installed tool (poppler, LibreOffice) by its absolute path on our own temp files."""
    path = shutil.which(name)
    assert path, f"{name} is not installed"
    kwargs.setdefault("timeout", 180)
    return subprocess.run([path, *args], check=True, capture_output=True, text=True,  # noqa: S603 (fixed argv)
                          **kwargs).stdout


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return _tool("pdftotext", "-layout", str(path), "-")


@pytest.mark.parametrize("area", AREAS)
def test_pdf_is_tagged_dutch_and_carries_goals_themes_and_dashboard_numbers(world, area, tmp_path):
    report = build_report(user=world["coordinator"], area_code=area, kind="midterm", period="2023-2024")
    pdf = render_report(report, "pdf").content
    assert pdf.startswith(b"%PDF-")
    cat = catalog(pdf)
    assert b"/StructTreeRoot" in cat
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", cat)
    assert re.search(rb"/Lang\s*\(nl\)", cat)
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    info = _tool("pdfinfo", str(path))
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert report.title in _norm(info.replace("Title:", ""))
    text = _norm(_pdftotext(pdf, tmp_path))
    plan = world["plan"]
    for goal in plan.general_goals.all():
        assert _norm(goal.title)[:40] in text
    for theme in Theme.objects.filter(plan=plan, parent__isnull=True):
        assert _norm(theme.title) in text
    assert re.search(r"pagina 1 van \d+", text)
    # The numbers are the public dashboard's, by construction and in the rendered text.
    card = card_for(AnonymousUser(), INDICATORS[PUBLISHED], "basisteam" if area == "basisteam" else area)
    figure = next(f for f in report.figures if f.code == PUBLISHED)
    latest = next(r for r in card.rows if r["period"] == card.latest.period)
    assert figure.value == latest["rate"] and figure.interval == latest["interval"]
    assert [r.count for r in figure.rows] == [r["count"] for r in card.rows]
    assert [r.rate for r in figure.rows] == [r["rate"] for r in card.rows]
    assert figure.value in text and figure.interval in text
    for row in card.rows:
        assert row["count"] in text
    assert figure.chart_svg == card.chart_svg


def test_figures_without_duiding_are_listed_and_not_shown(world):
    report = build_report(user=world["coordinator"], area_code="GM0865", kind="annual", period="2024")
    shown = {f.code for f in report.figures}
    assert shown == {PUBLISHED}
    withheld = {w.code for w in report.withheld}
    assert withheld and PUBLISHED not in withheld
    html = render_report(report, "html").content.decode()
    section = html.split('id="zonder-duiding"')[1]
    for item in report.withheld:
        assert item.name in section
        assert f'id="fig-{item.code}"' not in html


def test_coordinator_and_councillor_get_the_same_figures(world):
    """The figures follow the public rules, whoever makes the report."""
    a = build_report(user=world["coordinator"], area_code="GM0865", kind="annual", period="2024")
    b = build_report(user=world["advisor"], area_code="GM0865", kind="annual", period="2024")
    assert [(f.code, f.value, [r.count for r in f.rows]) for f in a.figures] == \
        [(f.code, f.value, [r.count for r in f.rows]) for f in b.figures]


def test_municipal_user_cannot_report_on_another_municipality_or_the_base_team(world):
    with pytest.raises(PermissionDenied):
        build_report(user=world["advisor"], area_code="GM0797", kind="annual", period="2024")
    with pytest.raises(PermissionDenied):
        build_report(user=world["advisor"], area_code="basisteam", kind="annual", period="2024")


def test_execution_fund_and_agreements_in_the_vught_report(world):
    report = build_report(user=world["advisor"], area_code="GM0865", kind="midterm", period="2023-2024")
    items = [a for t in report.themes for a in t.activities]
    activity = next(a for a in items if a.title == "Testactiviteit jeugdoverlast Vught")
    assert activity.narrative.startswith("Testvoortgang") and activity.status_date
    assert activity.planned_budget == "€ 12.500,00" and activity.actual_budget == "€ 4.000,00"
    assert activity.milestones and activity.partners
    assert [y.year for y in report.fund.years] == [2023, 2024]
    assert all(y.own_contribution for y in report.fund.years)
    overdue = [a for a in report.agreements if a.overdue]
    assert overdue and overdue[0].title.startswith("Testafspraak")
    assert report.coverage.has_plan and report.coverage.gap_count > 0
    # No council has adopted the seed plan, so the midterm diff says there is nothing to compare with.
    assert report.diff is not None and report.diff.message and not report.diff.changes


def test_base_team_report_summarises_every_municipality(world):
    report = build_report(user=world["coordinator"], area_code="basisteam", kind="annual", period="2024")
    names = [row.name for row in report.execution]
    assert len(names) == 6 and "Vught" in names
    titles = {a.title for t in report.themes for a in t.activities}
    assert {"Testactiviteit jeugdoverlast Vught", "Testproject basisteam (testfixture)"} <= titles
    assert len(report.fund.years[0].contribution_rows) == 5


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.headings, self.lang, self.title = [], [], None, ""
        self._in_title = False
        self.th_without_scope = 0
        self.tables = self.captions = 0
        self.svg = self.svg_title = self.svg_desc = 0
        self.inline_styles = 0
        self.scripts = 0
        self._svg_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "title" and not self._svg_depth:
            self._in_title = True
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "th" and "scope" not in attrs:
            self.th_without_scope += 1
        self.tables += tag == "table"
        self.captions += tag == "caption"
        self.scripts += tag == "script"
        if tag == "svg":
            self.svg += 1
            self._svg_depth += 1
        elif self._svg_depth:
            self.svg_title += tag == "title"
            self.svg_desc += tag == "desc"
        elif "style" in attrs:
            self.inline_styles += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "svg":
            self._svg_depth -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def test_html_document_structure(world):
    report = build_report(user=world["coordinator"], area_code="GM0865", kind="midterm", period="2023-2024")
    html = render_report(report, "html").content.decode()
    parsed = _Structure()
    parsed.feed(html)
    assert parsed.lang == "nl"
    assert parsed.title.strip() == report.title
    assert parsed.headings.count(1) == 1 and parsed.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(parsed.headings, parsed.headings[1:], strict=False))
    assert parsed.tables and parsed.tables == parsed.captions
    assert parsed.th_without_scope == 0
    assert parsed.svg >= 1 and parsed.svg_title == parsed.svg and parsed.svg_desc == parsed.svg
    assert parsed.scripts == 0 and parsed.inline_styles == 0
    assert html.count("<style>") == 1
    for section in report.toc:
        assert f'href="#{section.anchor}"' in html and f'id="{section.anchor}"' in html


def test_in_app_body_has_no_style_element(world):
    from ivp.reports.render.html import render_body

    report = build_report(user=world["coordinator"], area_code="GM0865", kind="annual", period="2024")
    body = render_body(report)
    assert "<style" not in body and "<script" not in body and "<html" not in body
    assert body.count("<h1") == 1


def test_docx_opens_with_headings_tables_and_repeated_header_rows(world, tmp_path):
    import docx
    from docx.oxml.ns import qn

    report = build_report(user=world["coordinator"], area_code="GM0865", kind="midterm", period="2023-2024")
    content = render_report(report, "docx").content
    document = docx.Document(io.BytesIO(content))
    styles = [p.style.name for p in document.paragraphs]
    assert "Heading 1" in styles and "Heading 2" in styles and "Heading 3" in styles
    assert len(document.tables) > 5
    assert document.core_properties.title == report.title
    assert document.core_properties.language == "nl-NL"
    xml = document.element.xml
    assert "w:tblHeader" in xml
    # A4 (11906 x 16838 twips), tables the full text width with fixed column widths, the contents written out as
    # links to the headings' bookmarks (no field to update, no "right-click" text).
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert all(t._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")) == str(text_width) for t in document.tables)
    assert 'w:fldChar' not in xml and "rechtermuisknop" not in xml.lower() and "right-click" not in xml.lower()
    bookmarks = set(re.findall(r'w:bookmarkStart [^>]*w:name="([^"]+)"', xml))
    links = set(re.findall(r'w:hyperlink [^>]*w:anchor="([^"]+)"', xml))
    assert links and links <= bookmarks
    assert "Conclusies en aanbevelingen" in "\n".join(p.text for p in document.paragraphs)
    assert len(document.inline_shapes) >= 1  # the chart as PNG
    text = "\n".join(p.text for p in document.paragraphs)
    for goal in world["plan"].general_goals.all():
        assert goal.title in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_docx_opens_in_libreoffice(world, tmp_path):
    report = build_report(user=world["coordinator"], area_code="basisteam", kind="annual", period="2024")
    source = tmp_path / "report.docx"
    source.write_bytes(render_report(report, "docx").content)
    env = {**os.environ, "HOME": str(tmp_path)}
    _tool("soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
          "--outdir", str(tmp_path), str(source), env=env)
    converted = tmp_path / "report.pdf"
    assert converted.exists() and converted.stat().st_size > 1000
    text = _tool("pdftotext", str(converted), "-")
    assert "Veiligheidsfonds" in text or "Safety fund" in text


def test_docx_starts_from_the_house_style_template(world, tmp_path, settings):
    import docx

    template = docx.Document()
    template.add_paragraph("Huisstijl Vught (testfixture)")
    template.save(tmp_path / "GM0865.docx")
    settings.IVP_REPORT_TEMPLATE_DIR = str(tmp_path)
    report = build_report(user=world["coordinator"], area_code="GM0865", kind="annual", period="2024")
    document = docx.Document(io.BytesIO(render_report(report, "docx").content))
    assert document.paragraphs[0].text == "Huisstijl Vught (testfixture)"


def test_validate_request_and_period_choices(world):
    assert period_choices("midterm") == ["2023-2024", "2025-2026"]
    assert period_choices("annual") == ["2023", "2024", "2025", "2026"]
    validate_request(area_code="GM0865", kind="midterm", period="2023-2024", fmt="pdf")
    with pytest.raises(ValidationError) as error:
        validate_request(area_code="GM9999", kind="yearly", period="2024", fmt="odt")
    assert set(error.value.message_dict) == {"area_code", "kind", "fmt"}
    with pytest.raises(ValidationError) as error:
        validate_request(area_code="basisteam", kind="midterm", period="2024", fmt="pdf")
    assert set(error.value.message_dict) == {"period"}


def test_cli_writes_the_file(world, tmp_path):
    target = tmp_path / "vught.html"
    err = io.StringIO()
    call_command("report", "--area", "GM0865", "--kind", "annual", "--period", "2024", "--format", "html",
                 "-o", str(target), "--user", world["advisor"].username, stderr=err)
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")
    assert "100%" in err.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["vught.html"]  # no temporary file left behind


@pytest.mark.parametrize("args, field", [
    (["--area", "GM9999", "--kind", "annual", "--period", "2024", "--format", "pdf"], "--area"),
    (["--area", "GM0865", "--kind", "yearly", "--period", "2024", "--format", "pdf"], "--kind"),
    (["--area", "GM0865", "--kind", "midterm", "--period", "2024", "--format", "pdf"], "--period"),
    (["--area", "GM0865", "--kind", "annual", "--period", "2024", "--format", "odt"], "--format"),
])
def test_cli_bad_input_gives_a_clear_error_and_no_file(world, tmp_path, args, field):
    target = tmp_path / "out.pdf"
    with pytest.raises(CommandError) as error:
        call_command("report", *args, "-o", str(target), "--user", world["coordinator"].username)
    assert field in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_an_unknown_user_and_a_foreign_area(world, tmp_path):
    target = tmp_path / "out.html"
    with pytest.raises(CommandError):
        call_command("report", "--area", "GM0865", "--kind", "annual", "--period", "2024", "--format", "html",
                     "-o", str(target), "--user", "nobody")
    with pytest.raises(CommandError):
        call_command("report", "--area", "GM0797", "--kind", "annual", "--period", "2024", "--format", "html",
                     "-o", str(target), "--user", world["advisor"].username)
    assert list(tmp_path.iterdir()) == []
