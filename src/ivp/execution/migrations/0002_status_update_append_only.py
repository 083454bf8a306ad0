"""Database-level guard for the status history, as for the audit trail (see ivp.core.db_triggers)."""

from django.db import migrations

from ivp.core.db_triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("execution", "0001_initial")]
    operations = [append_only("execution_statusupdate", "status updates")]
