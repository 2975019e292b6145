"""Venue and media: buildings from room names, the rooms CSV, the room admin, room facts on
the pages, the room's now/next in the browser, recordings and slides from schedule files."""

import json
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from schedule import venue
from schedule.interchange.importers import ImportRefused, import_bytes, import_file
from schedule.models import Event, Room
from talks.models import TalkLink
from tests.factories import brussels, make_devroom, make_event, make_room, make_talk, make_user
from tests.responses import forget_responses
from tests.schedule.conftest import shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
FOSDEM_2025 = "fosdem/fosdem-2025-schedule.xml"


# -- rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("H.1309 (Van Rijn)", ("H", "1")),
        ("H.2215 (Ferrer)", ("H", "2")),
        ("K.3.201", ("K", "3")),
        ("K.1.105 (La Fontaine)", ("K", "1")),
        ("UB5.132", ("U", "5")),
        ("UA2.114 (Baudoux)", ("U", "2")),
        ("UD2.120 (Chavanne)", ("U", "2")),
        ("UB2.252A (Lameere)", ("U", "2")),
        ("AW1.120", ("AW", "1")),
        ("J.1.106", ("J", "1")),
        ("Janson", ("J", "")),
        ("Online lounge", None),
    ],
)
def test_default_rules_place_fosdem_room_names(name, expected):
    rules = venue.parse_rules(venue.DEFAULT_RULES)

    assert venue.derive_location(name, rules) == expected


@pytest.mark.django_db
def test_importing_fosdem_2025_gives_each_of_its_40_rooms_a_building():
    data = shared_data_dir()
    if data is None:
        pytest.skip("Real schedules not found (set SCHEDULE_TEST_DATA to shared/data)")

    import_file(data / "real" / FOSDEM_2025)

    rooms = {r.name: (r.building, r.floor) for r in Room.objects.filter(event__slug="fosdem-2025")}
    assert len(rooms) == 40
    assert [name for name, (building, _) in rooms.items() if not building] == []
    assert rooms["UD6.215"] == ("U", "6")
    assert rooms["H.3242"] == ("H", "3")
    assert rooms["Janson"] == ("J", "")
    assert sorted({b for b, _ in rooms.values()}) == ["AW", "H", "J", "K", "U"]


def hall_xml(room: str) -> bytes:
    return (
        "<schedule><version>1</version><conference><acronym>venuecon</acronym>"
        "<title>VenueCon</title><start>2025-02-01</start><end>2025-02-01</end></conference>"
        f'<day date="2025-02-01" index="1"><room name="{room}">'
        '<event id="1"><date>2025-02-01T10:00:00+01:00</date><start>10:00</start>'
        f"<duration>00:30</duration><room>{room}</room><title>Opening</title>"
        "<track>Main</track></event></room></day></schedule>"
    ).encode()


@pytest.mark.django_db
def test_reimport_keeps_a_building_typed_by_hand_and_fills_an_emptied_one():
    import_bytes(hall_xml("UB5.132"))
    room = Room.objects.get(name="UB5.132")
    assert (room.building, room.floor) == ("U", "5")
    room.building, room.floor = "Solbosch U", "5th"
    room.save()

    import_bytes(hall_xml("UB5.132"))
    kept = Room.objects.get(pk=room.pk)
    Room.objects.filter(pk=room.pk).update(building="", floor="")
    import_bytes(hall_xml("UB5.132"))

    assert (kept.building, kept.floor) == ("Solbosch U", "5th")
    assert Room.objects.values_list("building", "floor").get(pk=room.pk) == ("U", "5")


@pytest.mark.django_db
def test_an_events_own_rules_replace_the_defaults():
    event = make_event(building_rules=r"^Hall (?P<building>[A-Z])(?P<floor>\d)")
    hall = make_room(event, name="Hall B2")
    janson = make_room(event, name="Janson")

    changed = venue.apply_building_rules(event)

    assert changed == [hall]
    assert Room.objects.values_list("building", "floor").get(pk=hall.pk) == ("B", "2")
    assert Room.objects.get(pk=janson.pk).building == ""


@pytest.mark.django_db
def test_bad_rules_are_refused_with_the_line_that_is_wrong():
    event = make_event(building_rules="^(?P<building>[A-Z])\n\n^(?P<floor>\\d\n^Hall (\\w)")

    with pytest.raises(ValidationError) as caught:
        event.full_clean()

    first, second = caught.value.message_dict["building_rules"]
    # The regex engine's own wording follows; it varies between Python versions.
    assert first.startswith("Line 3 is not a valid regular expression (missing ),")
    assert second == "Line 4 has no named group (?P<building>…)."


