"""A version per row for optimistic locking of the edit forms (ivp.core.locking): existing rows start at 1."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial")]
    operations = [
        migrations.AddField(model_name="allocation", name="version",
                            field=models.PositiveIntegerField(default=1, verbose_name="version")),
        migrations.AddField(model_name="fundyear", name="version",
                            field=models.PositiveIntegerField(default=1, verbose_name="version")),
    ]
