"""The "geschiedenis" (history) page of an object: its audit events, newest first.

Each kind maps to a for_user()-scoped lookup, so the history of an object is visible exactly to
those who may see the object.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from ivp.core.audit.models import AuditEvent
from ivp.core.selectors import municipalities_in_full_for_user
from ivp.plans.models import Adoption, Plan, Theme
from ivp.plans.selectors import local_priorities_for_user, plans_for_user

HISTORY_KINDS = {
    "plan": (_("plan"), lambda user: plans_for_user(user)),
    "thema": (_("theme"), lambda user: Theme.objects.filter(plan__in=plans_for_user(user))),
    "prioriteit": (_("local priority"), lambda user: local_priorities_for_user(user)),
    "vaststelling": (_("adoption"), lambda user: Adoption.objects.for_user(user)),
    "gemeente": (_("municipality"), lambda user: municipalities_in_full_for_user(user)),
}


def history_events_for(obj):
    events = AuditEvent.objects.for_object(obj)
    if isinstance(obj, Plan):
        return events
    if getattr(obj, "is_municipality", False):
        # A municipality's history includes what happened to its priorities and adoptions,
        # also to priorities that were deleted since.
        return AuditEvent.objects.filter(municipality=obj)
    return events


@login_required
def object_history(request, kind: str, pk: int):
    if kind not in HISTORY_KINDS:
        raise Http404
    label, queryset = HISTORY_KINDS[kind]
    obj = get_object_or_404(queryset(request.user), pk=pk)
    events = history_events_for(obj).select_related("actor")[:500]
    return render(request, "web/history.html", {"object": obj, "kind_label": label, "events": events})
