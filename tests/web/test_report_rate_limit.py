"""Report requests are limited per user (IVP_REPORT_RATE_LIMIT in IVP_REPORT_RATE_WINDOW_MINUTES): one more
answers 429 with a Dutch page and Retry-After, and is recorded as refused; other users are not affected."""

import datetime as dt

import pytest
from django.urls import reverse

from ivp.core.audit.models import AuditEvent
from ivp.reports import api
from ivp.reports.models import ReportRun

from ..conftest import OWN

pytestmark = pytest.mark.django_db


class FakeReport:
    file_stem = "ivp-jaarverslag-test"


@pytest.fixture(autouse=True)
def fast_reports(settings, monkeypatch):
    settings.IVP_REPORT_RUNNER = "inline"
    settings.IVP_REPORT_RATE_LIMIT = 3
    settings.IVP_REPORT_RATE_WINDOW_MINUTES = 10
    monkeypatch.setattr(api, "build_report", lambda **kwargs: FakeReport())
    monkeypatch.setattr(api, "render_report", lambda report, fmt, progress=None: api.RenderedReport(
        content=b"%PDF-1.7 test", filename=f"{report.file_stem}.{fmt}", content_type=api.CONTENT_TYPES[fmt]))


def _request(client, cbs_code=OWN):
    return client.post(reverse("web:municipality_reports", kwargs={"cbs_code": cbs_code}),
                       {"kind": "annual", "period": "2024", "fmt": "pdf"})


def test_one_request_too_many_is_refused_with_429_and_audited(client, users, vught):
    client.force_login(users["advisor"])
    for _i in range(3):
        assert _request(client).status_code == 302
    response = _request(client)
    assert response.status_code == 429
    assert "web/report_rate_limited.html" in [t.name for t in response.templates]
    assert "3 rapportages" in response.text and 'lang="nl"' in response.text
    assert 0 < int(response["Retry-After"]) <= 600
    assert ReportRun.objects.count() == 3
    event = AuditEvent.objects.filter(action="report_run.request").latest("id")
    assert event.result == "denied" and event.actor == users["advisor"]

    client.force_login(users["coordinator"])  # the limit is per user
    assert _request(client).status_code == 302


def test_the_limit_frees_up_when_the_window_passes(client, users, vught):
    client.force_login(users["advisor"])
    for _i in range(3):
        _request(client)
    assert _request(client).status_code == 429
    ReportRun.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11))
    assert _request(client).status_code == 302
