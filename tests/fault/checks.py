"""What every fuzzed import must satisfy, whatever the database under the test suite."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from ivp.core.backup import backed_up_models, dump_database

ISSUE = re.compile(r"^(?P<file>[^\n]+?)(?::(?P<line>\d+))?: (?P<field>[^\n:]*): (?P<message>.+)$", re.S)


def assert_issues(issues, file_name: str, *, lines_required: bool = True) -> None:
    """Every issue names the file, a line (where the file has lines) and a field, with a message."""
    assert issues, "a validation error without issues"
    for issue in issues:
        match = ISSUE.match(str(issue))
        assert match, f"issue not in FILE:LINE: FIELD: message form: {issue!s}"
        assert issue.file == file_name, f"issue names {issue.file!r}, not the file {file_name!r}: {issue!s}"
        if lines_required:
            assert issue.line is not None and issue.line >= 1, f"issue without a line: {issue!s}"
        assert issue.message.strip(), f"issue without a message: {issue!s}"


def data_dump(exclude=("core.auditevent",)) -> dict:
    return {label: text for label, text in dump_database().items() if label not in exclude}


def new_audit_events(before: dict) -> list[dict]:
    old = {row["pk"] for row in json.loads(before["core.auditevent"])}
    return [row for row in json.loads(dump_database()["core.auditevent"]) if row["pk"] not in old]


def assert_storable() -> None:
    """Every stored value also fits PostgreSQL (SQLite accepts what PostgreSQL refuses): lengths, integer
    ranges, decimal digits, no NUL characters."""
    ranges = BaseDatabaseOperations.integer_field_ranges
    for model in backed_up_models():
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.IntegerField | models.DecimalField
                                | models.JSONField)]
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            for field, value in zip(fields, row, strict=True):
                if value is None:
                    continue
                where = f"{model._meta.label}.{field.name} = {str(value)[:80]!r}"
                if isinstance(field, models.CharField | models.TextField):
                    assert "\x00" not in value, where
                    if field.max_length:
                        assert len(value) <= field.max_length, where
                elif isinstance(field, models.JSONField):
                    assert "\\u0000" not in json.dumps(value), where
                elif isinstance(field, models.IntegerField):
                    low, high = ranges.get(field.get_internal_type(), ranges["IntegerField"])
                    assert low <= value <= high, where
                elif isinstance(field, models.DecimalField):
                    value = Decimal(value)
                    digits = len(value.as_tuple().digits) - max(0, -value.as_tuple().exponent)
                    assert value.is_finite() and digits <= field.max_digits - field.decimal_places, where
