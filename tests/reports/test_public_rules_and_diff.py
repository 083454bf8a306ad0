"""The public rules (small counts hidden) on a small self-written fixture, and the proposed
re-prioritisation between two plan versions (a modified copy of the real plan loaded as a concept)."""

import copy
import datetime as dt
import re

import pytest

from ivp.areas.models import Area, Population
from ivp.indicators.models import ImportBatch, Observation
from ivp.indicators.publication import hidden_text
from ivp.indicators.services.interpretations import interpretation_save
from ivp.plans.export import plan_document
from ivp.plans.models import Adoption
from ivp.plans.services import adoption_update, plan_load
from ivp.reports.api import build_report, render_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_counts(plan, vught, users):
    """TEST FIXTURE, not data: Vught with made-up crime counts of 3, 2 and 4 and a made-up population."""
    area = Area.objects.create(code="GM0865", level="gemeente", name="Vught", organisation=vught)
    batch = ImportBatch.objects.create(source=ImportBatch._meta.get_field("source").choices[0][0],
                                       location="testfixture")
    for year, count in ((2022, 3), (2023, 2), (2024, 4)):
        Population.objects.create(area=area, year=year, value=26000 + year, boundary_year=year,
                                  source_table="37230ned")
        Observation.objects.create(table="47013NED", category="0.0.0", area=area, year=year, value=count,
                                   boundary_year=year, batch=batch)
    interpretation_save(actor=users["coordinator"], indicator="crime_total", area=area, period="2024",
                        text="Testduiding (testfixture)", published=True)
    return area


def test_a_suppressed_small_count_never_appears(small_counts, users):
    report = build_report(user=users["coordinator"], area_code="GM0865", kind="annual", period="2024")
    figure = next(f for f in report.figures if f.code == "crime_total")
    assert [r.count for r in figure.rows] == [hidden_text()] * 3
    assert all(r.rate == "-" and r.interval == "-" for r in figure.rows)
    assert figure.value == hidden_text() and figure.chart_svg == "" and figure.chart is None
    html = render_report(report, "html").content.decode()
    section = html.split('id="fig-crime_total"')[1].split("</section>")[0]
    assert hidden_text() in section
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", section)
    assert not {"2", "3", "4"} & {c.strip() for c in cells}


@pytest.fixture
def proposed_version(plan, vught, users):
    """Vught's council adopted version 1; version 2 (concept) changes an ambition and adds a theme
    statement and a local priority (a modified copy of the real plan: test fixture)."""
    adoption = Adoption.objects.get(plan=plan, municipality=vught)
    adoption_update(actor=users["coordinator"], adoption=adoption, status="vastgesteld", date=dt.date(2023, 3, 2),
                    decision_reference="Testbesluit (testfixture)")
    document = plan_document(plan)
    changed = copy.deepcopy(document)
    changed["plan"]["status"] = "concept"
    theme = changed["themes"][0]
    old_ambition = theme["ambitions"][0]
    theme["ambitions"][0] = "Herijkte ambitie na de evaluatie (testfixture)"
    changed["themes"][1]["why_priority"].append("Nieuwe onderbouwing na de evaluatie (testfixture)")
    for municipality in changed["municipalities"]:
        if municipality["code"] == "GM0865":
            municipality["adoption"] = {"status": "in_behandeling", "date": None, "decision_reference": ""}
            municipality["local_priorities"].append({"title": "Testprioriteit ondermijning (testfixture)",
                                                     "domain": "sociaal", "description": ""})
    # The export already holds the adoption (the app edit), so nothing is buried by the new version.
    new = plan_load(actor=None, document=changed, replace_app_edits=True).plan
    return {"old_ambition": old_ambition, "theme": theme, "new": new}


def test_midterm_diff_lists_a_changed_ambition_and_an_added_statement(proposed_version, users):
    report = build_report(user=users["advisor"], area_code="GM0865", kind="midterm", period="2023-2024")
    diff = report.diff
    assert "1" in diff.adopted_label and "2" in diff.proposed_label
    changed = [c for c in diff.changes if c.change == "changed"]
    assert any(c.old == proposed_version["old_ambition"] and c.new.startswith("Herijkte ambitie") for c in changed)
    added = [c for c in diff.changes if c.change == "added"]
    assert any(c.new.startswith("Nieuwe onderbouwing") for c in added)
    assert any(c.where.startswith("Testprioriteit ondermijning") for c in added)
    # The report itself reads the adopted version: the cover names version 1.
    assert "1" in report.plan_version
    html = render_report(report, "html").content.decode()
    assert "Herijkte ambitie na de evaluatie (testfixture)" in html
    assert "<del>" in html and "<ins>" in html


def test_midterm_without_adoption_or_proposal_says_so(plan, users):
    report = build_report(user=users["advisor"], area_code="GM0865", kind="midterm", period="2023-2024")
    assert report.diff.changes == [] and report.diff.adopted_label == ""
    assert report.diff.message


def test_midterm_without_proposal_says_so_in_council_language(plan, vught, users):
    adoption = Adoption.objects.get(plan=plan, municipality=vught)
    adoption_update(actor=users["coordinator"], adoption=adoption, status="vastgesteld", date=dt.date(2023, 3, 2),
                    decision_reference="")
    report = build_report(user=users["advisor"], area_code="GM0865", kind="midterm", period="2023-2024")
    assert report.diff.adopted_label and not report.diff.proposed_label
    message = report.diff.message
    assert "no later version" in message or "geen latere versie" in message
    # Council language: no commands or load dates (issue 13); the how-to is for the operators' documentation.
    assert "ivp " not in message and "load_plan" not in message and "yaml" not in message
    assert report.diff.adopted_label.startswith(("versie 1", "version 1")) and "loaded" not in report.plan_version
