"""Freshness by structure: every programme model, written through every path the ORM offers
(save, delete, QuerySet.update, bulk_create, bulk_update, QuerySet.delete), moves the change
marker of the event its rows appear in (and the site's), and a calendar or app revalidating
its copy then gets the new body instead of a 304. No caller has to remember anything."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.urls import reverse

from schedule.marked import MarkedModel, MarkedQuerySet
from schedule.models import ChangeMarker, Devroom, Event, Room
from talks.models import (
    PersonId,
    Speaker,
    SpeakerLink,
    SpeakerRedirect,
    Talk,
    TalkLink,
    TalkSpeaker,
)
from tests.factories import make_devroom, make_event, make_room, make_speaker, make_talk

PATHS = ["save", "delete", "update", "bulk_create", "bulk_update", "queryset_delete"]


@pytest.fixture
def programme(db):
    event = make_event(slug="fosdem-2014")
    room = make_room(event, name="Janson", slug="janson")
    devroom = make_devroom(event, name="Cloud", slug="cloud")
    ann = make_speaker(name="Ann")
    talk = make_talk(event=event, room=room, devroom=devroom, title="Keynote", speakers=[ann])
    return {
        Event: event,
        Room: room,
        Devroom: devroom,
        Talk: talk,
        TalkSpeaker: TalkSpeaker.objects.get(talk=talk),
        TalkLink: TalkLink.objects.create(talk=talk, title="Slides", url="https://e.org/s"),
        Speaker: ann,
        SpeakerLink: SpeakerLink.objects.create(speaker=ann, title="Web", url="https://e.org"),
        PersonId: PersonId.objects.create(speaker=ann, series="fosdem", number=7),
        SpeakerRedirect: SpeakerRedirect.objects.create(speaker=ann, old_slug="ann-old"),
    }


# For each model: a field to change (and its new value), and a new row for bulk_create.
CHANGES = {
    Event: ("name", "FOSDEM 2014, renamed"),
    Room: ("name", "Janson, renamed"),
    Devroom: ("name", "Cloud, renamed"),
    Talk: ("title", "Keynote, renamed"),
    TalkSpeaker: ("credited_as", "Ann, as credited"),
    TalkLink: ("title", "Slides, renamed"),
    Speaker: ("name", "Ann, renamed"),
    SpeakerLink: ("title", "Web, renamed"),
    PersonId: ("number", 8),
    SpeakerRedirect: ("old_slug", "ann-older"),
}


def new_row(model, rows):
    event, talk, ann = rows[Event], rows[Talk], rows[Speaker]
    return {
        Event: lambda: Event(
            name="Another", slug="another-2014", start_date=event.start_date,
            end_date=event.end_date, timezone=event.timezone,
        ),
        Room: lambda: Room(event=event, name="Ferrer", slug="ferrer"),
        Devroom: lambda: Devroom(event=event, name="Go", slug="go"),
        Talk: lambda: Talk(event=event, title="Another", slug="another"),
        TalkSpeaker: lambda: TalkSpeaker(talk=talk, speaker=make_speaker(name="Bob"), position=1),
        TalkLink: lambda: TalkLink(talk=talk, title="Video", url="https://e.org/v"),
        Speaker: lambda: Speaker(name="Carol", slug="carol"),
        SpeakerLink: lambda: SpeakerLink(speaker=ann, title="Blog", url="https://e.org/b"),
        PersonId: lambda: PersonId(speaker=ann, series="other", number=9),
        SpeakerRedirect: lambda: SpeakerRedirect(speaker=ann, old_slug="ann-oldest"),
    }[model]()  # fmt: skip


def target(model, path, rows):
    """The row to write; a deleted place or edition is an unused one (used ones are
    protected)."""
    if path in ("delete", "queryset_delete") and model in (Room, Devroom):
        return model.objects.create(event=rows[Event], name="Spare", slug="spare")
    if path in ("delete", "queryset_delete") and model is Event:
        return make_event(slug="empty-2014")
    return rows[model]


def write(model, path, row, rows):
    field, value = CHANGES[model]
    if path == "save":
        setattr(row, field, value)
        row.save()
    elif path == "delete":
        row.delete()
    elif path == "update":
        model.objects.filter(pk=row.pk).update(**{field: value})
    elif path == "bulk_create":
        model.objects.bulk_create([new_row(model, rows)])
    elif path == "bulk_update":
        setattr(row, field, value)
        model.objects.bulk_update([row], [field])
    elif path == "queryset_delete":
        model.objects.filter(pk=row.pk).delete()


def markers(event) -> tuple:
    changed = Event._base_manager.filter(pk=event.pk).values_list("changed", flat=True).first()
    return changed, ChangeMarker.objects.filter(key="site").values_list(
        "changed", flat=True
    ).first()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("model", list(CHANGES), ids=lambda m: m.__name__)
def test_every_write_path_of_every_programme_model_moves_the_markers(
    client, programme, model, path
):
    event = programme[Event]
    row = target(model, path, programme)
    feed = reverse("exports:json", args=[event.slug])
    speakers = reverse("talks:speakers")
    before_feed, before_speakers = client.get(feed), client.get(speakers)
    event_before, site_before = markers(event)

    write(model, path, row, programme)

    event_after, site_after = markers(event)
    assert site_after > (site_before or dt.datetime.min.replace(tzinfo=dt.UTC))
    new_row_elsewhere = path == "bulk_create" and model in (Event, Speaker)
    event_gone = model is Event and path in ("delete", "queryset_delete")
    if not (new_row_elsewhere or event_gone):
        assert event_after > event_before
        again = client.get(feed, headers={"if-none-match": before_feed["ETag"]})
        assert again.status_code == 200  # never the stale copy's 304
    again = client.get(speakers, headers={"if-none-match": before_speakers["ETag"]})
    assert again.status_code == 200


def test_every_programme_models_manager_is_marked():
    """A programme model added later without a marked manager fails here."""
    programme = [m for m in apps.get_models() if issubclass(m, MarkedModel)]
    assert set(CHANGES) <= set(programme)
    for model in programme:
        assert issubclass(model._default_manager._queryset_class, MarkedQuerySet), model
    assert set(programme) == set(CHANGES), "a new programme model needs a row in CHANGES"


def test_loaddata_moves_the_markers_of_the_events_it_loads(client, programme, tmp_path):
    """A fixture loaded over a running site (rows saved raw) still moves the markers."""
    from django.core import serializers
    from django.core.management import call_command

    event = programme[Event]
    talk = programme[Talk]
    feed = reverse("exports:json", args=[event.slug])
    before = client.get(feed)
    talk.title = "Keynote, from a fixture"
    fixture = tmp_path / "talk.json"
    fixture.write_text(serializers.serialize("json", [talk]))
    call_command("loaddata", str(fixture), verbosity=0)
    again = client.get(feed, headers={"if-none-match": before["ETag"]})
    assert again.status_code == 200
    assert "Keynote, from a fixture" in again.content.decode()


def test_touch_events_after_raw_sql_serves_the_new_body(client, programme):
    from django.core.management import call_command
    from django.db import connection

    event = programme[Event]
    feed = reverse("exports:json", args=[event.slug])
    before = client.get(feed)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Talk._meta.db_table} SET title = %s, updated = %s WHERE id = %s",
            ["Keynote, by SQL", dt.datetime.now(dt.UTC), programme[Talk].pk],
        )
    stale = client.get(feed, headers={"if-none-match": before["ETag"]})
    assert stale.status_code == 304  # raw SQL moves nothing: hence the command
    out = io.StringIO()
    call_command("touch_events", event.slug, stdout=out)
    assert "1 event" in out.getvalue()
    again = client.get(feed, headers={"if-none-match": before["ETag"]})
    assert again.status_code == 200
    assert "Keynote, by SQL" in again.content.decode()


@pytest.mark.parametrize("path", ["save", "update"])
def test_a_row_moved_to_another_edition_moves_both_markers(programme, path):
    """A room (or talk) moved to another edition changes the pages of both."""
    first, room = programme[Event], programme[Room]
    second = make_event(slug="fosdem-2015")
    before = markers(first)[0], markers(second)[0]
    if path == "save":
        room.event = second
        room.save()
    else:
        Room.objects.filter(pk=room.pk).update(event=second)
    assert markers(first)[0] > before[0]
    assert markers(second)[0] > before[1]


@pytest.mark.parametrize("path", ["save", "update"])
def test_a_link_moved_to_another_talk_changes_both_talks(programme, path):
    link, first = programme[TalkLink], programme[Talk]
    second = make_talk(event=programme[Event], title="Second", slug="second")
    stamps = dict(Talk.objects.values_list("pk", "updated"))
    if path == "save":
        link.talk = second
        link.save()
    else:
        TalkLink.objects.filter(pk=link.pk).update(talk=second)
    now = dict(Talk.objects.values_list("pk", "updated"))
    assert now[first.pk] > stamps[first.pk]
    assert now[second.pk] > stamps[second.pk]


def test_an_upsert_moves_the_stamp(programme):
    ann = programme[Speaker]
    before = Speaker.objects.get(pk=ann.pk).updated
    Speaker.objects.bulk_create(
        [Speaker(pk=ann.pk, name="Anne", slug=ann.slug)],
        update_conflicts=True, unique_fields=["pk"], update_fields=["name"],
    )  # fmt: skip
    assert Speaker.objects.get(pk=ann.pk).updated > before


def test_bookkeeping_may_keep_the_stamp(programme):
    from django.db.models import F

    talk = programme[Talk]
    before = Talk.objects.get(pk=talk.pk).updated
    Talk.objects.filter(pk=talk.pk).update(kept_clash=True, updated=F("updated"))
    assert Talk.objects.get(pk=talk.pk).updated == before


def test_a_big_fixture_moves_each_marker_once(programme, tmp_path):
    from django.core import serializers
    from django.core.management import call_command

    from schedule.models import whole_second_now

    event = programme[Event]
    now = dt.datetime.now(dt.UTC)
    talks = [
        Talk(
            pk=1000 + n, event=event, title=f"Loaded {n}", slug=f"loaded-{n}", uid=f"u{n}",
            created=now, updated=now,
        )
        for n in range(40)
    ]  # fmt: skip
    fixture = tmp_path / "talks.json"
    fixture.write_text(serializers.serialize("json", talks))
    before, _site = markers(event)
    call_command("loaddata", str(fixture), verbosity=0)
    changed, _site = markers(event)
    assert before < changed <= max(before, whole_second_now()) + dt.timedelta(seconds=1)
    assert Talk.objects.filter(slug__startswith="loaded-").count() == 40
