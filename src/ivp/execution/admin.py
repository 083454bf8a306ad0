"""Execution data in the admin: for looking only. Writes go through the services (role checks,
optimistic locking, the append-only status history), so the admin offers no add, change or delete."""

from django.contrib import admin

from ivp.core.admin_audit import ReadOnlyAdmin

from .models import Activity, ExecutionPlan, StatusUpdate


@admin.register(ExecutionPlan)
class ExecutionPlanAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "plan", "status", "adopted_on"]
    list_filter = ["status", "period_start", "municipality"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "municipality", "owner", "status", "last_update_at", "version"]
    list_filter = ["status", "municipality"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyAdmin):
    list_display = ["activity", "status", "author", "created_at"]
    list_filter = ["status"]
