"""Django admin that writes through the audit trail.

The admin is configuration for superusers; each save or delete there is an audited write like any other, with
the real changes: the fields of the form (many-to-many fields as the sorted names before and after), each
inline row that is added, changed or deleted (a role granted on the user page is a `membership` row) as its own
event, and a password set on the user's password page. Secrets (passwords, authenticator keys, backup codes)
are recorded as changed, never with their value.
"""

from __future__ import annotations

import re

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

from .audit.recorder import _jsonable, audited, field_changes

MASK = "***"
# Field names whose values are secrets: recorded as MASK (the fact that they changed is kept).
SECRET_FIELD = re.compile(r"password|key|token|secret", re.IGNORECASE)


def _municipality_of(obj):
    municipality = getattr(obj, "municipality", None)
    if municipality is None:
        organisation = obj if hasattr(obj, "is_municipality") else getattr(obj, "organisation", None)
        if getattr(organisation, "is_municipality", False):
            municipality = organisation
    return municipality


def _shown(name: str, value):
    if SECRET_FIELD.search(name) and value not in (None, ""):
        return MASK
    return _jsonable(value)


def _masked(changes: dict) -> dict:
    return {name: [_shown(name, old), _shown(name, new)] for name, (old, new) in changes.items()}


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _names(objects) -> str | None:
    return ", ".join(sorted(str(o) for o in objects)) or None


def form_changes(form, obj, old=None) -> dict:
    """{field: [old, new]} for what the admin form changed on `obj` (`old`: the stored row). A new row: all its
    fields that have a value (a default such as a generated key counts too)."""
    model = type(obj)
    changes = {} if old is not None else {name: [None, value] for name, value in row_values(obj).items()}
    for name in form.changed_data:
        field = _model_field(model, name)
        if field is None:
            continue  # a form-only field (the add form's password1/password2): the model field shows the change
        if field.many_to_many:
            before = _names(getattr(old, name).all()) if old is not None else None
            after = _names(form.cleaned_data.get(name) or [])
            if before != after:
                changes[name] = [before, after]
        elif old is not None and hasattr(old, name):
            changes.update(_masked(field_changes(old, {name: getattr(obj, name)}, apply=False)))
    return changes


def row_values(obj) -> dict:
    """The editable fields of a row that have a value, for a row added or deleted as a whole."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or not field.editable:
            continue
        value = getattr(obj, field.name, None)
        if value not in (None, ""):
            values[field.name] = _shown(field.name, value)
    return values


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        action = f"admin.{obj._meta.model_name}.{'update' if change else 'create'}"
        with audited(actor=request.user, action=action, target=obj if change else None,
                     municipality=_municipality_of(obj)) as event:
            old = type(obj)._default_manager.get(pk=obj.pk) if change else None
            event.changes = form_changes(form, obj, old)
            super().save_model(request, obj, form, change)
            event.target = obj

    def delete_model(self, request, obj):
        with audited(actor=request.user, action=f"admin.{obj._meta.model_name}.delete", target=obj,
                     municipality=_municipality_of(obj)) as event:
            event.changes = {"deleted": [str(obj), None],
                             **{name: [value, None] for name, value in row_values(obj).items()}}
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        """Inline rows (a membership on the user page, a backup code on a device): one audited event per row
        added, changed or deleted."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            self.delete_model(request, obj)
        changed_fields = {id(obj): fields for obj, fields in formset.changed_objects}
        for obj in instances:
            adding = obj.pk is None or id(obj) not in changed_fields
            action = f"admin.{obj._meta.model_name}.{'create' if adding else 'update'}"
            with audited(actor=request.user, action=action, target=None if adding else obj,
                         municipality=_municipality_of(obj)) as event:
                if adding:
                    event.changes = {name: [None, value] for name, value in row_values(obj).items()}
                else:
                    old = type(obj)._default_manager.get(pk=obj.pk)
                    event.changes = _masked(field_changes(
                        old, {f: getattr(obj, f) for f in changed_fields[id(obj)] if hasattr(old, f)}, apply=False))
                obj.save()
                event.target = obj
        formset.save_m2m()


class ReadOnlyAdmin(admin.ModelAdmin):
    """For data written only through services (audited, role-checked): the admin shows it, nothing more."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
