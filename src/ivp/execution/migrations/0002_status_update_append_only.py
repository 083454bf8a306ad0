"""Database-level guard for the status history: the table refuses UPDATE (all backends) and DELETE
(PostgreSQL; on SQLite the test runner's flush deletes rows, so there the ORM guards suffice), as
for the audit trail (core 0002)."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION ivp_status_update_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'status updates are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER execution_statusupdate_append_only BEFORE UPDATE OR DELETE ON execution_statusupdate
  FOR EACH ROW EXECUTE FUNCTION ivp_status_update_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS execution_statusupdate_append_only ON execution_statusupdate;
DROP FUNCTION IF EXISTS ivp_status_update_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER execution_statusupdate_append_only BEFORE UPDATE ON execution_statusupdate
BEGIN SELECT RAISE(ABORT, 'status updates are append-only (UPDATE refused)'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS execution_statusupdate_append_only;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("execution", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
