from django.db import migrations, models

from schedule.text import markdown_to_text


def fill(apps, schema_editor):
    Talk = apps.get_model("talks", "Talk")
    for talk in Talk.objects.exclude(abstract="").only("pk", "abstract"):
        Talk.objects.filter(pk=talk.pk).update(abstract_text=markdown_to_text(talk.abstract))


class Migration(migrations.Migration):
    dependencies = [("talks", "0005_talk_uid_unique")]

    operations = [
        migrations.AddField(
            model_name="talk",
            name="abstract_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The abstract as plain text (for calendars), kept in step on save.",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
