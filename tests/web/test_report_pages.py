"""The report pages: make a report, follow its progress, download it, see it in the app; who sees what."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ivp.core.audit.models import AuditEvent
from ivp.core.roles import Role
from ivp.reports import api
from ivp.reports.models import ReportRun, ReportRunStatus

from ..conftest import OTHER, OWN, make_user

PDF = b"%PDF-1.7 testrapport"


class FakeReport:
    file_stem = "ivp-jaarverslag-vught-2024"


@pytest.fixture
def inline(settings):
    settings.IVP_REPORT_RUNNER = "inline"


@pytest.fixture
def fake_api(monkeypatch):
    def build_report(*, user, area_code, kind, period, progress=None, **_options):
        progress("Figures", 1.0)
        return FakeReport()

    def render_report(report, fmt, *, progress=None):
        return api.RenderedReport(content=PDF, filename=f"{report.file_stem}.{fmt}",
                                  content_type=api.CONTENT_TYPES[fmt])

    monkeypatch.setattr(api, "build_report", build_report)
    monkeypatch.setattr(api, "render_report", render_report)


def _make(client, url, **values):
    data = {"kind": "annual", "period": "2024", "fmt": "pdf", **values}
    return client.post(url, data)


@pytest.mark.django_db
def test_advisor_makes_a_report_and_downloads_it(client, users, vught, inline, fake_api):
    client.force_login(users["advisor"])
    reports_url = reverse("web:municipality_reports", kwargs={"cbs_code": OWN})
    page = client.get(reports_url)
    assert page.status_code == 200 and 'id="rapport-maken"' in page.text
    response = _make(client, reports_url)
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:report_run_detail", args=[run.pk])
    assert run.status == ReportRunStatus.DONE and run.created_by == users["advisor"] and run.municipality == vught

    detail = client.get(response["Location"])
    download_url = reverse("web:report_run_download", args=[run.pk])
    assert detail.status_code == 200 and download_url in detail.text
    assert 'aria-live="polite"' in detail.text and "hx-trigger" not in detail.text, "a finished run does not poll"

    listing = client.get(reports_url)
    assert download_url in listing.text and "advisor-vught" in listing.text

    download = client.get(download_url)
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="ivp-jaarverslag-vught-2024.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_running_report_polls_and_works_without_javascript(client, users, vught):
    run = ReportRun.objects.create(municipality=vught, area_code=OWN, kind="annual", period="2024", fmt="pdf",
                                   created_by=users["advisor"], status="running", progress=42, step="Figures")
    client.force_login(users["councillor"])
    progress_url = reverse("web:report_run_progress", args=[run.pk])
    detail_url = reverse("web:report_run_detail", args=[run.pk])
    for url in (detail_url, progress_url):
        text = client.get(url).text
        assert f'hx-get="{progress_url}?seen=running"' in text and 'hx-trigger="every 2s"' in text
        assert re.search(r'<progress [^>]*max="100" value="42"', text) and "42%" in text and "Figures" in text
        assert f'href="{detail_url}"' in text, "a plain refresh link without JavaScript"
        assert "style=" not in text and "<script>" not in text
    fragment = client.get(progress_url)
    assert "<html" not in fragment.text and "no-cache" in fragment["Cache-Control"]
    # The live region is sent (out of band) only when the status changed since the page last saw it.
    assert 'aria-live="polite"' in fragment.text and 'hx-swap-oob="innerHTML"' in fragment.text
    assert 'aria-live="polite"' not in client.get(f"{progress_url}?seen=running").text
    assert 'aria-live="polite"' in client.get(detail_url).text
    assert client.get(reverse("web:report_run_download", args=[run.pk])).status_code == 404, "not done yet"
    ReportRun.objects.filter(pk=run.pk).update(status="done", progress=100, content=PDF, filename="r.pdf",
                                               content_type="application/pdf", size=len(PDF))
    done = client.get(f"{progress_url}?seen=running").text
    assert "hx-trigger" not in done and reverse("web:report_run_download", args=[run.pk]) in done
    assert 'aria-live="polite"' in done, "the change to done is announced"


@pytest.mark.django_db
def test_councillor_sees_but_cannot_make(client, users, vught, inline, fake_api):
    client.force_login(users["councillor"])
    reports_url = reverse("web:municipality_reports", kwargs={"cbs_code": OWN})
    page = client.get(reports_url)
    assert page.status_code == 200 and 'id="rapport-maken"' not in page.text
    response = _make(client, reports_url)
    assert response.status_code == 403
    assert not ReportRun.objects.exists()
    assert AuditEvent.objects.filter(action="report_run.request", result="denied").count() == 1
    municipality_page = client.get(reverse("web:municipality_detail", kwargs={"cbs_code": OWN})).text
    assert reports_url in municipality_page and f"{reports_url}#rapport-maken" not in municipality_page


@pytest.mark.django_db
def test_links_on_the_municipality_and_base_team_pages(client, users, plan):
    reports_url = reverse("web:municipality_reports", kwargs={"cbs_code": OWN})
    base_url = reverse("web:base_team_reports")
    pages = {
        "municipality": reverse("web:municipality_detail", kwargs={"cbs_code": OWN}),
        "dashboard": reverse("web:base_team_dashboard"),
        "execution": reverse("web:base_team_execution"),
    }
    expected = {  # role: (may make a Vught report, sees Vught's reports, may make a base-team report, sees them)
        "coordinator": (True, True, True, True), "advisor": (True, True, False, False),
        "police": (False, True, False, True), "partner": (False, False, False, False),
    }
    for role, (make_own, read_own, make_base, read_base) in expected.items():
        client.force_login(users[role])
        municipality = client.get(pages["municipality"]).text
        assert (f"{reports_url}#rapport-maken" in municipality) == make_own, role
        assert (f'href="{reports_url}"' in municipality) == read_own, role
        for name in ("dashboard", "execution"):
            text = client.get(pages[name]).text
            assert (f"{base_url}#rapport-maken" in text) == make_base, (role, name)
            assert (f'href="{base_url}"' in text) == read_base, (role, name)
        client.logout()
    assert base_url not in client.get(pages["dashboard"]).text, "anonymous visitors see no report links"


@pytest.mark.django_db
def test_other_municipality_gets_404(client, users, heusden, inline, fake_api):
    client.force_login(users["advisor"])
    _make(client, reverse("web:municipality_reports", kwargs={"cbs_code": OWN}))
    run = ReportRun.objects.get()
    client.force_login(make_user("advisor-heusden", heusden, Role.ADVISOR))
    for name in ("report_run_detail", "report_run_progress", "report_run_download"):
        assert client.get(reverse(f"web:{name}", args=[run.pk])).status_code == 404, name
    listing = client.get(reverse("web:municipality_reports", kwargs={"cbs_code": OTHER}))
    assert listing.status_code == 200 and reverse("web:report_run_detail", args=[run.pk]) not in listing.text
    assert client.get(reverse("web:municipality_reports", kwargs={"cbs_code": OWN})).status_code == 404
    assert _make(client, reverse("web:municipality_reports", kwargs={"cbs_code": OWN})).status_code == 404
    assert ReportRun.objects.count() == 1


@pytest.mark.django_db
def test_invalid_request_keeps_the_input(client, users, inline, fake_api):
    client.force_login(users["coordinator"])
    response = _make(client, reverse("web:base_team_reports"), kind="midterm", period="2024", fmt="docx")
    assert response.status_code == 400
    assert not ReportRun.objects.exists()
    assert 'aria-invalid="true"' in response.text
    assert re.search(r'<option value="midterm" selected>', response.text)
    assert re.search(r'<option value="docx" selected>', response.text)


@pytest.mark.django_db
def test_base_team_report_only_by_the_coordinator(client, users, inline, fake_api):
    url = reverse("web:base_team_reports")
    client.force_login(users["advisor"])
    assert client.get(url).status_code == 403, "a base-team report holds other municipalities' activities"
    assert _make(client, url).status_code == 403
    client.force_login(users["partner"])
    assert client.get(url).status_code == 403
    client.force_login(users["coordinator"])
    response = _make(client, url)
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert run.municipality is None and run.area_code == api.BASE_TEAM_AREA


@pytest.mark.django_db
def test_failed_run_shows_a_message_and_a_way_back(client, users, vught):
    run = ReportRun.objects.create(municipality=vught, area_code=OWN, kind="annual", period="2024", fmt="pdf",
                                   created_by=users["advisor"], status="failed", error="Het rapport mislukte.")
    client.force_login(users["advisor"])
    text = client.get(reverse("web:report_run_detail", args=[run.pk])).text
    assert "Het rapport mislukte." in text and "#rapport-maken" in text and "hx-trigger" not in text


@pytest.mark.django_db
def test_real_html_report_made_and_viewed_in_the_app(client, users, inline):
    """Through the real api: Vught's advisor makes the annual report as HTML and reads it inside the app."""
    client.force_login(users["advisor"])
    response = _make(client, reverse("web:municipality_reports", kwargs={"cbs_code": OWN}), fmt="html")
    run = ReportRun.objects.get()
    assert response.status_code == 302 and run.status == ReportRunStatus.DONE, run.error
    view_url = reverse("web:report_run_view", args=[run.pk])
    assert view_url in client.get(reverse("web:report_run_detail", args=[run.pk])).text
    page = client.get(view_url)
    assert page.status_code == 200
    assert page.text.count("<h1") == 1 and 'class="ivp-report"' in page.text
    assert "<style" not in page.text, "the standalone document's stylesheet is not copied into the page"
    download = client.get(reverse("web:report_run_download", args=[run.pk]))
    assert download["Content-Type"].startswith("text/html") and "attachment" in download["Content-Disposition"]
    # A PDF run has no in-app view.
    ReportRun.objects.filter(pk=run.pk).update(fmt="pdf")
    assert client.get(view_url).status_code == 404


@pytest.mark.django_db
def test_services_are_audited_from_the_web(client, users, inline, fake_api):
    client.force_login(users["coordinator"])
    _make(client, reverse("web:municipality_reports", kwargs={"cbs_code": OTHER}))
    events = AuditEvent.objects.filter(action__startswith="report_run.").order_by("id")
    assert [(e.action, e.result, e.origin) for e in events] == [("report_run.request", "success", "web"),
                                                                ("report_run.execute", "success", "web")]


@pytest.mark.django_db
def test_a_run_waiting_long_for_the_worker_says_so(client, users, vught):
    """No worker took the run for IVP_REPORT_STALE_MINUTES: the page keeps polling and says whom to tell."""
    run = ReportRun.objects.create(municipality=vught, area_code=OWN, kind="annual", period="2024", fmt="pdf",
                                   created_by=users["advisor"])
    client.force_login(users["advisor"])
    detail = reverse("web:report_run_detail", args=[run.pk])
    assert "beheerder" not in client.get(detail).text
    ReportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    page = client.get(detail).text
    assert "wacht nog steeds op zijn beurt" in page and "beheerder" in page and "hx-trigger" in page
