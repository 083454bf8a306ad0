"""Model fields with IVP-specific behaviour."""

from __future__ import annotations

import decimal
from functools import cached_property

from django.db import models


class LenientDecimalField(models.DecimalField):
    """A DecimalField whose stored values can always be read back.

    SQLite does not enforce a column's precision. A value stored with more digits than `max_digits` allows
    (before the upload validated it, or written by another program) comes back as a float that Django's SQLite
    converter quantizes with a context of `max_digits` digits, which raises `decimal.InvalidOperation` for every
    query that reads the row: one bad row made a whole page answer 500, for every role, and made every later
    upload fail. Reading uses a context wide enough for any value; writing is unchanged (the services validate
    `max_digits` and `decimal_places` before the database, and PostgreSQL enforces them).
    """

    @cached_property
    def context(self):
        # Used by the SQLite converter when reading (and by to_python for floats, which keeps its own below).
        return decimal.Context(prec=decimal.MAX_PREC)

    def to_python(self, value):
        if isinstance(value, float):
            value = decimal.Context(prec=self.max_digits).create_decimal_from_float(value)
        return super().to_python(value)

    def deconstruct(self):
        # Same column, same validation: migrations see a plain DecimalField, so none is needed for the switch.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
