"""Migrations: none missing, and every app migrates to zero and forward again (the append-only triggers'
reverse operations included), leaving the same schema."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def test_no_missing_migrations(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail("models changed without a migration:\n" + out.getvalue())


def _schema():
    """Tables with their columns, constraints and indexes, and the triggers."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        tables = {}
        for name in sorted(introspection.table_names(cursor)):
            columns = [(c.name, c.type_code, c.null_ok) for c in introspection.get_table_description(cursor, name)]
            constraints = {key: {k: v for k, v in value.items() if k != "definition"}
                           for key, value in introspection.get_constraints(cursor, name).items()
                           if not key.startswith("__")}  # SQLite's unnamed constraints
            tables[name] = (columns, constraints)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal "
                           "ORDER BY 1")
        else:
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY 1")
        triggers = cursor.fetchall()
    return tables, triggers


# Third-party apps whose migrations cannot be reversed (django-tasks-db 0013 is a data migration without a reverse):
# they stay migrated during the round trip of every other app.
IRREVERSIBLE = {"django_tasks_database"}
KEPT_TABLES = {"django_tasks_database_dbtaskresult"}


def _leaves(executor):
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_every_app_migrates_to_zero_and_forward_again():
    before_tables, before_triggers = _schema()
    assert ("core_auditevent_append_only", "core_auditevent") in before_triggers
    assert ("execution_statusupdate_append_only", "execution_statusupdate") in before_triggers
    executor = MigrationExecutor(connection)
    apps_with_migrations = sorted({app for app, _name in executor.loader.graph.nodes} - IRREVERSIBLE)
    try:
        executor.migrate([(app, None) for app in apps_with_migrations])
        tables, triggers = _schema()
        assert set(tables) == {"django_migrations", *KEPT_TABLES}, sorted(tables)
        assert triggers == []
        executor = MigrationExecutor(connection)
        executor.migrate(_leaves(executor))
    finally:
        # Never leave the test database half migrated, whatever happened above.
        executor = MigrationExecutor(connection)
        executor.migrate(_leaves(executor))
    after_tables, after_triggers = _schema()
    assert after_triggers == before_triggers
    assert after_tables.keys() == before_tables.keys()
    for name in before_tables:
        assert after_tables[name] == before_tables[name], name
    # The triggers work again after the round trip.
    from ivp.core.audit.recorder import record_event

    event = record_event(actor=None, action="test.migrations", result="success")
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [event.pk])
