"""The Django admin (/beheer/): configuration for superusers only (issue 14).

Django's own rule lets any staff account in and sends everyone else to the admin's login page, which redirects to
ours, which sends a signed-in user straight back: an endless loop for a signed-in coordinator or advisor. Here a
signed-in user who is not a superuser gets a clear 403 page instead (`AdminRefused`, rendered by
ivp.web.views.errors), and people are managed on the people pages of the app.
"""

from functools import update_wrapper

from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class AdminRefused(PermissionDenied):
    """A signed-in user who is not a superuser opened the admin."""


class IvpAdminSite(AdminSite):
    site_header = _("IVP administration")
    site_title = _("IVP administration")

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_superuser

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def superusers_only(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise AdminRefused(_("The administration is for the application administrator only."))
            return inner(request, *args, **kwargs)

        return update_wrapper(superusers_only, inner)
