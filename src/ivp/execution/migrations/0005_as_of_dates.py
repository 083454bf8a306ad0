"""As-of dates (peildatum): status updates, completed milestones and an activity's spending figure carry the date
they describe. Existing status updates describe the day they were entered (in Dutch time).

The status history is append-only (a database trigger refuses UPDATE): the trigger is lifted for the backfill and
put back afterwards, in both directions. On SQLite adding a NOT NULL column rebuilds the table, which drops its
triggers anyway; the last step creates it again.
"""

from django.db import migrations, models
from django.utils import timezone

from ivp.core.db_triggers import append_only

_GUARD = append_only("execution_statusupdate", "status updates")


def _fill_as_of(apps, schema_editor):
    StatusUpdate = apps.get_model("execution", "StatusUpdate")
    for pk, created_at in StatusUpdate.objects.filter(as_of__isnull=True).values_list("pk", "created_at"):
        day = timezone.localdate(created_at) if timezone.is_aware(created_at) else created_at.date()
        StatusUpdate.objects.filter(pk=pk).update(as_of=day)


class Migration(migrations.Migration):

    dependencies = [
        ("execution", "0004_edit_version"),
    ]

    operations = [
        # Lift the append-only guard (reverse: put it back).
        migrations.RunPython(_GUARD.reverse_code, _GUARD.code),
        migrations.AddField(
            model_name="statusupdate",
            name="as_of",
            field=models.DateField(null=True, help_text="The date this status describes (peildatum).",
                                   verbose_name="as of"),
        ),
        migrations.RunPython(_fill_as_of, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="statusupdate",
            name="as_of",
            field=models.DateField(help_text="The date this status describes (peildatum).", verbose_name="as of"),
        ),
        migrations.AlterModelOptions(
            name="statusupdate",
            options={"ordering": ["-as_of", "-created_at", "-id"], "verbose_name": "status update",
                     "verbose_name_plural": "status updates"},
        ),
        migrations.AddField(
            model_name="activity",
            name="budget_as_of",
            field=models.DateField(blank=True, help_text="The date the spending figure describes (peildatum).",
                                   null=True, verbose_name="spending as of"),
        ),
        migrations.AddField(
            model_name="milestone",
            name="done_on",
            field=models.DateField(blank=True,
                                   help_text="The date the milestone was reached (peildatum); empty while open.",
                                   null=True, verbose_name="completed on"),
        ),
        # Put the guard back (reverse: lift it before the column goes).
        migrations.RunPython(_GUARD.code, _GUARD.reverse_code),
    ]