# -- derive_buildings ------------------------------------------------------------------------


@pytest.mark.django_db
def test_derive_buildings_dry_run_lists_rooms_and_saves_nothing_overwrite_replaces_typed():
    event = make_event(slug="fosdem-2025")
    chavanne = make_room(event, name="UD2.120 (Chavanne)")
    typed = make_room(event, name="K.3.201", building="Kbis")
    dry, real = StringIO(), StringIO()

    call_command("derive_buildings", "--event", "fosdem-2025", "--dry-run", stdout=dry)
    untouched = Room.objects.get(pk=chavanne.pk).building
    call_command("derive_buildings", "--event", "fosdem-2025", "--overwrite", stdout=real)

    assert dry.getvalue().splitlines() == [
        "UD2.120 (Chavanne): building U, floor 2",
        "1 of 2 rooms would change.",
    ]
    assert untouched == ""
    assert real.getvalue().splitlines()[-1] == "2 of 2 rooms changed."
    assert Room.objects.get(pk=typed.pk).building == "K"


# -- rooms CSV -------------------------------------------------------------------------------


def write_csv(tmp_path, text: str) -> str:
    path = tmp_path / "rooms.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_import_rooms_creates_updates_and_reports_unchanged_rooms(tmp_path):
    event = make_event(slug="fosdem-2025")
    janson = make_room(event, name="Janson", capacity=1415)
    ferrer = make_room(event, name="H.2215 (Ferrer)", building="H", floor="2", capacity=150)
    path = write_csv(
        tmp_path,
        "name,building,floor,capacity,accessibility,map_url,stream_url\n"
        "Janson,J,0,1415,Step-free entrance on the left,https://nav.fosdem.org/l/janson,"
        "https://live.fosdem.org/watch/janson\n"
        "H.2215 (Ferrer),H,2,150,,,\n"
        'UD6.215,U,6,80,"Lift, then corridor",,\n',
    )
    out = StringIO()

    call_command("import_rooms", "--event", "fosdem-2025", path, stdout=out)

    janson.refresh_from_db()
    new = Room.objects.get(event=event, name="UD6.215")
    assert out.getvalue().splitlines() == [
        "1 created, 1 updated, 1 unchanged.",
        "  created: UD6.215",
        "  updated: Janson",
    ]
    assert (janson.building, janson.floor, janson.stream_url) == (
        "J",
        "0",
        "https://live.fosdem.org/watch/janson",
    )
    assert janson.accessibility == "Step-free entrance on the left"
    assert (new.slug, new.capacity, new.accessibility) == ("ud6215", 80, "Lift, then corridor")
    assert new.position > ferrer.position


@pytest.mark.django_db
def test_import_rooms_matches_by_slug_so_a_room_can_be_renamed(tmp_path):
    event = make_event(slug="fosdem-2025")
    room = make_room(event, name="Chavanne", slug="chavanne")
    path = write_csv(tmp_path, "slug,name,position\nchavanne,UD2.120 (Chavanne),7\n")

    call_command("import_rooms", "--event", "fosdem-2025", path, stdout=StringIO())

    room.refresh_from_db()
    assert (room.name, room.position) == ("UD2.120 (Chavanne)", 7)
    assert Room.objects.filter(event=event).count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,capacity\nJanson,900\nFerrer,lots\n", "Line 3, column capacity:"),
        ("name,capacity\nJanson,900\nFerrer,-5\n", "Line 3, column capacity:"),
        (
            "name,map_url\nJanson,https://nav.example/j\nFerrer,not a url\n",
            "Line 3, column map_url:",
        ),
        ("name,capacity\nJanson,900\n,10\n", "Line 3, column name: a room name is required."),
        ("name,seats\nJanson,900\n", "Line 1: unknown column “seats”"),
        ("building\nJ\n", "Line 1: the header has no “name” column"),
    ],
)
@pytest.mark.django_db
def test_import_rooms_with_one_bad_line_changes_nothing_and_names_the_line(tmp_path, text, message):
    event = make_event(slug="fosdem-2025")
    janson = make_room(event, name="Janson", capacity=1415)

    with pytest.raises(CommandError) as caught:
        call_command("import_rooms", "--event", "fosdem-2025", write_csv(tmp_path, text))

    assert message in str(caught.value)
    assert str(caught.value).endswith("Nothing was imported.")
    assert list(Room.objects.filter(event=event).values_list("name", "capacity")) == [
        ("Janson", janson.capacity)
    ]


