"""Database-level guard for the audit trail: the table refuses UPDATE (all backends) and DELETE
(PostgreSQL); see ivp.core.db_triggers."""

from django.db import migrations

from ivp.core.db_triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [append_only("core_auditevent", "audit events")]
