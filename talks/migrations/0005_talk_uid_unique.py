"""Separate from 0004: PostgreSQL cannot alter a table in the transaction that updated its
rows (pending trigger events)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("talks", "0004_identity")]

    operations = [
        migrations.AlterField(
            model_name="talk",
            name="uid",
            field=models.CharField(editable=False, help_text="Calendar UID; never changes, whatever database the talk is in.", max_length=255, unique=True),
        ),
    ]
