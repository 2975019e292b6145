from django.db import migrations, models

# PostgreSQL enforces "one confirmed talk per room at a time" itself, as a backstop to the
# locked check in Talk.save(): an exclusion constraint over (room, time range), deferred to
# commit so that an import can write a file's clashes and flag them before committing.
# SQLite has no exclusion constraints; its saves are serialised by BEGIN IMMEDIATE instead.
CONSTRAINT = "talk_room_no_double_booking"
CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE talks_talk ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (room_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status = 'confirmed' AND NOT kept_clash AND room_id IS NOT NULL
           AND start IS NOT NULL)
    DEFERRABLE INITIALLY DEFERRED;
"""


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE talks_talk DROP CONSTRAINT IF EXISTS {CONSTRAINT};")


def flag_existing_clashes(apps, schema_editor):
    """Talks already double-booked (kept from imports) are flagged, or the constraint
    could not be added."""
    Talk = apps.get_model("talks", "Talk")
    rows = (
        Talk.objects.filter(status="confirmed", room__isnull=False, start__isnull=False)
        .order_by("room_id", "start")
        .values_list("room_id", "start", "end", "pk")
    )
    clashing, current = set(), []
    for key, start, end, pk in rows:
        current = [row for row in current if row[0] == key and row[2] > start]
        for row in current:
            clashing.update((row[3], pk))
        current.append((key, start, end, pk))
    Talk.objects.filter(pk__in=clashing).update(kept_clash=True)


class Migration(migrations.Migration):
    dependencies = [("talks", "0008_talk_is_draft")]

    operations = [
        migrations.AddField(
            model_name="talk",
            name="kept_clash",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Overlaps another talk in the same room or with the same speaker in "
                "the schedule file it was imported from; kept as the file says (imports with "
                "--strict refuse it). Only edits that resolve or keep that clash are accepted.",
                verbose_name="clash kept from the source",
            ),
        ),
        migrations.RunPython(flag_existing_clashes, migrations.RunPython.noop),
        migrations.RunPython(add_constraint, drop_constraint),
    ]
