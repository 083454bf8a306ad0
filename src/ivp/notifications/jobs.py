"""The two periodic jobs: plain functions without arguments, idempotent and safe to run twice (or at once).

- `scan_reminders()` (daily): runs every registered scan (stale activities, overdue milestones, agreement reviews
  due, ...); each notifies an occasion once, so a second run the same day makes nothing new.
- `send_digests()` (weekly): one e-mail per person with their unread notifications of the kinds they get in the
  weekly digest, each notification in at most one digest.

`ivp scan_reminders` and `ivp send_digests` call them; a scheduler may call them directly.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.utils import timezone

from .kinds import SCANS, Delivery
from .models import Notification
from .services import _mail, deliveries_for

logger = logging.getLogger("ivp.notifications")


def scan_reminders(today: dt.date | None = None) -> dict[str, int]:
    """Run every registered scan for `today` (default: today). Returns per scan how many notifications it made.
    A scan that fails is logged and the others still run; the failure is raised afterwards."""
    today = today or timezone.localdate()
    counts: dict[str, int] = {}
    failed: list[str] = []
    for key, scan in SCANS.items():
        try:
            counts[key] = scan(today)
        except Exception:
            logger.exception("reminder scan %s failed", key)
            failed.append(key)
    if failed:
        raise RuntimeError(f"reminder scans failed: {', '.join(failed)} (the others ran)")
    return counts


def send_digests() -> int:
    """E-mail each person the unread notifications they chose to get weekly and that no digest has carried yet.
    Returns the number of e-mails sent. Notifications are claimed (`digested_at`) before the mail goes out, so two
    runs at once do not both send them; when the mail fails they are released for the next run."""
    pending = (Notification.objects.unread().filter(digested_at__isnull=True, emailed_at__isnull=True)
               .select_related("recipient").order_by("recipient_id", "created_at", "id"))
    per_person: dict[int, list[Notification]] = defaultdict(list)
    people = {}
    for notification in pending:
        people[notification.recipient_id] = notification.recipient
        per_person[notification.recipient_id].append(notification)
    sent = 0
    for person_id, notifications in per_person.items():
        person = people[person_id]
        if not person.is_active or not person.email:
            continue
        wanted = deliveries_for(person)
        ids = [n.pk for n in notifications if wanted.get(n.kind) == Delivery.DIGEST]
        if not ids:
            continue
        moment = timezone.now()
        Notification.objects.filter(pk__in=ids, digested_at__isnull=True).update(digested_at=moment)
        claimed = list(Notification.objects.filter(pk__in=ids, digested_at=moment).order_by("created_at", "id"))
        if not claimed:
            continue
        if _mail(person, "digest", {"notifications": claimed, "count": len(claimed)}):
            sent += 1
        else:
            Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(digested_at=None)
    return sent
