"""As-of dates (peildatum): the date a status update, a completed milestone or an activity's spending figure
describes, as distinct from the moment it was entered.

One place decides what the state of an activity was on a given day, for the web pages (today) and the council
reports (the report's as-of date) alike:

- `status_as_of(updates, day)`: the latest status update whose as-of date is on or before `day` (a later entry
  describing the same day wins);
- `milestone_state(milestone, day)`: done (completed on or before `day`), overdue (due before `day` and not done
  by then) or open;
- `validate_as_of(value, execution_plan, field)`: an as-of date is not in the future and not before 1 January of
  the year before the execution plan's period (so the state at the start of the period can be recorded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class MilestoneState(models.TextChoices):
    DONE = "done", gettext_lazy("done")
    OVERDUE = "overdue", gettext_lazy("overdue")
    OPEN = "open", gettext_lazy("open")


def earliest_as_of(execution_plan) -> dt.date:
    """The earliest as-of date in an execution plan: 1 January of the year before its period."""
    return dt.date(execution_plan.period_start - 1, 1, 1)


def validate_as_of(value: dt.date | None, execution_plan, field: str = "as_of", *,
                   today: dt.date | None = None) -> dt.date:
    """The as-of date to store: today when empty; refused in the future or before `earliest_as_of`."""
    today = today or timezone.localdate()
    if value is None:
        return today
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError({field: _("Enter a date.")})
    if value > today:
        raise ValidationError({field: _("The as-of date lies in the future; enter the date the figures describe "
                                        "(today at the latest).")})
    earliest = earliest_as_of(execution_plan)
    if value < earliest:
        raise ValidationError({field: _("The as-of date lies before %(date)s, more than a year before the period "
                                        "of the execution plan.") % {"date": earliest.strftime("%d-%m-%Y")}})
    return value


def _update_key(update) -> tuple:
    return (update.as_of, update.created_at, update.pk or 0)


def status_as_of(updates: Iterable, day: dt.date | None = None):
    """The status update that describes the activity on `day` (None: the latest of all): the one with the latest
    as-of date on or before `day`, and of those the last entered. None when there is none."""
    chosen = None
    for update in updates:
        if day is not None and update.as_of > day:
            continue
        if chosen is None or _update_key(update) > _update_key(chosen):
            chosen = update
    return chosen


def milestone_state(milestone, day: dt.date | None = None) -> MilestoneState:
    """Done when completed on or before `day` (a completion without a recorded date counts as done); overdue when
    the due date has passed on `day` without completion by then; otherwise open. `day` defaults to today."""
    day = day or timezone.localdate()
    if milestone.done and (milestone.done_on is None or milestone.done_on <= day):
        return MilestoneState.DONE
    if milestone.due_date < day:
        return MilestoneState.OVERDUE
    return MilestoneState.OPEN
