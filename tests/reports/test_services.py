"""Report runs: who may request one, validation before writing, carrying it out (progress, file, failure),
the audit trail and the detection of interrupted runs."""

import datetime as dt
import hashlib
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ivp.core.audit.models import AuditEvent
from ivp.core.roles import Role
from ivp.reports import api, services
from ivp.reports.models import ReportFormat, ReportKind, ReportRun, ReportRunStatus
from ivp.reports.selectors import report_run_with_file, report_runs_for_user, report_runs_of_area

from ..conftest import OTHER, OWN, make_user

ROLES = ["coordinator", "advisor", "councillor", "police", "prosecutor", "partner"]
# May this role make a report of (own municipality, other municipality, the base team)?
MAY_REQUEST = {
    "coordinator": (True, True, True),
    "advisor": (True, False, False),
    "councillor": (False, False, False),
    "police": (False, False, False),
    "prosecutor": (False, False, False),
    "partner": (False, False, False),
}


class FakeReport:
    file_stem = "testrapport"


@pytest.fixture
def inline(settings):
    settings.IVP_REPORT_RUNNER = "inline"


@pytest.fixture
def fake_api(monkeypatch):
    """build_report/render_report replaced by fakes that report progress; `calls` records what they saw."""
    calls = {"build": [], "progress": []}

    def build_report(*, user, area_code, kind, period, progress=None, **_options):
        calls["build"].append({"user": user, "area_code": area_code, "kind": kind, "period": period})
        for step, fraction in (("Figures", 0.0), ("Figures", 0.5), ("Activities", 1.0)):
            progress(step, fraction)
            row = ReportRun.objects.values("status", "progress", "step").get(area_code=area_code, kind=kind,
                                                                             period=period, status="running")
            calls["progress"].append(row)
        return FakeReport()

    def render_report(report, fmt, *, progress=None):
        progress("Writing", 1.0)
        return api.RenderedReport(content=b"%PDF-1.7 test", filename=f"{report.file_stem}.{fmt}",
                                  content_type=api.CONTENT_TYPES[fmt])

    monkeypatch.setattr(api, "build_report", build_report)
    monkeypatch.setattr(api, "render_report", render_report)
    monkeypatch.setattr(services, "PROGRESS_INTERVAL", 0)
    return calls


