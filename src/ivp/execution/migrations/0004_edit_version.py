"""A version per row for optimistic locking of the edit forms (ivp.core.locking): existing rows start at 1."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("execution", "0003_activity_partner_shared_at")]
    operations = [
        migrations.AddField(model_name="executionplan", name="version",
                            field=models.PositiveIntegerField(default=1, verbose_name="version")),
        migrations.AddField(model_name="themeadjustment", name="version",
                            field=models.PositiveIntegerField(default=1, verbose_name="version")),
    ]
