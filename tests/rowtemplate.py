"""Write once per session, restore per test: the rows an expensive service call writes (the real open-data import
takes seconds; restoring its rows takes a fraction of that).

`RowTemplate.capture(setup, action, state, fresh)` runs `setup()` and then `action()` on an empty test database,
inside a transaction that it rolls back, and keeps every row `action` inserted, table by table. `restore()` writes
those rows again into the test's database, in the caller's transaction, when the database is in the state `action`
ran in:

- every table `action` inserted into that was empty before it (areas, observations, ...) is empty now, and
- `state()` (what `action` reads from the rows `setup` made: here the municipalities and their CBS codes) gives
  the same value as when the template was captured.

Otherwise `restore()` writes nothing and returns False, and `apply()` calls `action()` itself. The restored rows are
the captured ones with three adjustments, so that they look as if `action` had run now:

- a reference to a row made before `action` (an area's municipality) is remapped by that row's natural key
  (NATURAL_KEYS), since the caller's rows need not have the captured ids;
- rows of tables that already held rows before `action` (the audit trail) get new ids from the database;
- date-time columns move on by the time between the capture and the restore (the import stamps its batch,
  observations and audit event with the time it runs; a new account's enrolment permit expires a week later), and
  an audit event about a restored row gets that row's text again (`str(row)`, which may show its time stamp);
  `fresh()` then does what must differ from one run of the action to the next (the import
  gives the figures a new random state token).

Capture refuses a service that changes or deletes rows that existed before it, or that refers to an earlier row
without a natural key. On PostgreSQL the rows travel as COPY text (captured once, written back with one COPY per
table and a server-side INSERT ... SELECT where an adjustment applies) and the sequences are moved past them; on
SQLite as the raw column values. tests/test_rowtemplate.py checks that a restore gives the same rows as the action.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from ivp.core.models import Organisation

# Rows made before the action that the action's rows may refer to: the model and its natural key.
NATURAL_KEYS: dict[type[models.Model], str] = {Organisation: "code"}
# Rows the migrations themselves write; every other table must be empty when a template is captured.
MIGRATION_TABLES = {"django_content_type", "auth_permission"}
ANALYZE_AFTER_ROWS = 10_000  # as the import's store stage: a table that grew by this many rows gets ANALYZE


@dataclass
class _Table:
    model: type[models.Model]
    columns: list[str]  # every concrete column, the primary key first
    count: int
    was_empty: bool  # empty before the action: must be empty at a restore; otherwise new primary keys are given
    datetimes: list[str] = field(default_factory=list)
    remap: dict[str, tuple[type[models.Model], dict]] = field(default_factory=dict)  # column -> (model, {id: key})
    about: dict = field(default_factory=dict)  # audit events: captured pk -> (model label, object id)
    rows: list[tuple] = field(default_factory=list)  # SQLite: raw values
    copy_text: bytes = b""  # PostgreSQL: COPY text format

    @property
    def table(self) -> str:
        return self.model._meta.db_table


def _models() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and m._meta.db_table]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _rows(model) -> dict:
    columns = [model._meta.pk.column] + [f.column for f in model._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(_q, columns))} FROM {_q(model._meta.db_table)}")  # noqa: S608
        return {row[0]: row for row in cursor.fetchall()}


class RowTemplate:
    def __init__(self, tables: list[_Table], state_value, state: Callable[[], object], action: Callable[[], object],
                 fresh: Callable[[], object], captured_at: dt.datetime):
        self.tables, self.state_value, self.state, self.action, self.fresh = tables, state_value, state, action, fresh
        self.captured_at = captured_at

    @classmethod
    def capture(cls, *, setup: Callable[[], object], action: Callable[[], object],
                state: Callable[[], object], fresh: Callable[[], object] = lambda: None) -> RowTemplate:
        if connection.in_atomic_block:
            raise RuntimeError("a row template is captured outside any transaction (a session fixture)")
        with transaction.atomic():
            busy = [m._meta.db_table for m in _models()
                    if m._meta.db_table not in MIGRATION_TABLES and m._base_manager.exists()]
            if busy:
                raise RuntimeError(f"a row template needs an empty test database; rows found in {busy}")
            setup()
            before = {model: _rows(model) for model in _models()}
            state_value = state()
            captured_at = timezone.now()
            action()
            tables = []
            for model, old in before.items():
                new = _rows(model)
                changed = [pk for pk, row in old.items() if new.get(pk) != row]
                if changed:
                    raise RuntimeError(f"the action changed or deleted rows of {model._meta.db_table}: {changed[:5]}")
                added = [row for pk, row in new.items() if pk not in old]
                if added:
                    tables.append(cls._table(model, old, added, before))
            state_after = state()
            if state_after != state_value:
                raise RuntimeError("the action changed what `state` reads; restores could not check it")
            transaction.set_rollback(True)
        return cls(tables, state_value, state, action, fresh, captured_at)

    @staticmethod
    def _table(model, old: dict, added: list[tuple], before: dict) -> _Table:
        fields = [model._meta.pk] + [f for f in model._meta.concrete_fields if not f.primary_key]
        table = _Table(model, [f.column for f in fields], len(added), was_empty=not old)
        table.datetimes = [f.column for f in fields if isinstance(f, models.DateTimeField)]
        for i, f in enumerate(fields):
            if not f.is_relation or f.primary_key:
                continue
            target = f.related_model
            earlier = {row[i] for row in added if row[i] is not None and row[i] in before.get(target, {})}
            if not earlier:
                continue
            if target not in NATURAL_KEYS:
                raise RuntimeError(f"{model._meta.db_table}.{f.column} refers to rows of {target._meta.db_table} made "
                                   "before the action, which have no natural key in NATURAL_KEYS")
            keys = dict(target._base_manager.filter(pk__in=earlier).values_list("pk", NATURAL_KEYS[target]))
            table.remap[f.column] = (target, keys)
        if {"object_type", "object_id", "object_repr"} <= set(table.columns):
            i, j = table.columns.index("object_type"), table.columns.index("object_id")
            table.about = {row[0]: (row[i], row[j]) for row in added if row[i]}
        if not table.was_empty:
            referred = [f"{m._meta.db_table}.{f.column}" for m in before for f in m._meta.concrete_fields
                        if f.is_relation and f.related_model is model]
            if referred:  # new ids for these rows would have to be carried into the rows referring to them
                raise RuntimeError(f"{model._meta.db_table} held rows before the action and is referred to by "
                                   f"{referred}")
        if connection.vendor == "postgresql":
            pks = [row[0] for row in added]
            buffer = io.BytesIO()
            with connection.connection.cursor() as cursor, cursor.copy(
                    f"COPY (SELECT {', '.join(map(_q, table.columns))} FROM {_q(table.table)} "  # noqa: S608
                    f"WHERE {_q(table.columns[0])} = ANY(%s)) TO STDOUT", (pks,)) as copy:
                for data in copy:
                    buffer.write(data)
            table.copy_text = buffer.getvalue()
        else:
            table.rows = added
        return table

    def apply(self) -> bool:
        """Restore the rows, or run the action when the database is not in the captured state. True if restored."""
        if self.restore():
            return True
        self.action()
        return False

    def restore(self) -> bool:
        with transaction.atomic():
            for table in self.tables:
                if table.was_empty and table.model._base_manager.exists():
                    return False
            if self.state() != self.state_value:
                return False
            ids = {}
            for table in self.tables:
                for column, (target, keys) in table.remap.items():
                    found = dict(target._base_manager.filter(**{f"{NATURAL_KEYS[target]}__in": keys.values()})
                                 .values_list(NATURAL_KEYS[target], "pk"))
                    if len(found) != len(set(keys.values())):
                        return False
                    ids[table.table, column] = {old: found[key] for old, key in keys.items()}
            shift = timezone.now() - self.captured_at
            restored = {t.model._meta.label_lower: t.model for t in self.tables if t.was_empty}
            for table in sorted(self.tables, key=lambda t: bool(t.about)):  # audit events after their objects
                texts = {pk: str(restored[label]._base_manager.get(pk=object_id))[:300]
                         for pk, (label, object_id) in table.about.items() if label in restored}
                if connection.vendor == "postgresql":
                    self._restore_postgresql(table, ids, shift, texts)
                else:
                    self._restore_sqlite(table, ids, shift, texts)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables]):
                        cursor.execute(sql)
                    for table in self.tables:
                        if table.count > ANALYZE_AFTER_ROWS:
                            cursor.execute(f"ANALYZE {_q(table.table)}")
            self.fresh()
        return True

    @staticmethod
    def _restore_postgresql(table: _Table, ids: dict, shift: dt.timedelta, texts: dict) -> None:
        target, columns = _q(table.table), ", ".join(map(_q, table.columns))
        with connection.connection.cursor() as cursor:
            if table.was_empty and not table.remap and not table.datetimes and not texts:
                with cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
                    copy.write(table.copy_text)
                return
            # Through a temporary table, adjusted on the way in by one INSERT ... SELECT.
            stage = _q("ivp_row_template")
            cursor.execute(f"CREATE TEMPORARY TABLE {stage} AS SELECT {columns} FROM {target} "  # noqa: S608
                           "WITH NO DATA")
            with cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
                copy.write(table.copy_text)
            names, values, params = [], [], []
            for i, column in enumerate(table.columns):
                if i == 0 and not table.was_empty:
                    continue  # a new primary key from the database
                names.append(_q(column))
                if column in table.datetimes:
                    values.append(f"{_q(column)} + %s")
                    params.append(shift)
                elif (table.table, column) in ids or (column == "object_repr" and texts):
                    mapping, key = (ids[table.table, column], column) if column != "object_repr" \
                        else (texts, table.columns[0])
                    values.append(f"CASE {_q(key)} " + " ".join("WHEN %s THEN %s" for _ in mapping)
                                  + f" ELSE {_q(column)} END")
                    params += [v for pair in mapping.items() for v in pair]
                else:
                    values.append(_q(column))
            order = f" ORDER BY {_q(table.columns[0])}"  # new ids in the captured order
            cursor.execute(f"INSERT INTO {target} ({', '.join(names)}) "  # noqa: S608
                           f"SELECT {', '.join(values)} FROM {stage}{order}", params)
            cursor.execute(f"DROP TABLE {stage}")

    @staticmethod
    def _restore_sqlite(table: _Table, ids: dict, shift: dt.timedelta, texts: dict) -> None:
        adjust = {i: (lambda value, _row: None if value is None else value + shift)
                  for i, c in enumerate(table.columns) if c in table.datetimes}
        for i, column in enumerate(table.columns):
            if (table.table, column) in ids:
                mapping = ids[table.table, column]
                adjust[i] = lambda value, _row, mapping=mapping: mapping.get(value, value)
            elif column == "object_repr" and texts:
                adjust[i] = lambda value, row: texts.get(row[0], value)
        first = 0 if table.was_empty else 1  # a new primary key from the database
        columns = table.columns[first:]
        rows = table.rows if not adjust and first == 0 else [
            tuple(adjust[i](v, row) if i in adjust else v for i, v in enumerate(row) if i >= first)
            for row in table.rows]
        marks = ", ".join("?" for _ in columns)
        connection.connection.executemany(
            f"INSERT INTO {_q(table.table)} ({', '.join(map(_q, columns))}) VALUES ({marks})", rows)  # noqa: S608