def test_choices_match_the_api():
    assert set(ReportKind.values) == set(api.KINDS)
    assert set(ReportFormat.values) == set(api.FORMATS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_may_request(role, users, inline, fake_api):
    for area, allowed in zip((OWN, OTHER, api.BASE_TEAM_AREA), MAY_REQUEST[role], strict=True):
        before = ReportRun.objects.count()
        if allowed:
            run = services.report_run_request(actor=users[role], area_code=area, kind="annual", period="2024",
                                              fmt="pdf")
            assert run.status == ReportRunStatus.DONE
            assert (run.municipality.cbs_code if run.municipality else api.BASE_TEAM_AREA) == area
        else:
            denied = AuditEvent.objects.filter(action="report_run.request", result="denied").count()
            with pytest.raises(PermissionDenied):
                services.report_run_request(actor=users[role], area_code=area, kind="annual", period="2024",
                                            fmt="pdf")
            assert ReportRun.objects.count() == before, "a refused request writes nothing"
            assert AuditEvent.objects.filter(action="report_run.request", result="denied").count() == denied + 1


@pytest.mark.django_db
def test_anonymous_may_not_request(plan, inline, fake_api):
    with pytest.raises(PermissionDenied):
        services.report_run_request(actor=None, area_code=OWN, kind="annual", period="2024", fmt="pdf")
    assert not ReportRun.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("values, field", [
    ({"kind": "midterm", "period": "2024"}, "period"),
    ({"kind": "annual", "period": "2023-2024"}, "period"),
    ({"kind": "weekly"}, "kind"),
    ({"fmt": "odt"}, "fmt"),
    ({"area_code": "GM9999"}, "area_code"),
])
def test_validated_before_writing(values, field, users, inline, fake_api):
    request = {"area_code": OWN, "kind": "annual", "period": "2024", "fmt": "html", **values}
    with pytest.raises(ValidationError) as caught:
        services.report_run_request(actor=users["coordinator"], **request)
    assert field in caught.value.error_dict
    assert not ReportRun.objects.exists()
    assert not fake_api["build"], "nothing was built"
    assert AuditEvent.objects.filter(action="report_run.request", result="error").count() == 1


@pytest.mark.django_db
def test_request_and_execute(users, vught, inline, fake_api):
    advisor = users["advisor"]
    run = services.report_run_request(actor=advisor, area_code="gm0865", kind="midterm", period="2023-2024",
                                      fmt="pdf")
    assert fake_api["build"] == [{"user": advisor, "area_code": OWN, "kind": "midterm", "period": "2023-2024"}]
    stored = ReportRun.objects.get(pk=run.pk)
    assert stored.status == ReportRunStatus.DONE and stored.progress == 100 and stored.error == ""
    assert bytes(stored.content) == b"%PDF-1.7 test"
    assert stored.filename == "testrapport.pdf" and stored.content_type == "application/pdf"
    assert stored.size == len(b"%PDF-1.7 test")
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.7 test").hexdigest()
    assert stored.municipality == vught and stored.created_by == advisor
    assert stored.created_at <= stored.started_at <= stored.finished_at
    # The progress callback wrote percentage and step on the row while the report was being built.
    assert [row["step"] for row in fake_api["progress"]] == ["Figures", "Figures", "Activities"]
    percents = [row["progress"] for row in fake_api["progress"]]
    assert percents == sorted(percents) and 0 < percents[-1] < 100
    events = AuditEvent.objects.filter(action__startswith="report_run.").order_by("id")
    assert [(e.action, e.result) for e in events] == [("report_run.request", "success"),
                                                      ("report_run.execute", "success")]
    assert all(e.object_id == str(run.pk) and e.municipality == vught for e in events)


@pytest.mark.django_db
def test_failure_is_recorded_without_details(users, inline, monkeypatch, caplog):
    def broken_build(**kwargs):
        raise RuntimeError("secret report text that must not reach the page")

    monkeypatch.setattr(api, "build_report", broken_build)
    with caplog.at_level(logging.ERROR, logger="ivp.reports"):
        run = services.report_run_request(actor=users["coordinator"], area_code=OWN, kind="annual", period="2024",
                                          fmt="html")
    run.refresh_from_db()
    assert run.status == ReportRunStatus.FAILED and run.finished_at is not None
    assert run.error and "secret" not in run.error and "RuntimeError" not in run.error
    assert run.content is None
    assert any(record.exc_info for record in caplog.records), "the exception is logged"
    failed = AuditEvent.objects.get(action="report_run.execute")
    assert failed.result == "error" and failed.object_id == str(run.pk)
    assert "secret" not in failed.message
    assert AuditEvent.objects.filter(action="report_run.request", result="success").count() == 1


@pytest.mark.django_db
def test_validation_error_while_building_is_shown(users, inline, monkeypatch):
    def build(**kwargs):
        raise ValidationError("There is no plan yet.")

    monkeypatch.setattr(api, "build_report", build)
    run = services.report_run_request(actor=users["coordinator"], area_code=OWN, kind="annual", period="2024",
                                      fmt="html")
    run.refresh_from_db()
    assert run.status == ReportRunStatus.FAILED and run.error == "There is no plan yet."


@pytest.mark.django_db
def test_only_a_queued_run_is_executed(users, inline, fake_api):
    run = services.report_run_request(actor=users["coordinator"], area_code=OWN, kind="annual", period="2024",
                                      fmt="pdf")
    assert services.report_run_execute(run_id=run.pk) is None, "a finished run is not made again"
    assert len(fake_api["build"]) == 1


def _run(user, municipality, **values):
    return ReportRun.objects.create(municipality=municipality, area_code=municipality.cbs_code, kind="annual",
                                    period="2024", fmt="html", created_by=user, **values)


@pytest.mark.django_db
def test_stale_runs_show_as_interrupted(users, vught, settings):
    settings.IVP_REPORT_STALE_MINUTES = 30
    now = timezone.now()
    coordinator = users["coordinator"]
    old_running = _run(coordinator, vught, status="running", started_at=now - dt.timedelta(minutes=31))
    new_running = _run(coordinator, vught, status="running", started_at=now - dt.timedelta(minutes=5))
    old_queued = _run(coordinator, vught, status="queued")
    ReportRun.objects.filter(pk=old_queued.pk).update(created_at=now - dt.timedelta(hours=2))
    old_done = _run(coordinator, vught, status="done", started_at=now - dt.timedelta(hours=2))
    shown = {run.pk: run for run in report_runs_for_user(coordinator)}
    assert shown[old_running.pk].shown_status == "failed" and shown[old_running.pk].is_interrupted
    assert shown[old_running.pk].shown_error and not shown[old_running.pk].is_open
    assert shown[old_queued.pk].shown_status == "queued" and shown[old_queued.pk].is_open, \
        "a queued run waits for the worker (its task is in the database, ADR 0017)"
    assert shown[old_queued.pk].is_waiting_long and not shown[new_running.pk].is_waiting_long
    assert shown[new_running.pk].shown_status == "running" and shown[new_running.pk].is_open
    assert shown[old_done.pk].shown_status == "done" and not shown[old_done.pk].is_interrupted


@pytest.mark.django_db
def test_reads_are_scoped_and_lists_leave_the_file_out(users, vught, heusden):
    coordinator = users["coordinator"]
    own = _run(coordinator, vught, status="done", content=b"own")
    other = _run(coordinator, heusden, status="done", content=b"other")
    base = ReportRun.objects.create(municipality=None, area_code="basisteam", kind="annual", period="2024",
                                    fmt="html", created_by=coordinator, status="done", content=b"base")
    # A base-team report holds all five municipalities' activities: municipal users do not see it.
    assert set(report_runs_for_user(users["advisor"])) == {own}
    assert set(report_runs_for_user(users["councillor"])) == {own}
    assert set(report_runs_for_user(users["police"])) == {own, other, base}
    assert not report_runs_for_user(users["partner"]).exists()
    assert not report_runs_for_user(None).exists()
    assert list(report_runs_of_area(users["advisor"], heusden)) == []
    assert list(report_runs_of_area(users["advisor"], None)) == []
    assert list(report_runs_of_area(users["police"], None)) == [base]
    assert report_run_with_file(users["advisor"], base.pk) is None
    assert all("content" in run.get_deferred_fields() for run in report_runs_for_user(coordinator))
    assert report_run_with_file(users["advisor"], other.pk) is None
    assert bytes(report_run_with_file(users["advisor"], own.pk).content) == b"own"


@pytest.mark.django_db
def test_heusden_advisor_may_request_for_heusden(plan, heusden, inline, fake_api):
    advisor = make_user("advisor-heusden", heusden, Role.ADVISOR)
    run = services.report_run_request(actor=advisor, area_code=OTHER, kind="annual", period="2024", fmt="docx")
    assert run.municipality == heusden


@pytest.mark.django_db
def test_real_report_in_html(users, inline):
    """Through the real api: the base team's annual report as an HTML document."""
    run = services.report_run_request(actor=users["coordinator"], area_code=api.BASE_TEAM_AREA, kind="annual",
                                      period="2024", fmt="html")
    run = ReportRun.objects.get(pk=run.pk)
    assert run.status == ReportRunStatus.DONE, run.error
    html = bytes(run.content).decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "ivp-report" in html
    assert run.filename.endswith(".html") and run.content_type.startswith("text/html")
    assert run.size == len(run.content)
