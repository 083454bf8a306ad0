from django.contrib import admin

from ivp.core.admin_audit import AuditedModelAdmin

from .models import Adoption, FocusLens, GeneralGoal, LocalPriority, Plan, Principle, Theme, ThemeStatement


class ThemeStatementInline(admin.TabularInline):
    model = ThemeStatement
    extra = 0


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ["title", "key", "version", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["source_hash", "source_name", "created_at"]


@admin.register(Theme)
class ThemeAdmin(AuditedModelAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]
    inlines = [ThemeStatementInline]


@admin.register(Adoption)
class AdoptionAdmin(AuditedModelAdmin):
    list_display = ["municipality", "plan", "status", "date", "decision_reference"]
    list_filter = ["status", "plan"]
    readonly_fields = ["version"]  # the edit forms' optimistic locking (ivp.core.locking), not for typing


@admin.register(LocalPriority)
class LocalPriorityAdmin(AuditedModelAdmin):
    list_display = ["title", "municipality", "domain", "plan"]
    list_filter = ["municipality", "domain", "plan"]
    readonly_fields = ["version"]


for model in (FocusLens, GeneralGoal, Principle):
    admin.site.register(model, AuditedModelAdmin)
