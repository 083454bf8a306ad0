"""The planning-and-control cycle of a council report in a real browser (issue 13): the advisor starts a draft from
the municipality's reports page, writes the college's conclusions, records the college's adoption (the files are then
made once and kept) and downloads the kept PDF; the page passes axe-core. Elements are found by address and field
name, not by their Dutch text."""

import hashlib

import pytest

from ivp.reports.models import CouncilReport, CouncilReportFile

from ..conftest import OWN
from .conftest import axe_violations, format_violations

SUBMIT = "button[type=submit]"


@pytest.mark.usefixtures("priorities")
def test_advisor_writes_conclusions_and_records_the_adoption(open_as, axe_source, plan, settings):
    settings.IVP_REPORT_RUNNER = "inline"
    page = open_as("advisor")
    page.goto(f"/gemeente/{OWN}/rapporten/")
    start = page.locator('main form[action="/rapportage/nieuw/"]')
    start.locator('select[name="council-kind"]').select_option("midterm")
    start.locator('select[name="council-period"]').select_option("2023-2024")
    start.locator(SUBMIT).click()
    report = CouncilReport.objects.get(area_code=OWN, status="concept")  # (the walk's fixture adds an adopted one)
    assert page.url.endswith(f"/rapportage/{report.pk}/")

    page.locator('main textarea[name="conclusions"]').fill("De aanpak werkt (browsertest).")
    page.locator('main form:has(input[name="action"][value="save"]) ' + SUBMIT).click()
    report.refresh_from_db()
    assert report.conclusions == "De aanpak werkt (browsertest)." and report.version == 2

    violations = axe_violations(page, axe_source)
    assert not violations, format_violations("council report (draft)", violations)

    adopt = page.locator('main form:has(input[name="action"][value="adopt"])')
    adopt.locator('input[name="adopted_on"]').fill("2025-02-11")
    adopt.locator('input[name="decision_reference"]').fill("B&W 2025/17")
    adopt.locator(SUBMIT).click()
    report.refresh_from_db()
    assert report.status == "vastgesteld"
    kept = CouncilReportFile.objects.get(report=report, variant="report", fmt="pdf")
    with page.expect_download() as download:
        page.locator(f'main a[href="/rapportage/{report.pk}/report/pdf/"]').click()
    content = open(download.value.path(), "rb").read()  # noqa: PTH123, SIM115
    assert hashlib.sha256(content).hexdigest() == kept.sha256

    violations = axe_violations(page, axe_source)
    assert not violations, format_violations("council report (adopted)", violations)
