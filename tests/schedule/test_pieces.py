"""Per-talk pieces (schedule.pieces) are kept while what they show is unchanged and
never outlive a change: an edit, and a rename of a room, devroom, speaker or event, reaches
every whole-event export, list and grid on the next request."""

import datetime as dt
import json

import pytest
from django.core.cache import caches
from django.urls import reverse

from schedule.pieces import store
from talks.models import PersonId, TalkSpeaker
from tests.factories import brussels, make_speaker, make_talk
from tests.responses import forget_responses

pytestmark = pytest.mark.django_db

EXPORTS = ("exports:ics", "exports:json", "exports:xml")
PAGES = {  # pages made of pieces: list rows and grid cards
    "list": ("schedule:all", []),
    "day list": ("schedule:index", []),
    "grid": ("schedule:grid", ["2014-02-01"]),
}


@pytest.fixture
def programme(event, chavanne, ferrer, iaas):
    ada = make_speaker(name="Ada Lovelace", slug="ada")
    keynote = make_talk(
        event=event,
        room=chavanne,
        devroom=iaas,
        slug="keynote",
        title="Keynote",
        speakers=[ada],
        start=brussels(2014, 2, 1, 10),
    )
    other = make_talk(
        event=event, room=ferrer, slug="other", title="Other talk", start=brussels(2014, 2, 1, 11)
    )
    return {"ada": ada, "keynote": keynote, "other": other}


def bodies(client, event) -> dict[str, str]:
    forget_responses()  # the stored responses go; the pieces stay
    found = {
        name: client.get(reverse(name, args=[event.slug])).content.decode() for name in EXPORTS
    }
    for label, (name, args) in PAGES.items():
        query = "?day=2014-02-01" if label == "day list" else ""
        url = reverse(name, args=[event.slug, *args]) + query
        found[label] = client.get(url).content.decode()
    return found


@pytest.fixture
def stored(monkeypatch) -> dict:
    """Every piece written to the cache during the test, by key (piece:kind:variant:talk:stamp)."""
    written = {}
    real = store.pieces_set_many

    def spy(values, seconds):
        written.update(values)
        real(values, seconds)

    monkeypatch.setattr(store, "pieces_set_many", spy)
    return written


def talk_of(key: str) -> int:
    return int(key.split(":")[3])


def test_pieces_are_stored_once_and_reused(client, event, programme, stored):
    first = bodies(client, event)
    kinds = [key.split(":")[1] for key in stored]
    assert sorted(kinds) == sorted(["ics", "json", "xml", "row", "card"] * 2)  # 2 talks
    written = dict(stored)
    assert bodies(client, event) == first
    assert stored == written  # nothing built or written again


def test_an_edit_rebuilds_only_that_talks_pieces(client, event, programme, stored):
    bodies(client, event)
    stored.clear()
    keynote = programme["keynote"]
    keynote.title = "Opening keynote"
    keynote.save()
    after = bodies(client, event)
    assert all("Opening keynote" in body for body in after.values())
    assert {talk_of(key) for key in stored} == {keynote.pk}


