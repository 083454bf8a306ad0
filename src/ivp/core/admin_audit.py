"""Django admin that writes through the audit trail.

The admin is configuration for superusers; each save or delete there is an audited write like
any other.
"""

from django.contrib import admin

from .audit.recorder import audited, field_changes


def _municipality_of(obj):
    municipality = getattr(obj, "municipality", None)
    if municipality is None and getattr(obj, "is_municipality", False):
        municipality = obj
    return municipality


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        action = f"admin.{obj._meta.model_name}.{'update' if change else 'create'}"
        with audited(actor=request.user, action=action, target=obj if change else None,
                     municipality=_municipality_of(obj)) as event:
            if change:
                old = type(obj)._default_manager.get(pk=obj.pk)
                event.changes = field_changes(old, {f: getattr(obj, f) for f in form.changed_data
                                                    if hasattr(old, f)}, apply=False)
            super().save_model(request, obj, form, change)
            event.target = obj

    def delete_model(self, request, obj):
        with audited(actor=request.user, action=f"admin.{obj._meta.model_name}.delete", target=obj,
                     municipality=_municipality_of(obj)) as event:
            event.changes = {"deleted": [str(obj), None]}
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For data written only through services (audited, role-checked): the admin shows it, nothing more."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
