import django.utils.timezone
from django.db import migrations, models

import schedule.models


def fill_series(apps, schema_editor):
    Event = apps.get_model("schedule", "Event")
    for event in Event.objects.filter(series=""):
        event.series = schedule.models.default_series(event.base_url, event.slug)
        event.save(update_fields=["series"])


class Migration(migrations.Migration):
    dependencies = [("schedule", "0002_track_updates")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="series",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="The conference this edition belongs to (e.g. fosdem.org). People's ids from imported files are remembered per series. Empty: from the site's host, else the slug without its year.",
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="changed",
            field=models.DateTimeField(
                default=schedule.models.whole_second_now,
                editable=False,
                help_text="Change marker: moves (strictly, in whole seconds) whenever anything shown for this event is added, changed or deleted. Feeds' Last-Modified and ETag.",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="slug",
            field=models.SlugField(
                help_text="Used in URLs, e.g. fosdem-2014: lower-case letters, digits and hyphens.",
                max_length=100,
                unique=True,
                validators=[schedule.models.validate_event_slug],
            ),
        ),
        migrations.CreateModel(
            name="ChangeMarker",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=50, unique=True)),
                ("changed", models.DateTimeField(default=schedule.models.whole_second_now)),
            ],
        ),
        migrations.RunPython(fill_series, migrations.RunPython.noop),

        migrations.AlterModelOptions(
            name='event',
            options={'ordering': ['-start_date'], 'permissions': [('manage_programme', "Edit every devroom's programme (organisers)"), ('import_schedule', 'Import schedule files')]},
        ),
        migrations.AlterModelOptions(
            name='room',
            options={'ordering': ['event', 'position', 'name'], 'permissions': [('set_room_status', 'Mark rooms open, full or evacuated')]},
        )
    ]
