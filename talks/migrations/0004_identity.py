"""Speaker identity (person ids per series, readable slugs, old URLs), stored calendar UIDs
and app ids. Existing talks keep the UID they were published with (talk-<pk>@domain)."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion

from talks.identity import LOCAL_ID_BASE, name_key, readable_slug, unique_slug


def keep_published_uids(apps, schema_editor):
    Talk = apps.get_model("talks", "Talk")
    for talk in Talk.objects.filter(uid="").only("pk"):
        Talk.objects.filter(pk=talk.pk).update(
            uid=f"talk-{talk.pk}@{settings.SCHEDULE_UID_DOMAIN}"
        )
    for talk in Talk.objects.filter(frab_id__isnull=True).only("pk"):
        Talk.objects.filter(pk=talk.pk).update(frab_id=LOCAL_ID_BASE + talk.pk)


def fill_names_and_slugs(apps, schema_editor):
    """Name keys for matching; speakers whose slug was a placeholder ("speaker", from a
    non-Latin name) get a readable one, and the old URL redirects."""
    Speaker = apps.get_model("talks", "Speaker")
    SpeakerRedirect = apps.get_model("talks", "SpeakerRedirect")
    taken = set(Speaker.objects.values_list("slug", flat=True))
    for speaker in Speaker.objects.all():
        speaker.name_key = name_key(speaker.name)
        wanted = readable_slug(speaker.name)
        placeholder = speaker.slug == "speaker" or speaker.slug.startswith("speaker-")
        if placeholder and not wanted.startswith("speaker-"):
            new_slug = unique_slug(wanted, taken)
            taken.add(new_slug)
            SpeakerRedirect.objects.create(old_slug=speaker.slug, speaker=speaker)
            speaker.slug = new_slug
        speaker.save(update_fields=["name_key", "slug"])


class Migration(migrations.Migration):
    dependencies = [("talks", "0003_track_updates"), ("schedule", "0003_series_and_change_markers")]

    operations = [
        migrations.AddField(
            model_name="speaker",
            name="name_key",
            field=models.CharField(db_index=True, default="", editable=False, help_text="The name without case or accents, for matching.", max_length=200),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="speaker",
            name="name",
            field=models.CharField(help_text="As the person writes it.", max_length=200),
        ),
        migrations.AlterField(
            model_name="speaker",
            name="slug",
            field=models.SlugField(blank=True, help_text="Used in URLs; empty: transliterated from the name.", max_length=200, unique=True),
        ),
        migrations.CreateModel(
            name="PersonId",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("series", models.CharField(max_length=100)),
                ("number", models.PositiveBigIntegerField()),
                ("speaker", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="person_ids", to="talks.speaker")),
            ],
            options={"ordering": ["series", "number"]},
        ),
        migrations.AddConstraint(
            model_name="personid",
            constraint=models.UniqueConstraint(fields=("series", "number"), name="person_id_unique_per_series", violation_error_message="Another speaker already has this id in this series."),
        ),
        migrations.CreateModel(
            name="SpeakerRedirect",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("old_slug", models.SlugField(max_length=200, unique=True)),
                ("speaker", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="redirects", to="talks.speaker")),
            ],
        ),
        migrations.AddField(
            model_name="talk",
            name="uid",
            field=models.CharField(default="", editable=False, help_text="Calendar UID; never changes, whatever database the talk is in.", max_length=255),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="talk",
            name="frab_id",
            field=models.PositiveIntegerField(blank=True, editable=False, help_text="App id (frab event id): the imported file's, else one from 1,000,000,000 up. Never changes.", null=True),
        ),
        migrations.RunPython(keep_published_uids, migrations.RunPython.noop),
        migrations.RunPython(fill_names_and_slugs, migrations.RunPython.noop),

        migrations.AlterModelOptions(
            name='speaker',
            options={'ordering': ['name'], 'permissions': [('merge_speaker', 'Merge and split speakers')]},
        )
    ]