def test_a_get_writes_nothing_to_the_database(client, event, programme):
    """Pieces live in the cache: a cold page or feed only reads (on SQLite a write would
    wait for an import's lock)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        bodies(client, event)
    writes = [
        q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []


def test_a_failing_pieces_cache_is_only_a_miss(client, event, programme, monkeypatch):
    expected = bodies(client, event)

    class Down:
        def get_many(self, keys):
            raise ConnectionError("pieces cache down")

        set_many = get_many

    monkeypatch.setattr("schedule.caching.access.caches", {"pieces": Down()})
    assert bodies(client, event) == expected


@pytest.mark.parametrize(
    ("rename", "new_name"),
    [
        ("room", "Janson"),
        ("devroom", "Cloud and IaaS"),
        ("speaker", "Augusta Ada King"),
        ("event", "FOSDEM 2014 (renamed)"),
    ],
)
def test_a_rename_reaches_every_export(client, event, programme, chavanne, iaas, rename, new_name):
    bodies(client, event)
    row = {"room": chavanne, "devroom": iaas, "speaker": programme["ada"], "event": event}[rename]
    row.name = new_name
    row.save()
    after = bodies(client, event)
    for name, body in after.items():
        assert new_name.replace(",", "\\,") in body or new_name in body, (rename, name)


def test_the_event_slug_in_links_follows_a_rename(client, event, programme):
    bodies(client, event)
    event.slug = "fosdem-14"
    event.save()
    after = bodies(client, event)
    for body in after.values():
        assert "/fosdem-14/talks/keynote/" in body
        assert "/fosdem-2014/talks/" not in body


def test_a_speaker_swapped_on_a_talk_without_saving_it_shows(client, event, programme):
    bodies(client, event)
    grace = make_speaker(name="Grace Hopper", slug="grace")
    TalkSpeaker.objects.filter(talk=programme["keynote"]).update(speaker=grace)  # as a merge does
    after = bodies(client, event)
    assert all("Grace Hopper" in body for body in after.values())


def test_a_new_person_id_in_the_series_shows(client, event, programme):
    first = json.loads(bodies(client, event)["exports:json"])
    PersonId.objects.create(speaker=programme["ada"], series=event.series, number=4242)
    after = json.loads(bodies(client, event)["exports:json"])
    persons = [
        p["id"]
        for day in after["schedule"]["conference"]["days"]
        for talks in day["rooms"].values()
        for talk in talks
        for p in talk["persons"]
    ]
    assert 4242 in persons
    assert first != after


def test_the_site_url_is_part_of_a_piece(client, event, programme, settings):
    bodies(client, event)
    settings.SCHEDULE_BASE_URL = "https://fosdem.example"
    after = bodies(client, event)
    for body in (after[name] for name in EXPORTS):  # pages link by path
        assert "https://fosdem.example/fosdem-2014/talks/keynote/" in body


def test_json_with_pieces_is_byte_identical_to_encoding_the_data(client, event, programme):
    from schedule.exports.pieces import compact, frab_json

    body = bodies(client, event)["exports:json"]
    data = json.loads(body)
    assert frab_json(data).decode() == body == compact(data).decode()


@pytest.mark.parametrize(
    "text",
    [
        'quotes " and \\ backslashes',
        "control \x00\x01\x1f\x7f, tab\t, newline\n, return\r",
        "line separators \u2028\u2029 and emoji \U0001f600, é, 日本",
        "</script><!-- & 'single'",
        "",
    ],
)
def test_compact_writes_the_bytes_json_dumps_would(text):
    """schedule.json keeps the standard library's bytes (apps compare feeds byte for byte
    across updates): orjson writes them, json.dumps would write the same."""
    from schedule.exports.pieces import compact

    data = {"title": text, "persons": [{"id": 2**40, "name": text}], "n": [0, -1, True, None]}
    expected = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    assert compact(data) == expected


def test_links_and_speaker_order_changed_without_saving_the_talk_show(client, event, programme):
    from talks.models import TalkLink

    keynote = programme["keynote"]
    grace = make_speaker(name="Grace Hopper", slug="grace")
    TalkSpeaker.objects.create(talk=keynote, speaker=grace, position=1)
    bodies(client, event)
    TalkLink.objects.create(talk=keynote, title="Slides", url="https://example.org/slides.pdf")
    ada_first, grace_second = TalkSpeaker.objects.filter(talk=keynote).order_by("position")
    ada_first.position, grace_second.position = 2, 0
    ada_first.save()
    grace_second.save()
    after = bodies(client, event)
    assert "https://example.org/slides.pdf" in after["exports:json"]
    assert after["exports:xml"].index("Grace Hopper") < after["exports:xml"].index("Ada Lovelace")


def test_a_person_id_renumbered_in_place_shows(client, event, programme):
    number = PersonId.objects.create(speaker=programme["ada"], series=event.series, number=4242)
    bodies(client, event)
    number.number = 4343
    number.save()
    assert '"id":4343' in bodies(client, event)["exports:json"]


def test_pieces_stored_by_another_version_of_the_code_are_not_used(
    client, event, programme, monkeypatch, stored
):
    monkeypatch.setattr("schedule.pieces.store.code_version", lambda: "this-version")
    bodies(client, event)
    caches["pieces"].set_many({key: "written by the previous version" for key in stored})
    monkeypatch.setattr("schedule.pieces.store.code_version", lambda: "next-version")

    after = bodies(client, event)

    assert not any("previous version" in body for body in after.values())
    assert "Keynote" in after["grid"]
    assert "Keynote" in after["exports:json"]


def test_talk_rows_read_the_same_values_as_the_orm(event, programme):
    from schedule.pieces.stamps import talk_rows
    from talks.models import Talk

    rows = talk_rows(Talk.objects.filter(event=event).order_by("start"))

    expected = list(
        Talk.objects.filter(event=event).order_by("start").values_list("pk", "guid", "start", "end")
    )
    assert [(r.pk, r.guid, r.start, r.end) for r in rows] == [
        (pk, guid.hex, start, end) for pk, guid, start, end in expected
    ]
    assert all(r.start.utcoffset() == dt.timedelta(0) for r in rows)
    assert talk_rows(Talk.objects.none()) == []