# -- admin -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_action_derives_buildings_and_keeps_typed_ones(client):
    event = make_event()
    lameere = make_room(event, name="UB2.252A (Lameere)")
    typed = make_room(event, name="AW1.120", building="Awbis")
    client.force_login(make_user(superuser=True))

    response = client.post(
        reverse("admin:schedule_room_changelist"),
        {"action": "derive_buildings", "_selected_action": [lameere.pk, typed.pk]},
        follow=True,
    )

    assert Room.objects.values_list("building", "floor").get(pk=lameere.pk) == ("U", "2")
    assert Room.objects.get(pk=typed.pk).building == "Awbis"
    assert "Building and floor set for 1 room(s)." in response.content.decode()


@pytest.mark.django_db
def test_admin_room_list_edits_building_floor_and_capacity_in_place(client):
    event = make_event()
    room = make_room(event, name="K.4.201")
    client.force_login(make_user(superuser=True))
    url = reverse("admin:schedule_room_changelist") + f"?event__id__exact={event.pk}"

    response = client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(room.pk),
            "form-0-building": "K",
            "form-0-floor": "4",
            "form-0-capacity": "40",
            "form-0-position": "3",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    assert Room.objects.values_list("building", "floor", "capacity", "position").get(
        pk=room.pk
    ) == ("K", "4", 40, 3)


# -- pages -----------------------------------------------------------------------------------


def room_with_facts(event, **fields):
    return make_room(
        event,
        name="UD2.120 (Chavanne)",
        slug="chavanne",
        building="U",
        floor="2",
        capacity=550,
        accessibility="Step-free via the lift at door 3",
        map_url="https://nav.fosdem.org/l/ud2120",
        stream_url="https://live.fosdem.org/watch/ud2120",
        **fields,
    )


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_room_page_shows_facts_and_timed_talks_within_its_query_budget(
    client, django_assert_max_num_queries, event, count
):
    room = room_with_facts(event)
    for n in range(count):
        make_talk(room=room, start=brussels(2014, 2, 1, 10 + n), speakers=[])

    url = reverse("schedule:room", args=[event.slug, room.slug])
    client.get(url)  # stores the talks' rows (a one-off write, like an index)
    forget_responses()

    with django_assert_max_num_queries(7):  # the room page's budget in tests/schedule
        response = client.get(url)

    page = response.content.decode()
    assert "Building U" in page
    assert "floor 2" in page
    assert "550 seats" in page
    assert "Step-free via the lift at door 3" in page
    assert '<a href="https://nav.fosdem.org/l/ud2120" rel="noopener nofollow">Map</a>' in page
    assert 'href="https://live.fosdem.org/watch/ud2120" rel="noopener nofollow">Watch live' in page
    assert re.findall(r'data-start="([^"]+)"', page)[:1] == ["2014-02-01T10:00:00+01:00"]
    assert len(re.findall(r'data-end="', page)) == count
    assert "js/room_now.js" in page


NODE = shutil.which("node")


def pick_in_node(slots: list[dict], now: str) -> dict:
    script = (
        f"const {{pick}} = require({json.dumps(str(ROOT / 'static/js/room_now.js'))});"
        f"const slots = {json.dumps(slots)}.map(s => ({{start: Date.parse(s.start), "
        f"end: Date.parse(s.end), cancelled: s.cancelled}}));"
        f"console.log(JSON.stringify(pick(slots, Date.parse({json.dumps(now)}))));"
    )
    done = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.django_db
def test_room_page_script_marks_the_running_talk_now_and_the_following_one_next(client, event):
    room = make_room(event)
    make_talk(room=room, start=brussels(2014, 2, 1, 10), minutes=30)
    make_talk(room=room, start=brussels(2014, 2, 1, 10, 30), minutes=30, status="cancelled")
    make_talk(room=room, start=brussels(2014, 2, 1, 11), minutes=30)
    page = client.get(reverse("schedule:room", args=[event.slug, room.slug])).content.decode()
    slots = [
        {"start": start, "end": end, "cancelled": bool(cancelled)}
        for start, end, cancelled in re.findall(
            r'data-start="([^"]+)" data-end="([^"]+)"( data-cancelled)?', page
        )
    ]

    during_first = pick_in_node(slots, "2014-02-01T10:10:00+01:00")
    at_start = pick_in_node(slots, "2014-02-01T10:00:00+01:00")
    in_cancelled = pick_in_node(slots, "2014-02-01T10:40:00+01:00")
    before = pick_in_node(slots, "2014-02-01T08:00:00+01:00")
    after = pick_in_node(slots, "2014-02-01T12:00:00+01:00")

    assert len(slots) == 3
    assert during_first == {"now": 0, "next": 1}  # the cancelled talk shows as next, marked
    assert at_start == {"now": 0, "next": 1}  # starting this minute: now, not next
    assert in_cancelled == {"now": -1, "next": 2}
    assert before == {"now": -1, "next": 0}
    assert after == {"now": -1, "next": -1}


