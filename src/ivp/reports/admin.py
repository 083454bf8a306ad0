from django.contrib import admin

from ivp.core.admin_audit import ReadOnlyAdmin

from .models import CouncilReport, CouncilReportFile, ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    """Runs are written only by the services (role-checked, audited); the admin shows them without the file."""

    list_display = ["__str__", "municipality", "status", "progress", "created_by", "created_at", "finished_at", "size"]
    list_filter = ["status", "kind", "fmt", "municipality"]
    exclude = ["content"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")


@admin.register(CouncilReport)
class CouncilReportAdmin(ReadOnlyAdmin):
    """Written only through the services (role-checked, audited, optimistic locking)."""

    list_display = ["__str__", "municipality", "status", "as_of", "adopted_on", "presented_on", "created_by"]
    list_filter = ["status", "kind", "municipality"]


@admin.register(CouncilReportFile)
class CouncilReportFileAdmin(ReadOnlyAdmin):
    """The kept files of adopted reports: never changed; the admin shows them without their content."""

    list_display = ["filename", "report", "variant", "fmt", "size", "sha256", "created_at"]
    exclude = ["content"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")
