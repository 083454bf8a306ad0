"""Database triggers that make a table append-only, for migrations.

UPDATE is refused on every backend; DELETE on PostgreSQL only, because the SQLite test runner empties
tables with DELETE (there the model and queryset guards apply). PostgreSQL's TRUNCATE is not affected.
"""

from django.db import migrations


def append_only(table: str, what: str) -> migrations.RunPython:
    """A migration operation that adds (and on reverse removes) the append-only trigger of `table`."""
    function, trigger = f"ivp_{table}_append_only", f"{table}_append_only"
    pg_forward = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{what} are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    pg_backward = f"DROP TRIGGER IF EXISTS {trigger} ON {table}; DROP FUNCTION IF EXISTS {function}();"
    sqlite_forward = (f"CREATE TRIGGER {trigger} BEFORE UPDATE ON {table} "
                      f"BEGIN SELECT RAISE(ABORT, '{what} are append-only (UPDATE refused)'); END;")
    sqlite_backward = f"DROP TRIGGER IF EXISTS {trigger};"

    def run(sql_by_vendor):
        def operation(apps, schema_editor):
            sql = sql_by_vendor.get(schema_editor.connection.vendor)
            if sql:
                # params=None: no placeholder interpolation ("%" in the message).
                schema_editor.execute(sql, params=None)
        return operation

    return migrations.RunPython(run({"postgresql": pg_forward, "sqlite": sqlite_forward}),
                                run({"postgresql": pg_backward, "sqlite": sqlite_backward}))