@pytest.mark.django_db
def test_talk_page_shows_where_with_facts_and_recording_and_slides_as_buttons(client, event):
    talk = make_talk(room=room_with_facts(event))
    TalkLink.objects.create(talk=talk, kind="other", title="Project site", url="https://x.org")
    TalkLink.objects.create(talk=talk, kind="slides", title="Slides", url="https://x.org/s.pdf")
    TalkLink.objects.create(
        talk=talk, kind="recording", title="WebM", url="https://video.fosdem.org/t.webm"
    )

    page = client.get(talk.get_absolute_url()).content.decode()

    where = page[page.index("<dt>Where</dt>") : page.index("</dd>", page.index("<dt>Where"))]
    assert "Building U" in where
    assert "Watch live" in where
    recording = page.index('href="https://video.fosdem.org/t.webm"')
    slides = page.index('href="https://x.org/s.pdf"')
    other = page.index('href="https://x.org"')
    assert recording < slides < other
    assert 'class="button" href="https://video.fosdem.org/t.webm"' in page
    assert ">Watch the recording</a>" in page
    assert ">Slides</a>" in page


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_event_home_lists_only_places_with_talks_rooms_grouped_by_building(
    client, django_assert_max_num_queries, event, count
):
    used = make_devroom(event, name="Rust")
    make_devroom(event, name="Empty devroom")
    janson = make_room(event, name="Janson", building="J", position=1)
    k = make_room(event, name="K.3.201", building="K", floor="3", position=2)
    loose = make_room(event, name="Outdoor stage", position=3)
    make_room(event, name="Unused hall", building="J", position=4)
    for room in (janson, k, loose):
        for _ in range(count):
            make_talk(room=room, devroom=used)

    with django_assert_max_num_queries(9):  # the event page's budget in tests/schedule
        response = client.get(reverse("schedule:event", args=[event.slug]))

    page = response.content.decode()
    rooms = page[page.index('id="rooms-heading"') :]
    headings = re.findall(r'<h3 class="building-heading">([^<]+)</h3>', rooms)
    assert headings == ["Building J", "Building K", "Other rooms"]
    assert rooms.index("Janson") < rooms.index("Building K") < rooms.index("K.3.201")
    assert rooms.index("Other rooms") < rooms.index("Outdoor stage")
    assert "Unused hall" not in page
    assert "Empty devroom" not in page
    assert f"{3 * count} talks" in page[page.index('id="devrooms-heading"') :]


# -- recordings and slides from schedule files -----------------------------------------------


@pytest.mark.django_db
def test_import_reads_attachments_as_slides_and_video_download_url_as_recording():
    event_xml = (
        '<event id="1"><date>2025-02-01T10:00:00+01:00</date><start>10:00</start>'
        "<duration>00:30</duration><room>Janson</room><title>Opening</title><track>Main</track>"
        '<links><link href="https://video.fosdem.org/2025/janson/opening.av1.webm">'
        "Video recording (AV1/WebM)</link>"
        '<link href="https://example.org/project">Project</link></links>'
        '<attachments><attachment type="slides" href="https://fosdem.org/s/deck.pdf">'
        "Deck</attachment></attachments>"
        "<video_download_url>https://cdn.example.org/opening.mp4</video_download_url></event>"
    )
    data = hall_xml("Janson").replace(
        re.search(rb'<event id="1">.*</event>', hall_xml("Janson")).group(), event_xml.encode()
    )

    import_bytes(data)

    links = list(TalkLink.objects.order_by("position").values_list("kind", "title", "url"))
    assert links == [
        (
            "recording",
            "Video recording (AV1/WebM)",
            "https://video.fosdem.org/2025/janson/opening.av1.webm",
        ),
        ("other", "Project", "https://example.org/project"),
        ("slides", "Deck", "https://fosdem.org/s/deck.pdf"),
        ("recording", "Recording", "https://cdn.example.org/opening.mp4"),
    ]


@pytest.mark.django_db
def test_an_event_saved_with_bad_rules_is_refused_by_the_importer_with_the_line():
    Event.objects.create(
        name="VenueCon",
        slug="venuecon",
        start_date="2025-02-01",
        end_date="2025-02-01",
        building_rules="(",
    )

    with pytest.raises(ImportRefused, match="Line 1 is not a valid regular expression"):
        import_bytes(hall_xml("Janson"))
