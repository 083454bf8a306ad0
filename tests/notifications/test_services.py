"""Notifications: each kind, once per occasion, recipients from the access policy, immediate mail, the weekly
digest, preferences and the two jobs (test fixtures, not data)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from ivp.areas.models import Area
from ivp.core.audit.models import AuditEvent
from ivp.core.people import invitation_accept, person_invite
from ivp.execution.models import Activity, Milestone
from ivp.execution.services import activity_create, execution_plan_create, milestone_create, status_update_add
from ivp.indicators.services.interpretations import (
    interpretation_cosign,
    interpretation_remark_add,
    interpretation_save,
)
from ivp.notifications.jobs import scan_reminders, send_digests
from ivp.notifications.kinds import KINDS, Delivery
from ivp.notifications.models import Notification, NotificationPreference
from ivp.notifications.services import (
    deliveries_for,
    notification_mark_read,
    notification_preferences_save,
    notifications_mark_all_read,
    notify,
)
from ivp.partners.models import CooperationAgreement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def emails(users):
    """E-mail addresses for the test users (test fixture)."""
    for role, user in users.items():
        if user is not None:
            user.email = f"{role}@example.org"
            user.first_name, user.last_name = "Test", role.capitalize()
            user.save(update_fields=["email", "first_name", "last_name"])


@pytest.fixture
def vught_area(vught):
    return Area.objects.get_or_create(code="GM0865", defaults={"level": "gemeente", "name": "Vught",
                                                               "organisation": vught})[0]


@pytest.fixture
def heusden_area(heusden):
    return Area.objects.get_or_create(code="GM0797", defaults={"level": "gemeente", "name": "Heusden",
                                                               "organisation": heusden})[0]


@pytest.fixture
def activity(plan, vught, users):
    execution_plan = execution_plan_create(actor=users["coordinator"], plan=plan, municipality=vught,
                                           period_start=2023)
    return activity_create(actor=users["coordinator"], execution_plan=execution_plan, title="Testactiviteit Vught",
                           owner=users["advisor"], focus_lenses=[plan.focus_lenses.first()])


def _of(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def _age(activity, days):
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now() - dt.timedelta(days=days),
                                                   last_update_at=None)


def test_every_kind_is_registered_and_every_scan():
    assert {"activity_stale", "milestone_overdue", "agreement_review_due", "interpretation_cosign_waiting",
            "interpretation_cosign_withdrawn", "interpretation_remark", "report_ready",
            "invitation_accepted"} <= set(KINDS)
    from ivp.notifications.kinds import SCANS

    assert {"activity_stale", "milestone_overdue", "agreement_review_due"} <= set(SCANS)


def test_a_stale_activity_is_notified_once_per_stale_episode(users, activity, settings):
    _age(activity, settings.IVP_STALE_AFTER_DAYS + 1)
    counts = scan_reminders()
    assert counts["activity_stale"] == 1
    assert scan_reminders()["activity_stale"] == 0, "a second scan notifies nothing new"
    [note] = _of(users["advisor"], "activity_stale")
    assert "Testactiviteit Vught" in note.message and note.url == f"/activiteit/{activity.pk}/"
    # A status update ends the episode; a new silence is a new occasion.
    status_update_add(actor=users["advisor"], activity=activity, status="op_koers", narrative="Loopt.")
    assert scan_reminders()["activity_stale"] == 0
    Activity.objects.filter(pk=activity.pk).update(
        last_update_at=timezone.now() - dt.timedelta(days=settings.IVP_STALE_AFTER_DAYS + 2))
    assert scan_reminders()["activity_stale"] == 1
    assert len(_of(users["advisor"], "activity_stale")) == 2


def test_an_owner_who_may_no_longer_edit_hands_the_reminder_to_the_editors(users, activity, settings):
    users["advisor"].memberships.all().delete()
    _age(activity, settings.IVP_STALE_AFTER_DAYS + 1)
    scan_reminders()
    assert not _of(users["advisor"], "activity_stale")
    assert _of(users["coordinator"], "activity_stale")  # edits every municipality (the access policy)


def test_an_overdue_milestone_is_notified_once(users, activity):
    milestone = milestone_create(actor=users["coordinator"], activity=activity, title="Plan van aanpak",
                                 due_date=dt.date(2024, 1, 1))
    assert scan_reminders()["milestone_overdue"] == 1
    assert scan_reminders()["milestone_overdue"] == 0
    [note] = _of(users["advisor"], "milestone_overdue")
    assert "Plan van aanpak" in note.message and "01-01-2024" in note.message
    Milestone.objects.filter(pk=milestone.pk).update(done=True)
    Milestone.objects.create(activity=activity, title="Later", due_date=timezone.localdate() + dt.timedelta(days=3))
    assert scan_reminders()["milestone_overdue"] == 0, "not yet due"


def test_an_agreement_review_due_is_notified_once_per_review_date(users, agreements):
    today = timezone.localdate()
    agreement = agreements["own"] if "own" in agreements else agreements["GM0865"]
    CooperationAgreement.objects.filter(pk=agreement.pk).update(review_date=today + dt.timedelta(days=5))
    assert scan_reminders()["agreement_review_due"] == 1
    assert scan_reminders()["agreement_review_due"] == 0
    [note] = _of(users["advisor"], "agreement_review_due")
    assert agreement.title in note.message
    CooperationAgreement.objects.filter(pk=agreement.pk).update(review_date=today + dt.timedelta(days=300))
    assert scan_reminders()["agreement_review_due"] == 0
    CooperationAgreement.objects.filter(pk=agreement.pk).update(review_date=today)
    assert scan_reminders()["agreement_review_due"] == 1, "a new review date is a new occasion"


def test_a_new_duiding_waits_for_whoever_may_cosign(users, vught_area):
    note = interpretation_save(actor=users["advisor"], indicator="crime_total", area=vught_area, period="2024",
                               text="Daling door gerichte aanpak.", published=False)
    [waiting] = _of(users["police"], "interpretation_cosign_waiting")
    assert "Vught" in waiting.message and "2024" in waiting.message
    assert not _of(users["prosecutor"], "interpretation_cosign_waiting"), "the OM does not co-sign (the policy)"
    assert not _of(users["advisor"], "interpretation_cosign_waiting")
    # Editing while still waiting asks nobody again.
    interpretation_save(actor=users["advisor"], indicator="crime_total", area=vught_area, period="2024",
                        text="Daling door gerichte aanpak, tweede versie.", published=False)
    assert len(_of(users["police"], "interpretation_cosign_waiting")) == 1
    assert note.pk


def test_a_changed_text_withdraws_the_cosignature_and_tells_the_cosigner(users, vught_area):
    note = interpretation_save(actor=users["advisor"], indicator="crime_total", area=vught_area, period="2024",
                               text="Eerste tekst.", published=True)
    interpretation_cosign(actor=users["police"], interpretation=note)
    interpretation_save(actor=users["advisor"], indicator="crime_total", area=vught_area, period="2024",
                        text="Gewijzigde tekst.", published=True)
    note.refresh_from_db()
    assert note.cosigned_by is None
    [withdrawn] = _of(users["police"], "interpretation_cosign_withdrawn")
    assert "Test Advisor" in withdrawn.message
    event = AuditEvent.objects.filter(action="interpretation.update").latest("occurred_at")
    assert event.changes["cosigned_by"] == ["Test Police", None]
    # Only publishing (no text change) withdraws nothing.
    interpretation_cosign(actor=users["police"], interpretation=note)
    interpretation_save(actor=users["advisor"], indicator="crime_total", area=vught_area, period="2024",
                        text="Gewijzigde tekst.", published=False)
    assert len(_of(users["police"], "interpretation_cosign_withdrawn")) == 1


def test_a_remark_notifies_the_author(users, vught_area):
    note = interpretation_save(actor=users["advisor"], indicator="crime_total", area=vught_area, period="2024",
                               text="Tekst.", published=False)
    remark = interpretation_remark_add(actor=users["prosecutor"], interpretation=note, kind="disagree",
                                       text="De daling komt door een registratiewijziging.")
    [notice] = _of(users["advisor"], "interpretation_remark")
    assert "Test Prosecutor" in notice.message and notice.url.endswith(f"#remark-{remark.pk}")


def test_report_ready_notifies_who_requested_it(users, vught, settings):
    from ivp.reports.models import ReportRun
    from ivp.reports.notifications import report_run_finished

    run = ReportRun.objects.create(municipality=vught, area_code="GM0865", kind="annual", period="2024", fmt="html",
                                   status="done", created_by=users["advisor"])
    report_run_finished(run)
    report_run_finished(run)
    [ready] = _of(users["advisor"], "report_ready")
    assert "2024" in ready.message and ready.url == f"/rapport/{run.pk}/"
    failed = ReportRun.objects.create(municipality=vught, area_code="GM0865", kind="annual", period="2024",
                                      fmt="html", status="failed", created_by=users["advisor"])
    report_run_finished(failed)
    assert len(_of(users["advisor"], "report_ready")) == 1


def test_report_run_execute_calls_the_hook(users, vught, monkeypatch):
    from ivp.reports import services
    from ivp.reports.models import ReportRun

    seen = []
    monkeypatch.setattr(services.run_notifications, "report_run_finished", seen.append)
    monkeypatch.setattr(services.api, "build_report", lambda **kwargs: object())

    class Rendered:
        content, filename, content_type = b"<html></html>", "r.html", "text/html"

    monkeypatch.setattr(services.api, "render_report", lambda report, fmt, progress: Rendered())
    run = ReportRun.objects.create(municipality=vught, area_code="GM0865", kind="annual", period="2024", fmt="html",
                                   created_by=users["advisor"])
    services.report_run_execute(run_id=run.pk)
    assert [r.pk for r in seen] == [run.pk] and seen[0].status == "done"


def test_invitation_accepted_notifies_who_invited(users, vught, django_capture_on_commit_callbacks):
    sent = person_invite(actor=users["advisor"], email="nieuw-raadslid@example.org", name="Nieuw Raadslid",
                         organisation=vught, role="councillor")
    token = sent.url.rstrip("/").rsplit("/", 1)[-1]
    invitation_accept(token=token, password="een-lang-wachtwoord-2026!")
    [accepted] = _of(users["advisor"], "invitation_accepted")
    assert accepted.message.startswith("Nieuw Raadslid") and accepted.url == f"/personen/{sent.user.pk}/"


def test_notify_is_idempotent_and_leaves_out_who_may_not_read(users, vught):
    made = notify(recipients=[users["advisor"], users["councillor"], users["advisor"]], kind="report_ready",
                  occasion="test:1", params={"kind": "Jaarverslag", "period": "2024"}, municipality=vught)
    assert len(made) == 2
    assert notify(recipients=[users["advisor"]], kind="report_ready", occasion="test:1", municipality=vught) == []
    from ivp.core.models import Organisation

    heusden = Organisation.objects.get(cbs_code="GM0797")
    assert notify(recipients=[users["advisor"]], kind="report_ready", occasion="test:2", municipality=heusden) == []
    with pytest.raises(KeyError):
        notify(recipients=[users["advisor"]], kind="no_such_kind", occasion="test:3")


def test_immediate_mail_is_sent_once_after_commit(users, vught_area, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        interpretation_save(actor=users["advisor"], indicator="crime_total", area=vught_area, period="2024",
                            text="Tekst.", published=False)
    [message] = [m for m in mail.outbox if m.to == ["police@example.org"]]
    assert message.subject.startswith("IVP: ")
    assert "http" in message.body and "/cijfers/GM0865/crime_total/" in message.body
    assert message.alternatives and "<a href=" in message.alternatives[0][0]
    assert Notification.objects.get(recipient=users["police"]).emailed_at is not None
    # The weekly digest does not carry it again.
    assert send_digests() == 0


def test_preferences_decide_the_delivery(users, vught_area, django_capture_on_commit_callbacks):
    notification_preferences_save(actor=users["police"],
                                  choices={"interpretation_cosign_waiting": Delivery.APP})
    assert deliveries_for(users["police"])["interpretation_cosign_waiting"] == Delivery.APP
    assert AuditEvent.objects.filter(action="notification.preferences", actor=users["police"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        interpretation_save(actor=users["advisor"], indicator="crime_total", area=vught_area, period="2024",
                            text="Tekst.", published=False)
    assert not mail.outbox, "only in the app"
    assert send_digests() == 0
    assert Notification.objects.filter(recipient=users["police"]).count() == 1
    with pytest.raises(ValidationError):
        notification_preferences_save(actor=users["police"], choices={"interpretation_cosign_waiting": "sms"})


def test_the_digest_groups_unread_items_once(users, vught):
    for n in range(3):
        notify(recipients=[users["advisor"]], kind="report_ready", occasion=f"test:{n}",
               params={"kind": "Jaarverslag", "period": str(2020 + n)}, url="/mijn-ivp/", municipality=vught)
    read = Notification.objects.get(occasion="test:0")
    notification_mark_read(actor=users["advisor"], notification=read)
    assert send_digests() == 1
    [digest] = mail.outbox
    assert digest.to == ["advisor@example.org"]
    assert "2021" in digest.body and "2022" in digest.body and "2020" not in digest.body, "unread only"
    assert "http://" in digest.body or "https://" in digest.body
    assert send_digests() == 0, "each notification in one digest"
    call_command("send_digests", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1


def test_a_failed_digest_is_sent_by_the_next_run(users, vught, monkeypatch):
    notify(recipients=[users["advisor"]], kind="report_ready", occasion="test:x",
           params={"kind": "Jaarverslag", "period": "2024"}, municipality=vught)
    monkeypatch.setattr("ivp.notifications.jobs._mail", lambda *a, **k: False)
    assert send_digests() == 0
    assert Notification.objects.get(occasion="test:x").digested_at is None
    monkeypatch.undo()
    assert send_digests() == 1


def test_mark_read_and_mark_all_read_are_audited(users, vught):
    for n in range(2):
        notify(recipients=[users["advisor"]], kind="report_ready", occasion=f"test:{n}",
               params={"kind": "Jaarverslag", "period": "2024"}, municipality=vught)
    first = Notification.objects.filter(recipient=users["advisor"]).first()
    notification_mark_read(actor=users["advisor"], notification=first)
    from django.core.exceptions import PermissionDenied

    other = Notification.objects.filter(recipient=users["advisor"]).exclude(pk=first.pk).get()
    with pytest.raises(PermissionDenied):
        notification_mark_read(actor=users["coordinator"], notification=other)
    assert AuditEvent.objects.filter(action="notification.read", result="denied").exists()
    assert notifications_mark_all_read(actor=users["advisor"]) == 1
    assert notifications_mark_all_read(actor=users["advisor"]) == 0
    assert AuditEvent.objects.filter(action="notification.read_all", result="success").count() == 1


def test_the_commands_run_twice_safely(users, activity, settings, capsys):
    _age(activity, settings.IVP_STALE_AFTER_DAYS + 1)
    call_command("scan_reminders")
    call_command("scan_reminders")
    assert Notification.objects.filter(kind="activity_stale").count() == 1
    out = capsys.readouterr().out
    assert "activity_stale" in out
    assert NotificationPreference.objects.count() == 0
