"""Notifications of the partners app: a cooperation agreement's review is due (daily scan, ADR 0016)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ivp import notation
from ivp.core.access import access_for
from ivp.core.selectors import editors_of
from ivp.notifications.kinds import KINDS, SCANS, Kind
from ivp.notifications.services import notify

from .models import AgreementStatus, CooperationAgreement

REVIEW_NOTICE_DAYS = 14  # the owner hears of a review this many days before its date

KINDS.register("agreement_review_due", Kind(
    label=_("A cooperation agreement of yours is due for review"),
    message=_("The review of the agreement %(title)s is due on %(date)s."),
    needs_response=True,
))


def _responsible(agreement: CooperationAgreement) -> list:
    owner = agreement.owner
    if owner is not None and owner.is_active and access_for(owner).can_edit_municipality(agreement.municipality_id):
        return [owner]
    return list(editors_of([agreement.municipality_id] if agreement.municipality_id else []))


def scan_agreement_reviews(today: dt.date) -> int:
    """Notify the owner of each agreement whose review date is within REVIEW_NOTICE_DAYS (or past), once per
    review date: a new review date is a new occasion."""
    due = (CooperationAgreement.objects.filter(review_date__lte=today + dt.timedelta(days=REVIEW_NOTICE_DAYS))
           .exclude(status=AgreementStatus.ENDED).select_related("owner", "municipality"))
    made = 0
    for agreement in due:
        if agreement.review_date is None:
            continue
        made += len(notify(
            recipients=_responsible(agreement), kind="agreement_review_due",
            occasion=f"agreement:{agreement.pk}:review:{agreement.review_date.isoformat()}",
            params={"title": agreement.title, "date": notation.date(agreement.review_date)},
            url=reverse("web:agreement_detail", kwargs={"pk": agreement.pk}), municipality=agreement.municipality))
    return made


SCANS.register("agreement_review_due", scan_agreement_reviews)
