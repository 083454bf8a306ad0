"""Notifications: the list (mark one or all read) and the choice per kind (ADR 0016). A person sees only their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ivp.notifications.models import Notification
from ivp.notifications.services import (
    deliveries_for,
    notification_mark_read,
    notification_preferences_save,
    notifications_mark_all_read,
)

from ..forms_notifications import NotificationPreferencesForm
from .submit import form_status, submit

PAGE_SIZE = 50


@login_required
def notification_list(request):
    notifications = Notification.objects.for_user(request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "web/notification_list.html", {
        "page": page, "unread": notifications.unread().count(), "title": _("Notifications"),
    })


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notification_mark_read(actor=request.user, notification=notification)
    if request.POST.get("open") and notification.url.startswith("/") and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    messages.success(request, _("Notification marked as read."))
    return redirect("web:notification_list")


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, ngettext("%(count)d notification marked as read.",
                                           "%(count)d notifications marked as read.", count) % {"count": count})
    return redirect("web:notification_list")


@login_required
def notification_preferences(request):
    form = NotificationPreferencesForm(request.POST or None, current=deliveries_for(request.user))
    response = submit(request, form, success_message=_("Your choices have been saved."),
                      service=lambda values: notification_preferences_save(actor=request.user, choices=values),
                      success_url=reverse("web:notification_preferences"))
    return response or render(request, "web/notification_preferences.html",
                              {"form": form, "title": _("Notification settings")}, status=form_status(form))
