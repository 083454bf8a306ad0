from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .admin_audit import AuditedModelAdmin
from .audit.models import AuditEvent
from .models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "cbs_code", "partner_kind", "parent"]
    list_filter = ["kind", "partner_kind"]
    search_fields = ["name", "code", "cbs_code"]


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: events can be searched and read, never added, changed or deleted."""

    list_display = ["occurred_at", "actor_label", "action", "object_repr", "municipality", "result", "origin_ip"]
    list_filter = ["result", "origin", "municipality"]
    search_fields = ["actor_label", "action", "object_repr", "message"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
