"""Council reports in the open API: public once presented to the council (metadata and the kept files, byte for
byte); drafts only for token owners who read them on the report pages."""

import datetime as dt
import hashlib

import pytest

from ivp.api.services import api_token_create
from ivp.core.models import Organisation
from ivp.reports.models import CouncilReport, CouncilReportFile, CouncilReportStatus

pytestmark = pytest.mark.django_db


def draft_report(author, area_code: str, *, status: str = CouncilReportStatus.CONCEPT,
                 number: int = 1) -> CouncilReport:
    """A council report row (test fixture: written directly, not through adoption's rendering)."""
    return CouncilReport.objects.create(
        municipality=Organisation.objects.get(cbs_code=area_code), area_code=area_code, kind="annual",
        period="2024", number=number, as_of=dt.date(2024, 12, 31), status=status, created_by=author,
        adopted_on=dt.date(2025, 3, 1) if status != CouncilReportStatus.CONCEPT else None,
        presented_on=dt.date(2025, 3, 20) if status == CouncilReportStatus.PRESENTED else None)


def _kept_file(report) -> bytes:
    content = b"%PDF-1.7 test fixture, not a real report"
    CouncilReportFile.objects.create(report=report, variant="report", fmt="pdf", content=content,
                                     filename="jaarverslag-2024.pdf", content_type="application/pdf",
                                     size=len(content), sha256=hashlib.sha256(content).hexdigest())
    return content


def test_only_presented_reports_are_public(client, users):
    coordinator = users["coordinator"]
    draft = draft_report(coordinator, "GM0865")
    adopted = draft_report(coordinator, "GM0797", status=CouncilReportStatus.ADOPTED)
    presented = draft_report(coordinator, "GM0757", status=CouncilReportStatus.PRESENTED)
    content = _kept_file(presented)
    listed = client.get("/api/v1/reports").json()["results"]
    assert [r["id"] for r in listed] == [presented.pk]
    assert listed[0]["status"] == "aangeboden" and listed[0]["presented_on"] == "2025-03-20"
    link = listed[0]["files"][0]["_links"]["download"]["href"]
    download = client.get(link)
    assert download.status_code == 200 and download.content == content
    assert download["Content-Type"] == "application/pdf"
    for hidden in (draft, adopted):
        assert client.get(f"/api/v1/reports/{hidden.pk}").status_code == 404
    assert client.get(f"/api/v1/reports/{presented.pk}/files/report/docx").status_code == 404


def test_a_token_also_sees_the_drafts_its_owner_reads(client, users):
    draft = draft_report(users["coordinator"], "GM0865")
    secret = api_token_create(actor=users["councillor"], user=users["councillor"], name="test")[1]
    response = client.get("/api/v1/reports", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert [r["id"] for r in response.json()["results"]] == [draft.pk]
    secret = api_token_create(actor=users["partner"], user=users["partner"], name="test")[1]
    assert client.get(f"/api/v1/reports/{draft.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 404
