from django.contrib import admin

from ivp.core.admin_audit import ReadOnlyAdmin

from .models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    """Runs are written only by the services (role-checked, audited); the admin shows them without the file."""

    list_display = ["__str__", "municipality", "status", "progress", "created_by", "created_at", "finished_at", "size"]
    list_filter = ["status", "kind", "fmt", "municipality"]
    exclude = ["content"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")
