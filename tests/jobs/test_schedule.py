"""The schedule's cadences: the latest due slot at or before a moment, in Dutch time, and one-line registration."""

import datetime as dt

import pytest

from ivp.jobs.schedule import SCHEDULE, TIME_ZONE, daily, hourly, monthly, scheduled, weekly
from ivp.registry import AlreadyRegistered


def local(*args):
    return dt.datetime(*args, tzinfo=TIME_ZONE)


def test_daily_slot_is_today_after_the_time_and_yesterday_before_it():
    cadence = daily(at="03:30")
    assert cadence.latest_slot(local(2026, 12, 4, 9, 0)) == local(2026, 12, 4, 3, 30)
    assert cadence.latest_slot(local(2026, 12, 4, 3, 30)) == local(2026, 12, 4, 3, 30)
    assert cadence.latest_slot(local(2026, 12, 4, 3, 29)) == local(2026, 12, 3, 3, 30)
    assert cadence.next_slot(local(2026, 12, 4, 9, 0)) == local(2026, 12, 5, 3, 30)


def test_daily_slot_follows_dutch_time_across_daylight_saving():
    cadence = daily(at="03:30")
    summer = cadence.latest_slot(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC))
    winter = cadence.latest_slot(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC))
    assert summer.astimezone(dt.UTC).hour == 1 and winter.astimezone(dt.UTC).hour == 2


def test_weekly_monthly_and_hourly_slots():
    assert weekly(weekday="monday", at="07:00").latest_slot(local(2026, 12, 4, 9, 0)) == local(2026, 11, 30, 7, 0)
    assert weekly(weekday="friday", at="10:00").latest_slot(local(2026, 12, 4, 9, 0)) == local(2026, 11, 27, 10, 0)
    assert monthly(day=3, at="05:00").latest_slot(local(2026, 12, 4, 9, 0)) == local(2026, 12, 3, 5, 0)
    assert monthly(day=5, at="05:00").latest_slot(local(2026, 12, 4, 9, 0)) == local(2026, 11, 5, 5, 0)
    assert monthly(day=5, at="05:00").latest_slot(local(2027, 1, 2, 9, 0)) == local(2026, 12, 5, 5, 0)
    assert monthly(day=3, at="05:00").next_slot(local(2026, 12, 4, 9, 0)) == local(2027, 1, 3, 5, 0)
    assert hourly(minute=15).latest_slot(local(2026, 12, 4, 9, 10)) == local(2026, 12, 4, 8, 15)


@pytest.mark.parametrize("make", [lambda: daily(at="25:00"), lambda: daily(at="3"), lambda: monthly(day=31, at="05:00"),
                                  lambda: weekly(weekday="maandag", at="07:00"), lambda: hourly(minute=60)])
def test_impossible_cadences_fail_at_registration(make):
    with pytest.raises(ValueError):
        make()


def test_the_registered_jobs_and_a_duplicate_key():
    assert SCHEDULE["fetch_opendata"].function == "ivp.indicators.services.online_import.monthly_update"
    assert str(SCHEDULE["fetch_opendata"].cadence) == "monthly on day 3 at 05:00"
    assert SCHEDULE["purge_login_records"].function == "ivp.core.login_records.purge_expired_login_records"
    with pytest.raises(AlreadyRegistered):
        scheduled("purge_login_records", daily(at="04:00"), "ivp.core.login_records.purge_expired_login_records")


def test_every_registered_job_names_a_function_that_runs_without_arguments():
    """The jobs other apps register (reminders, digests, the registers' retention) resolve to a callable whose
    parameters all have defaults: the scheduler calls it with none."""
    import inspect

    from django.utils.module_loading import import_string

    assert {"scan_reminders", "send_digests", "purge_information"} <= set(SCHEDULE)
    for key in SCHEDULE:
        function = import_string(SCHEDULE[key].function)
        required = [name for name, parameter in inspect.signature(function).parameters.items()
                    if parameter.default is inspect.Parameter.empty
                    and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)]
        assert required == [], (key, required)
