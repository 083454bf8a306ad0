"""The "geschiedenis" (history) page of an object: its audit events, newest first.

Each kind maps to a for_user()-scoped lookup, so the history of an object is visible exactly to
those who may see the object.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ivp.core.access import access_for
from ivp.core.audit.models import AuditEvent
from ivp.core.roles import Capability
from ivp.core.selectors import municipalities_in_full_for_user
from ivp.execution.models import Activity, ActivityPartner, ExecutionPlan, ThemeAdjustment
from ivp.execution.selectors import activities_for_user, execution_plans_for_user
from ivp.indicators.models import Interpretation
from ivp.partners.models import PartnerProfile
from ivp.partners.selectors import agreements_for_user, partners_for_user
from ivp.plans.models import Adoption, Plan, Theme
from ivp.plans.selectors import local_priorities_for_user, plans_for_user
from ivp.reports.selectors import council_reports_for_user

HISTORY_KINDS = {
    "plan": (_("plan"), lambda user: plans_for_user(user)),
    "thema": (_("theme"), lambda user: Theme.objects.filter(plan__in=plans_for_user(user))),
    "prioriteit": (_("local priority"), lambda user: local_priorities_for_user(user)),
    "vaststelling": (_("adoption"), lambda user: Adoption.objects.for_user(user)),
    "gemeente": (_("municipality"), lambda user: municipalities_in_full_for_user(user)),
    "afspraak": (_("cooperation agreement"), lambda user: agreements_for_user(user)),
    "partnerprofiel": (_("partner register entry"),
                       lambda user: PartnerProfile.objects.filter(organisation__in=partners_for_user(user))),
    "uitvoeringsplan": (_("execution plan"), lambda user: execution_plans_for_user(user)),
    "activiteit": (_("activity"), lambda user: activities_for_user(user)),
    "rapportage": (_("council report"), lambda user: council_reports_for_user(user)),
    # A duiding with its remark thread: for who reads the municipality in full (not partners, who see only the
    # published text).
    "duiding": (_("interpretation (duiding)"), lambda user: interpretations_in_full_for_user(user)),
}


def interpretations_in_full_for_user(user):
    base_team = Q(municipality__isnull=True) if access_for(user).can_somewhere(Capability.READ) else Q(pk__in=[])
    return Interpretation.objects.for_user(user).filter(
        Q(municipality__in=municipalities_in_full_for_user(user)) | base_team).select_related("area")


def history_events_for(obj):
    events = AuditEvent.objects.for_object(obj)
    if isinstance(obj, Plan):
        return events
    if isinstance(obj, ExecutionPlan):
        # Its local adjustments of shared themes are part of it (adjustments are never deleted).
        adjustments = [str(pk) for pk in
                       ThemeAdjustment.objects.filter(execution_plan=obj).values_list("pk", flat=True)]
        return events | AuditEvent.objects.filter(object_type=ThemeAdjustment._meta.label_lower,
                                                  object_id__in=adjustments)
    if getattr(obj, "is_municipality", False):
        # A municipality's history includes what happened to its priorities and adoptions,
        # also to priorities that were deleted since.
        return AuditEvent.objects.filter(municipality=obj)
    return events


def shared_since(user, obj):
    """For a reader who sees an activity only because it is shared with their organisation: the moment it was
    first shared with them (its history before that is not theirs); None for everyone else."""
    if not isinstance(obj, Activity):
        return None
    access = access_for(user)
    if access.can(Capability.READ, obj.municipality_id):
        return None
    moments = ActivityPartner.objects.filter(activity=obj, organisation_id__in=access.partner_organisation_ids)
    return moments.aggregate(first=Min("shared_at"))["first"] or timezone.now()


@login_required
def object_history(request, kind: str, pk: int):
    if kind not in HISTORY_KINDS:
        raise Http404
    label, queryset = HISTORY_KINDS[kind]
    obj = get_object_or_404(queryset(request.user), pk=pk)
    events = history_events_for(obj)
    since = shared_since(request.user, obj)
    if since is not None:
        # The change that shared the activity shows the values from before it (old -> new): left out too, unless it
        # created the activity (nothing came before).
        sharing = events.filter(occurred_at__gte=since).order_by("occurred_at").first()
        if sharing is not None and not sharing.action.endswith(".create"):
            events = events.filter(occurred_at__gt=sharing.occurred_at)
        else:
            events = events.filter(occurred_at__gte=since)
    events = events.select_related("actor")[:500]
    return render(request, "web/history.html", {"object": obj, "kind_label": label, "events": events})
