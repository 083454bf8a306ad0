from django.contrib import admin

from ivp.core.admin_audit import AuditedModelAdmin

from .models import CooperationAgreement, PartnerProfile


@admin.register(PartnerProfile)
class PartnerProfileAdmin(AuditedModelAdmin):
    list_display = ["organisation", "contact_role", "contact_email", "website"]
    filter_horizontal = ["municipalities"]
    readonly_fields = ["version", "updated_at"]


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(AuditedModelAdmin):
    list_display = ["title", "kind", "municipality", "owner", "start_date", "review_date", "status"]
    list_filter = ["kind", "status", "municipality"]
    filter_horizontal = ["parties"]
    readonly_fields = ["version", "created_at", "updated_at"]
