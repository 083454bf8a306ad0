"""Public activities (ADR 0020): an activity marked public, and per status update whether its explanation may be
shown publicly. The status history's append-only guard is lifted around the new column (SQLite rebuilds the table,
which drops its trigger) and put back."""

from django.db import migrations, models

from ivp.core.db_triggers import append_only

_GUARD = append_only("execution_statusupdate", "status updates")


class Migration(migrations.Migration):

    dependencies = [
        ("execution", "0005_as_of_dates"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="is_public",
            field=models.BooleanField(
                default=False, verbose_name="public",
                help_text="Shown on the public pages: title, description, themes, focus lenses, status, the "
                          "organisation responsible and the planned budget. Never the owner's name or internal "
                          "explanations."),
        ),
        # Lift the append-only guard (reverse: put it back).
        migrations.RunPython(_GUARD.reverse_code, _GUARD.code),
        migrations.AddField(
            model_name="statusupdate",
            name="narrative_public",
            field=models.BooleanField(default=False, verbose_name="explanation is public"),
        ),
        # Put the guard back (reverse: lift it before the column goes).
        migrations.RunPython(_GUARD.code, _GUARD.reverse_code),
    ]
