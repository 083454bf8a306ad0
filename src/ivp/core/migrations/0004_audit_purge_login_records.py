"""The audit trail's PostgreSQL trigger lets old sign-in records be deleted, and nothing else.

DELETE stays refused, except for the sign-in actions (ivp.core.login_records.LOGIN_ACTIONS) inside a
transaction that set `ivp.purge_login_records` (only `login_records_purge`, `ivp purge_login_records`, does).
UPDATE stays refused on every row. SQLite has no DELETE trigger (see ivp.core.db_triggers); nothing changes there.
"""

from django.db import migrations

FUNCTION = "ivp_core_auditevent_append_only"
ACTIONS = ("auth.login", "auth.logout", "auth.login_failed", "auth.mfa_failed", "auth.mfa_verified",
           "auth.lockout", "auth.session_expired")

FORWARD = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('ivp.purge_login_records', true) = 'on'
     AND OLD.action IN ({", ".join(f"'{a}'" for a in ACTIONS)}) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def _run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # params=None: no placeholder interpolation ("%")
    return operation


class Migration(migrations.Migration):
    dependencies = [("core", "0003_comment")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
