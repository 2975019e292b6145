"""Ids that apps and calendars key on survive re-imports and moves to another database."""

import json
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from schedule.interchange.importers import import_bytes, import_file
from schedule.models import Devroom, Event, Room
from talks.identity import LOCAL_ID_BASE
from talks.models import PersonId, Speaker, Talk
from tests.factories import brussels, make_event, make_room, make_speaker, make_talk


def wipe():
    for model in (Talk, PersonId, Speaker, Room, Devroom, Event):
        model.objects.all().delete()


def exported_ids(content: bytes) -> tuple[dict, dict]:
    """{guid: event id} and {person name: person id} from a schedule.json."""
    events, persons = {}, {}
    for day in json.loads(content)["schedule"]["conference"]["days"]:
        for talks in day["rooms"].values():
            for talk in talks:
                events[talk["guid"]] = talk["id"]
                persons.update({p["name"]: p["id"] for p in talk["persons"]})
    return events, persons


def file_ids(path) -> tuple[dict, dict]:
    root = ET.parse(path).getroot()
    events = {e.get("guid"): int(e.get("id")) for e in root.iter("event")}
    persons = {p.text.strip(): int(p.get("id")) for p in root.iter("person") if p.text}
    return events, persons


@pytest.mark.django_db
def test_exported_event_and_person_ids_are_the_files_and_survive_a_reimport(client, real_data):
    path = real_data / "fosdem/fosdem-2025-schedule.xml"
    import_file(path)
    first_json = client.get(reverse("exports:json", args=["fosdem-2025"])).content
    first_xml = client.get(reverse("exports:xml", args=["fosdem-2025"])).content
    events, persons = exported_ids(first_json)
    in_file_events, in_file_persons = file_ids(path)
    assert events == in_file_events
    assert events["33c323bf-e67f-51ce-9764-f27fa7d6eb05"] == 6449
    assert {name: persons[name] for name in in_file_persons} == in_file_persons
    wipe()
    make_talk(event=make_event(slug="other-2025"))  # row ids now differ from the first run

    import_bytes(first_xml, event_slug="fosdem-2025")

    again = exported_ids(client.get(reverse("exports:json", args=["fosdem-2025"])).content)
    assert again == (events, persons)


@pytest.mark.django_db
def test_talks_and_people_made_here_get_ids_from_the_local_range(client):
    talk = make_talk(speakers=[make_speaker(name="Local Person")])

    content = client.get(reverse("exports:json", args=[talk.event.slug])).content

    events, persons = exported_ids(content)
    assert events == {str(talk.guid): talk.frab_id}
    assert talk.frab_id == LOCAL_ID_BASE + talk.pk
    assert persons["Local Person"] >= LOCAL_ID_BASE


def ics_uids(client, event_slug) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(
        client.get(reverse("exports:ics", args=[event_slug])).content
    )
    return {str(e["summary"]): str(e["uid"]) for e in calendar.walk("VEVENT")}


@pytest.mark.django_db
def test_a_new_talks_uid_is_the_same_after_a_reimport_into_another_database(client):
    event = make_event(slug="fosdem-2030", name="FOSDEM 2030")
    make_talk(event=event, title="Kept identity", start=brussels(2014, 2, 1, 10))
    before = ics_uids(client, "fosdem-2030")
    exported = client.get(reverse("exports:xml", args=["fosdem-2030"])).content
    wipe()
    other = make_event(slug="elsewhere")
    for hour in (9, 10, 11):
        make_talk(event=other, start=brussels(2014, 2, 1, hour))

    import_bytes(exported, event_slug="fosdem-2030")

    assert ics_uids(client, "fosdem-2030") == before
    assert before["Kept identity"].endswith("@schedule.test")


@pytest.mark.django_db
def test_calendar_descriptions_are_plain_text_without_tags_or_entities(client):
    talk = make_talk(
        abstract="Tom &amp; Jerry <b>bold</b>, see [the docs](https://example.org/a?b=1&c=2).",
        room=make_room(name="Ferrer"),
    )

    calendar = icalendar.Calendar.from_ical(
        client.get(reverse("exports:talk_ics", args=[talk.event.slug, talk.slug])).content
    )

    [vevent] = calendar.walk("VEVENT")
    description = str(vevent["description"])
    assert description.startswith("Tom & Jerry bold, see the docs <https://example.org/a?b=1&c=2>.")
    assert "&amp;" not in description
    assert "<b>" not in description


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_uid_existing_talks_were_published_with():
    executor = MigrationExecutor(connection)
    old = [("talks", "0003_track_updates"), ("schedule", "0002_track_updates")]
    executor.migrate(old)
    apps = executor.loader.project_state(old).apps
    event = apps.get_model("schedule", "Event").objects.create(
        name="Old", slug="old-2014", start_date="2014-02-01", end_date="2014-02-02"
    )
    talk = apps.get_model("talks", "Talk").objects.create(event=event, title="Old", slug="old")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = Talk.objects.get(pk=talk.pk)
    assert (migrated.uid, migrated.frab_id) == (
        f"talk-{talk.pk}@schedule.test",
        LOCAL_ID_BASE + talk.pk,
    )
    assert Event.objects.get().series == "old"
    call_command("flush", verbosity=0, interactive=False)
