"""As-of dates (peildatum): status updates, milestones and spending carry the date they describe; one function
decides an activity's status and a milestone's state on a given day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ivp.core.audit.models import AuditEvent
from ivp.execution.asof import MilestoneState, milestone_state, status_as_of, validate_as_of
from ivp.execution.models import Activity, Milestone, StatusUpdate
from ivp.execution.services import activity_update, milestone_create, milestone_update, status_update_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(execution_plans, make_activity, users):
    return make_activity(execution_plans["GM0865"], actor=users["advisor"], actual_budget_cents=10_000)


def test_a_status_update_describes_its_as_of_date_not_the_moment_of_entry(activity, users):
    update = status_update_add(actor=users["advisor"], activity=activity, status="achter",
                               narrative="Stand eind 2024 (test).", as_of=dt.date(2024, 12, 31))
    assert update.as_of == dt.date(2024, 12, 31)
    assert timezone.localdate(update.created_at) == timezone.localdate()
    event = AuditEvent.objects.filter(action="activity.status_update").latest("occurred_at")
    assert event.changes["as_of"] == [None, "2024-12-31"]


def test_the_default_as_of_date_is_today(activity, users):
    update = status_update_add(actor=users["advisor"], activity=activity, status="op_koers", narrative="x")
    assert update.as_of == timezone.localdate()


def test_a_backdated_update_does_not_replace_a_newer_status(activity, users):
    status_update_add(actor=users["advisor"], activity=activity, status="op_koers", narrative="Nu (test).")
    status_update_add(actor=users["advisor"], activity=activity, status="achter", narrative="Eind 2024 (test).",
                      as_of=dt.date(2024, 12, 31))
    activity.refresh_from_db()
    assert activity.status == "op_koers"  # the update with the latest as-of date
    updates = list(StatusUpdate.objects.filter(activity=activity))
    assert status_as_of(updates).status == "op_koers"
    assert status_as_of(updates, dt.date(2024, 12, 31)).status == "achter"
    assert status_as_of(updates, dt.date(2024, 1, 1)) is None


@pytest.mark.parametrize(("as_of", "message"), [
    (dt.date(2021, 12, 31), "2022"),  # before 1 January of the year before the period 2023-2024
    (None, "future"),
])
def test_as_of_dates_are_validated(activity, users, as_of, message):
    as_of = as_of or timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        status_update_add(actor=users["advisor"], activity=activity, status="achter", narrative="x", as_of=as_of)
    assert "as_of" in error.value.message_dict
    assert not StatusUpdate.objects.exists()
    assert AuditEvent.objects.filter(action="activity.status_update", result="error").exists()


def test_the_earliest_as_of_date_is_the_first_of_january_of_the_year_before_the_period(execution_plans):
    plan = execution_plans["GM0865"]  # 2023-2024
    assert validate_as_of(dt.date(2022, 1, 1), plan) == dt.date(2022, 1, 1)
    with pytest.raises(ValidationError):
        validate_as_of(dt.date(2021, 12, 31), plan)


def test_a_status_update_saved_without_as_of_describes_the_day_it_was_entered(activity, users):
    entered = timezone.make_aware(dt.datetime(2024, 6, 30, 23, 30))
    update = StatusUpdate.objects.create(activity=activity, status="risico", narrative="x", author=users["advisor"],
                                         created_at=entered)
    assert update.as_of == dt.date(2024, 6, 30)


def test_milestone_state_on_a_day(activity, users):
    milestone = milestone_create(actor=users["advisor"], activity=activity, title="Plan klaar (test)",
                                 due_date=dt.date(2024, 6, 1))
    assert milestone_state(milestone, dt.date(2024, 5, 31)) == MilestoneState.OPEN
    assert milestone_state(milestone, dt.date(2024, 6, 1)) == MilestoneState.OPEN
    assert milestone_state(milestone, dt.date(2024, 6, 2)) == MilestoneState.OVERDUE
    assert milestone.state_on() == MilestoneState.OVERDUE  # today, on the activity page
    milestone_update(actor=users["advisor"], milestone=milestone, done=True, done_on=dt.date(2024, 9, 1))
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2024, 9, 1)
    assert milestone_state(milestone, dt.date(2024, 8, 31)) == MilestoneState.OVERDUE  # not done yet then
    assert milestone_state(milestone, dt.date(2024, 12, 31)) == MilestoneState.DONE
    milestone_update(actor=users["advisor"], milestone=milestone, done=False)
    milestone.refresh_from_db()
    assert (milestone.done, milestone.done_on) == (False, None)


def test_marking_a_milestone_done_defaults_to_today_and_refuses_the_future(activity, users):
    milestone = milestone_create(actor=users["advisor"], activity=activity, title="x", due_date=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError):
        milestone_update(actor=users["advisor"], milestone=milestone, done=True,
                         done_on=timezone.localdate() + dt.timedelta(days=1))
    milestone = Milestone.objects.get(pk=milestone.pk)
    milestone_update(actor=users["advisor"], milestone=milestone, done=True)
    assert Milestone.objects.get(pk=milestone.pk).done_on == timezone.localdate()


def test_the_spending_figure_carries_its_as_of_date(activity, users):
    assert activity.budget_as_of == timezone.localdate()  # default today
    values = {"title": activity.title, "owner": activity.owner, "focus_lenses": list(activity.focus_lenses.all()),
              "themes": list(activity.themes.all()), "planned_budget_cents": 0}
    Activity.objects.filter(pk=activity.pk).update(budget_as_of=dt.date(2024, 12, 31))
    activity.refresh_from_db()
    # Another field changes, the spending does not: its date stays.
    activity_update(actor=users["advisor"], activity=activity, expected_version=activity.version,
                    actual_budget_cents=10_000, **{**values, "title": "Nieuwe titel (test)"})
    assert Activity.objects.get(pk=activity.pk).budget_as_of == dt.date(2024, 12, 31)
    activity.refresh_from_db()
    # The spending changes without a date: it describes today.
    activity_update(actor=users["advisor"], activity=activity, expected_version=activity.version,
                    actual_budget_cents=20_000, **values)
    activity.refresh_from_db()
    assert (activity.actual_budget_cents, activity.budget_as_of) == (20_000, timezone.localdate())
    activity_update(actor=users["advisor"], activity=activity, expected_version=activity.version,
                    actual_budget_cents=25_000, budget_as_of=dt.date(2024, 3, 31), **values)
    activity.refresh_from_db()
    assert activity.budget_as_of == dt.date(2024, 3, 31)
    with pytest.raises(ValidationError) as error:
        activity_update(actor=users["advisor"], activity=activity, expected_version=activity.version,
                        actual_budget_cents=30_000, budget_as_of=dt.date(2020, 1, 1), **values)
    assert "budget_as_of" in error.value.message_dict
