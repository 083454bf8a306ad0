"""Bulk writes of plain tuples, below the ORM, for the import's store stage.

A model instance per row costs several times the database's own work when an import writes millions of
observations (docs/benchmarks.md, "Ingest"). These helpers take rows as tuples in a given field order and use the
backend's bulk path: SQLite `executemany` on the raw connection, PostgreSQL `COPY`. They write inside the caller's
transaction (an atomic block is required) and skip everything the ORM does per row: model defaults,
auto_now/auto_now_add, signals, validation. The caller supplies every column (checked), as database values
(`db_value` for the few that need adapting, such as timestamps).

SQL text: table and column names come from the model's _meta, quoted by the backend; values are always parameters
or COPY data, never part of the SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models

# Temporary table of the PostgreSQL bulk update (dropped after use; also with the transaction).
_UPDATE_TABLE = "ivp_bulk_update"


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> None:
    """INSERT one row per tuple (values in the order of `fields`, model field names; the pk is left to the
    database)."""
    _check_covers_defaults(model, fields)
    table, columns = _table(model), _columns(model, fields)
    raw = _raw_connection()
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _field in fields)
            # S608: identifiers from model _meta, quoted; the values are parameters.
            raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """UPDATE by primary key: each row is (pk, *values in the order of `fields`)."""
    if not rows:
        return
    table, pk = _table(model), _quote(model._meta.pk.column)  # type: ignore[arg-type]  # a concrete pk has a column
    names = [_quote(model._meta.get_field(f).column) for f in fields]  # type: ignore[union-attr, arg-type]  # concrete fields
    raw = _raw_connection()
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            # COPY into a temporary table of the same column types, then one UPDATE ... FROM.
            temp, columns = _quote(_UPDATE_TABLE), ", ".join([pk, *names])
            assignments = ", ".join(f"{name} = u.{name}" for name in names)
            with raw.cursor() as cursor:
                # S608: identifiers from model _meta and a constant, quoted; no values in the SQL.
                cursor.execute(f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "  # noqa: S608
                               f"SELECT {columns} FROM {table} WITH NO DATA")
                with cursor.copy(f"COPY {temp} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM {temp} AS u "  # noqa: S608
                               f"WHERE t.{pk} = u.{pk}")
                cursor.execute(f"DROP TABLE {temp}")
        else:
            assignments = ", ".join(f"{name} = ?" for name in names)
            # S608: identifiers from model _meta, quoted; the values are parameters.
            raw.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = ?",  # noqa: S608
                            ((*values, key) for key, *values in rows))


def analyze(model: type[models.Model]) -> None:
    """Refresh the planner statistics of the model's table (PostgreSQL; SQLite plans without them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_table(model)}")


def db_value(model: type[models.Model], field: str, value):
    """`value` as the database stores it in `field` (e.g. a timestamp on SQLite), for a constant of many rows."""
    return model._meta.get_field(field).get_db_prep_value(value, connection, prepared=False)  # type: ignore[union-attr]


def _raw_connection():
    # Raw writes must not autocommit: they belong to the caller's transaction (one import, all or nothing).
    if not connection.in_atomic_block:
        raise RuntimeError("bulk writes must run inside transaction.atomic()")
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"bulk writes for {connection.vendor}")
    connection.ensure_connection()
    return connection.connection


def _check_covers_defaults(model: type[models.Model], fields: Sequence[str]) -> None:
    """Every column the ORM would fill itself (a default, auto_now) or that may not be empty must be given."""
    given = {model._meta.get_field(f).name for f in fields}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in given or field.has_db_default():
            continue
        if not field.null or field.has_default() or getattr(field, "auto_now", False) or \
                getattr(field, "auto_now_add", False):
            raise ValueError(f"{model._meta.label}.{field.name} must be given")


def _table(model: type[models.Model]) -> str:
    return _quote(model._meta.db_table)


def _columns(model: type[models.Model], fields: Sequence[str]) -> str:
    return ", ".join(_quote(model._meta.get_field(f).column) for f in fields)  # type: ignore[union-attr, arg-type]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)
