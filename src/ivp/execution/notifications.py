"""Notifications of the execution: an activity becomes stale, a milestone is overdue (daily scans, ADR 0016)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ivp import notation
from ivp.core.access import access_for
from ivp.core.selectors import editors_of
from ivp.notifications.kinds import KINDS, SCANS, Kind
from ivp.notifications.services import notify

from .models import FINAL_STATUSES, Activity, Milestone

KINDS.register("activity_stale", Kind(
    label=_("An activity of yours has had no status update for a long time"),
    message=_("%(title)s has had no status update for more than %(days)s days."),
    needs_response=True,
))
KINDS.register("milestone_overdue", Kind(
    label=_("A milestone of your activity is overdue"),
    message=_("Milestone %(milestone)s of %(title)s was due on %(due)s and is not done."),
    needs_response=True,
))


def responsible_for(owner, municipality_id: int | None) -> list:
    """Who is asked to act: the owner while they may still edit the rows (the access policy), otherwise everyone
    who may (an owner who left or changed role leaves the activity with the municipality's editors)."""
    if owner is not None and owner.is_active and access_for(owner).can_edit_municipality(municipality_id):
        return [owner]
    return list(editors_of([municipality_id] if municipality_id is not None else []))


def scan_stale_activities(today: dt.date) -> int:
    """Notify each stale activity once per stale episode: the episode starts at the last status update (or at the
    activity's creation), so a new update followed by a new silence is a new occasion."""
    now = timezone.now()
    cutoff = now - dt.timedelta(days=settings.IVP_STALE_AFTER_DAYS)
    candidates = (Activity.objects.active().filter(Q(last_update_at__lt=cutoff)
                                                   | Q(last_update_at__isnull=True, created_at__lt=cutoff))
                  .select_related("owner"))
    made = 0
    for activity in candidates:
        if not activity.is_stale(now=now):
            continue
        since = activity.last_update_at or activity.created_at
        made += len(notify(
            recipients=responsible_for(activity.owner, activity.municipality_id), kind="activity_stale",
            occasion=f"activity:{activity.pk}:stale-since:{since.isoformat()}",
            params={"title": activity.title, "days": settings.IVP_STALE_AFTER_DAYS},
            url=reverse("web:activity_detail", kwargs={"pk": activity.pk}), municipality=activity.municipality))
    return made


def scan_overdue_milestones(today: dt.date) -> int:
    """Notify each open milestone of an active activity once its due date has passed (once per due date: a moved
    due date that passes again is a new occasion)."""
    made = 0
    overdue = (Milestone.objects.filter(done=False, due_date__lt=today)
               .exclude(activity__status__in=FINAL_STATUSES)
               .select_related("activity", "activity__owner", "activity__municipality"))
    for milestone in overdue:
        activity = milestone.activity
        made += len(notify(
            recipients=responsible_for(activity.owner, activity.municipality_id), kind="milestone_overdue",
            occasion=f"milestone:{milestone.pk}:due:{milestone.due_date.isoformat()}",
            params={"milestone": milestone.title, "title": activity.title,
                    "due": notation.date(milestone.due_date)},
            url=reverse("web:activity_detail", kwargs={"pk": activity.pk}), municipality=activity.municipality))
    return made


SCANS.register("activity_stale", scan_stale_activities)
SCANS.register("milestone_overdue", scan_overdue_milestones)
