from django.contrib import admin

from ivp.core.admin_audit import ReadOnlyAdmin

from .models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    """Written only by the scheduler and the worker: what ran when, and how it went."""

    list_display = ["job", "slot", "status", "started_at", "finished_at", "message"]
    list_filter = ["status", "job"]
