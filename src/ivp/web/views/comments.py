"""Adding a comment (police, OM, advisors, coordinator) to a theme or a local priority."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.core.services import comment_create
from ivp.plans.models import Theme
from ivp.plans.selectors import local_priorities_for_user, plans_for_user

# kind -> (for_user()-scoped queryset, page to return to)
COMMENT_TARGETS = {
    "thema": (lambda user: Theme.objects.filter(plan__in=plans_for_user(user)), "web:theme_detail"),
    "prioriteit": (lambda user: local_priorities_for_user(user), "web:local_priority_detail"),
}


@login_required
@require_POST
def comment_add(request, kind: str, pk: int):
    if kind not in COMMENT_TARGETS:
        raise Http404
    queryset, return_view = COMMENT_TARGETS[kind]
    target = get_object_or_404(queryset(request.user), pk=pk)
    try:
        comment_create(actor=request.user, target=target, text=request.POST.get("text", ""))
    except ValidationError as exc:
        # Keep what the user typed: show it again in the form.
        request.session["comment_draft"] = request.POST.get("text", "")
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    else:
        messages.success(request, _("Comment added."))
    return redirect(return_view, pk=target.pk)
