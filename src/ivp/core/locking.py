"""Optimistic locking: one edit based on a version wins, a second based on the same version is refused.

Every edit form carries the `version` of the row it was opened on. The service writes with one conditional
UPDATE (`... WHERE pk = %s AND version = <expected>`, setting `version = version + 1`), so the check and the
write are one statement: of two concurrent saves based on the same version exactly one matches the row, on
every database backend (PostgreSQL re-checks the WHERE clause after the first transaction commits; SQLite
runs write transactions one after the other). The loser gets `StaleEdit`, raised inside `audited(...)`, so its
whole transaction is rolled back and the attempt is recorded as an error event; the view shows the form
again with the user's input and answers 409 (see `ivp.web.views.submit`).

    changes = field_changes(obj, values)          # in memory; the audit event's changes
    if not changes:
        raise NothingChanged
    save_versioned(obj, expected_version=expected, fields=values)   # StaleEdit when someone saved in between
    obj.tags.set(...)                              # many-to-many writes after the claim: the row is ours now
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

VERSION_FIELD = "version"


class StaleEdit(Exception):  # noqa: N818  (the name the views and tests have always used)
    """Someone else saved the object after this user's form was opened; nothing was saved."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _(
            "Someone else saved this while you were editing it, so your changes have not been saved. Your input is "
            "still in the form below; check it against what was saved and save again."))


def save_versioned(instance: models.Model, *, expected_version: int | None, fields: Iterable[str]) -> None:
    """Write `fields` of `instance` (as set in memory) and raise the version by one, in one conditional UPDATE
    that matches only while the stored version is `expected_version` (None: the version `instance` was read at).

    Only the named fields are written (plus `auto_now` fields such as `updated_at`), never the whole row: other
    writes that do not take part in the locking (an activity's status, a co-signature) are not overwritten with
    what this request read earlier. Raises StaleEdit when no row matched; `instance.version` is the new version
    afterwards."""
    model = type(instance)
    expected = getattr(instance, VERSION_FIELD) if expected_version is None else expected_version
    names = set(fields)
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name == VERSION_FIELD:
            continue
        if field.name in names or getattr(field, "auto_now", False):
            # pre_save gives the value to store, and sets the new timestamp of an auto_now field.
            values[field.attname] = field.pre_save(instance, False)
            names.discard(field.name)
    if names:
        raise ValueError(f"{model.__name__} has no field(s) {sorted(names)} to save")
    matched = model._base_manager.filter(pk=instance.pk, **{VERSION_FIELD: expected}).update(
        **values, **{VERSION_FIELD: F(VERSION_FIELD) + 1})
    if not matched:
        raise StaleEdit
    setattr(instance, VERSION_FIELD, expected + 1)


def require_version(instance: models.Model, *, expected_version: int | None) -> None:
    """Refuse an edit based on an older version that turned out to change nothing compared with the stored row:
    the user did not see what the other person saved, so a quiet "nothing changed" would mislead them."""
    if expected_version is None:
        return
    if not type(instance)._base_manager.filter(pk=instance.pk, **{VERSION_FIELD: expected_version}).exists():
        raise StaleEdit


def create_once(model: type[models.Model], *, key: dict, expected_version: int | None = 0, **values):
    """Create the row identified by the unique `key` for a form that was opened before it existed (version 0).

    When someone else created it in the meantime the database's unique constraint refuses the second INSERT;
    that is a StaleEdit, not an error page. The INSERT runs in a savepoint so the surrounding transaction (and
    its audit event) can go on."""
    if expected_version not in (None, 0):
        raise StaleEdit(_("What you were editing was deleted in the meantime. Your input is still in the form "
                          "below."))
    try:
        with transaction.atomic():
            return model._default_manager.create(**key, **values)
    except IntegrityError:
        if model._base_manager.filter(**key).exists():
            raise StaleEdit from None
        raise
