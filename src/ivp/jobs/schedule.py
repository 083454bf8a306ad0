"""The schedule: periodic jobs that `ivp worker` enqueues when they are due (docs/adr/0017-task-queue.md).

Adding a job is one line in the `scheduled.py` module of the app that owns the work (imported at start-up by
`JobsConfig.ready`):

    scheduled("login_records.purge", daily(at="03:30"), "ivp.core.login_records.purge_expired_login_records")

The key names the job in the schedule table and the logs; the cadence says when it is due (`hourly(minute=)`,
`daily(at=)`, `weekly(weekday=, at=)`, `monthly(day=, at=)`, in Dutch time); the dotted path names a function
without arguments (it may return a short summary, which is kept with the run). No Django here beyond the time
zone: the scheduler (`ivp.jobs.scheduler`) decides what is due and records each run.

Each due moment is a *slot* (e.g. 2026-12-01 04:00 for a monthly job on the 1st at 04:00). A job runs at most
once per slot, also with several workers (a unique row per job and slot). A worker that was stopped over one or
more slots catches up only the latest one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ivp.registry import Registry

TIME_ZONE = ZoneInfo("Europe/Amsterdam")  # settings.TIME_ZONE; the schedule reads like a Dutch clock
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _clock(at: str) -> tuple[int, int]:
    try:
        hour, minute = (int(part) for part in at.split(":"))
    except ValueError:
        raise ValueError(f"a time of day is written HH:MM, not {at!r}") from None
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"no such time of day: {at!r}")
    return hour, minute


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TIME_ZONE)


@dataclass(frozen=True)
class Cadence:
    """When a job is due. `latest_slot(now)` is the most recent due moment at or before `now` (aware)."""

    kind: str  # hourly, daily, weekly, monthly
    hour: int = 0
    minute: int = 0
    weekday: int = 0  # 0 = Monday (weekly)
    day: int = 1  # day of the month (monthly), 1-28 so that every month has it

    def latest_slot(self, now: dt.datetime) -> dt.datetime:
        local = now.astimezone(TIME_ZONE)
        today = local.date()
        if self.kind == "hourly":
            slot = local.replace(minute=self.minute, second=0, microsecond=0)
            if slot > local:
                slot -= dt.timedelta(hours=1)
            return slot
        if self.kind == "daily":
            slot = _local(today, self.hour, self.minute)
            return slot if slot <= local else _local(today - dt.timedelta(days=1), self.hour, self.minute)
        if self.kind == "weekly":
            day = today - dt.timedelta(days=(today.weekday() - self.weekday) % 7)
            slot = _local(day, self.hour, self.minute)
            return slot if slot <= local else _local(day - dt.timedelta(days=7), self.hour, self.minute)
        if self.kind == "monthly":
            slot = _local(today.replace(day=self.day), self.hour, self.minute)
            if slot <= local:
                return slot
            previous = today.replace(day=1) - dt.timedelta(days=1)
            return _local(previous.replace(day=self.day), self.hour, self.minute)
        raise ValueError(f"unknown cadence {self.kind!r}")

    def next_slot(self, now: dt.datetime) -> dt.datetime:
        """The first due moment after `now` (for `ivp worker --schedule`)."""
        probe = now
        latest = self.latest_slot(now)
        step = {"hourly": dt.timedelta(minutes=30), "daily": dt.timedelta(hours=12),
                "weekly": dt.timedelta(days=3), "monthly": dt.timedelta(days=14)}[self.kind]
        while True:
            probe += step
            slot = self.latest_slot(probe)
            if slot > latest:
                return slot

    def __str__(self) -> str:
        clock = f"{self.hour:02d}:{self.minute:02d}"
        if self.kind == "hourly":
            return f"hourly at minute {self.minute:02d}"
        if self.kind == "daily":
            return f"daily at {clock}"
        if self.kind == "weekly":
            return f"weekly on {WEEKDAYS[self.weekday]} at {clock}"
        return f"monthly on day {self.day} at {clock}"


def hourly(*, minute: int = 0) -> Cadence:
    if not 0 <= minute < 60:
        raise ValueError(f"minute must be 0-59, not {minute}")
    return Cadence("hourly", minute=minute)


def daily(*, at: str) -> Cadence:
    hour, minute = _clock(at)
    return Cadence("daily", hour=hour, minute=minute)


def weekly(*, weekday: str, at: str) -> Cadence:
    if weekday.lower() not in WEEKDAYS:
        raise ValueError(f"weekday must be one of {', '.join(WEEKDAYS)}, not {weekday!r}")
    hour, minute = _clock(at)
    return Cadence("weekly", hour=hour, minute=minute, weekday=WEEKDAYS.index(weekday.lower()))


def monthly(*, day: int, at: str) -> Cadence:
    if not 1 <= day <= 28:
        raise ValueError(f"day must be 1-28 (every month has it), not {day}")
    hour, minute = _clock(at)
    return Cadence("monthly", hour=hour, minute=minute, day=day)


@dataclass(frozen=True)
class Job:
    key: str
    cadence: Cadence
    function: str  # dotted path of a function without arguments
    description: str = ""


SCHEDULE: Registry[Job] = Registry("scheduled job")


def scheduled(key: str, cadence: Cadence, function: str, description: str = "") -> Job:
    """Register a periodic job (one line in an app's `scheduled.py`); a key registered twice fails at start-up."""
    if "." not in function:
        raise ValueError(f"scheduled job {key!r}: give the dotted path of a function, not {function!r}")
    return SCHEDULE.register(key, Job(key=key, cadence=cadence, function=function, description=description))
