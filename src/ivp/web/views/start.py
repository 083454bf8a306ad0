"""Mijn IVP: the start page after sign-in, its sections chosen by what the user may do (ivp.web.start_page)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..start_page import start_page


@login_required
def start(request):
    return render(request, "web/start.html", {
        "page": start_page(request.user), "title": _("My IVP"), "stale_days": settings.IVP_STALE_AFTER_DAYS,
    })
