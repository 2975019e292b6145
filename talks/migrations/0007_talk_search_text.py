from django.db import migrations, models

from talks.search_text import talk_search_text


def fill(apps, schema_editor):
    Talk = apps.get_model("talks", "Talk")
    talks = list(Talk.objects.only("pk", "title", "subtitle", "abstract_text"))
    for talk in talks:
        talk.search_text = talk_search_text(talk)
    Talk.objects.bulk_update(talks, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("talks", "0006_talk_abstract_text")]

    operations = [
        migrations.AddField(
            model_name="talk",
            name="search_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Title, subtitle and abstract folded for search (schedule.search), "
                "kept in step on save.",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
