"""Error pages: generic Dutch text, no exception text or stack trace, a way back home.

- 400, 404: Django's default handlers with our templates (400.html, 404.html).
- 403: `permission_denied` also records a refused page view (GET etc.) in the audit trail; a refused
  POST was already recorded as denied by the guard or the service. The admin (/beheer/) refused to a signed-in
  user who is not a superuser gets its own page (403_admin.html), pointing to the people pages.
- 500: Django's default handler, which renders 500.html WITHOUT a request context (the template
  needs none).
- CSRF failure: `csrf_failure` (CSRF_FAILURE_VIEW); Django itself logs it to django.security.csrf.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from ivp.core.admin_site import AdminRefused
from ivp.core.audit.models import AuditResult
from ivp.core.audit.recorder import record_event


@requires_csrf_token
def permission_denied(request, exception=None):
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        record_event(actor=getattr(request, "user", None), action="access.denied", result=AuditResult.DENIED,
                     message=f"{request.method} {request.path}"[:4000])
    if isinstance(exception, AdminRefused):
        return render(request, "403_admin.html", {"title": _("The administration is for the administrator only")},
                      status=403)
    return render(request, "403.html", {"title": _("Access denied")}, status=403)


@requires_csrf_token
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", {"title": _("Your form could not be sent")}, status=403)
