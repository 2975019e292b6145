"""Every real schedule round-trips: import it, export it in its own format, and compare the
export with the source file, field by field. What apps read (recording opt-out, licence,
type, day_change, venue, city, logos, feedback_url, attachments, every room) comes back as
given; each remaining difference is named here and in the README (Interchange) as
deliberate.
"""

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html import unescape
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from schedule.interchange.importers import import_file
from schedule.text import exported_markup

REAL = [
    "fosdem/fosdem-2007-schedule.xml",
    "fosdem/fosdem-2024-schedule.xml",
    "fosdem/fosdem-2025-schedule.xml",
    "fosdem/fosdem-2026-schedule.xml",
    "other/debconf23-schedule.xml",
    "ccc/camp2019-frab-schedule.json",
    "ccc/rc3-2020-pretalx-schedule.json",
]
CANCELLED = re.compile(r"^\s*(?:\[\s*)?cancell?ed\s*(?:\]\s*)?[:\-–—]?\s*", re.IGNORECASE)
CONFERENCE_FIELDS = ("title", "start", "end", "time_zone_name", "venue", "city", "day_change")
CONFERENCE_FIELDS += ("logo",)


def absolute(url, base):
    url = (url or "").strip()
    if url and not re.match(r"^[a-z]+:", url) and base:
        return urljoin(base, url)
    return url


SANITISED = ("abstract", "description")


def plain(text) -> str:
    return " ".join(str(text or "").split())


def from_xml(data: bytes):
    root = ET.fromstring(data)
    conf = root.find("conference")
    base = (conf.findtext("base_url") or "").strip()
    conference = {name: plain(conf.findtext(name)) for name in CONFERENCE_FIELDS}
    conference["logo"] = absolute(conference["logo"], base)
    conference["day_change"] = conference["day_change"][:5]
    rooms, events = set(), {}
    for day in root.iter("day"):
        for child in day:
            pairs = (
                [(child.get("name", ""), e) for e in child.iter("event")]
                if child.tag == "room"
                else [("", child)]
                if child.tag == "event"
                else []
            )
            if child.tag == "room":
                rooms.add(child.get("name", ""))
            for room_name, event in pairs:
                room = plain(event.findtext("room")) or room_name
                rooms.add(room)
                recording = event.find("recording")
                entry = {
                    "type": plain(event.findtext("type")),
                    "subtitle": plain(event.findtext("subtitle")),
                    "track": plain(event.findtext("track")),
                    "language": plain(event.findtext("language")),
                    "abstract": plain(event.findtext("abstract")),
                    "description": plain(event.findtext("description")),
                    "duration": plain(event.findtext("duration")).zfill(5),
                    "optout": plain(recording.findtext("optout")).lower() == "true"
                    if recording is not None
                    else False,
                    "license": plain(recording.findtext("license"))
                    if recording is not None
                    else "",
                    "feedback_url": absolute(event.findtext("feedback_url"), base),
                    "logo": absolute(event.findtext("logo"), base),
                    "persons": [
                        (p.get("id"), plain(p.text)) for p in event.iter("person") if plain(p.text)
                    ],
                    "links": [
                        absolute(a.get("href") or a.text, base) for a in event.findall("links/link")
                    ],
                    "attachments": [
                        absolute(a.get("href") or a.text, base)
                        for a in event.findall("attachments/attachment")
                    ],
                }
                title = CANCELLED.sub("", plain(event.findtext("title")))
                start = plain(event.findtext("start"))[:5].zfill(5)
                # The talk's own local date when given (debconf23's days are UTC dates).
                date = plain(event.findtext("date"))[:10] or day.get("date")
                events[(date, start, room, title)] = entry
    return conference, rooms, events


def from_json(data: bytes):
    schedule = json.loads(data)["schedule"]
    conf = schedule["conference"]
    base = schedule.get("base_url") or ""
    conference = {name: plain(conf.get(name)) for name in CONFERENCE_FIELDS}
    conference["logo"] = absolute(conference["logo"], base)
    rooms = {room["name"] for room in conf.get("rooms") or []}
    events = {}
    for day in conf["days"]:
        for room_name, entries in day["rooms"].items():
            rooms.add(room_name)
            for event in entries:
                entry = {
                    "type": plain(event.get("type")),
                    "subtitle": plain(event.get("subtitle")),
                    "track": plain(event.get("track")),
                    "language": plain(event.get("language")),
                    "abstract": plain(event.get("abstract")),
                    "description": plain(event.get("description")),
                    "duration": plain(event.get("duration")).zfill(5),
                    "optout": bool(event.get("do_not_record")),
                    "license": plain(event.get("recording_license")),
                    "feedback_url": absolute(event.get("feedback_url"), base),
                    "logo": absolute(event.get("logo"), base),
                    "persons": [
                        (str(p.get("id")), plain(p.get("public_name") or p.get("name")))
                        for p in event.get("persons") or []
                    ],
                    "links": [absolute(a.get("url"), base) for a in event.get("links") or []],
                    "attachments": [
                        absolute(a.get("url"), base) for a in event.get("attachments") or []
                    ],
                }
                title = CANCELLED.sub("", plain(event.get("title")))
                start = plain(event.get("start"))[:5].zfill(5)
                date = plain(event.get("date"))[:10] or day["date"]
                events[(date, start, event.get("room") or room_name, title)] = entry
    return conference, rooms, events


# Differences we make on purpose (README, "Interchange"), by file and field.
DELIBERATE = {
    # Links without any usable URL ("Slides (PDF)" with no href) are dropped.
    ("fosdem/fosdem-2007-schedule.xml", "links"),
    # A link written without a scheme ("nymtech.net") is read as https://nymtech.net, not
    # as a path under the file's base_url.
    ("ccc/camp2019-frab-schedule.json", "links"),
    # The event ends on the last day the file lists: DebConf 23 (like Camp 2019) gives the
    # day after as its <end>, which would add an empty day.
    ("other/debconf23-schedule.xml", "end"),
}


def once(persons: list) -> list:
    """A person credited twice for one talk (FOSDEM 2026 does it once) is credited once."""
    return list(dict.fromkeys(persons))


@pytest.mark.django_db
@pytest.mark.parametrize("name", REAL)
def test_real_schedules_round_trip_field_by_field(client, real_data, name):
    source = (real_data / name).read_bytes()
    read = from_json if name.endswith(".json") else from_xml
    report = import_file(real_data / name)
    view = "exports:json" if name.endswith(".json") else "exports:xml"
    exported = client.get(reverse(view, args=[report.event.slug])).content

    conference, rooms, events = read(source)
    our_conference, our_rooms, our_events = read(exported)

    if name.endswith(".xml"):  # the JSON schema has no place for these three
        lost = {
            k: (v, our_conference[k])
            for k, v in conference.items()
            if v and v != our_conference[k] and (name, k) not in DELIBERATE
        }
        assert not lost, f"conference fields lost: {lost}"
    assert rooms - {""} <= our_rooms, f"rooms lost: {rooms - our_rooms}"
    assert set(events) == set(our_events), (
        f"talks lost: {sorted(set(events) - set(our_events))[:3]}, "
        f"added: {sorted(set(our_events) - set(events))[:3]}"
    )
    differences = Counter()
    examples = {}
    for key, entry in events.items():
        ours = our_events[key]
        entry["persons"] = once(entry["persons"])
        if not entry["type"]:  # an empty type is exported as our kind ("talk")
            entry["type"] = ours["type"]
        for field, value in entry.items():
            mine = ours[field]
            if field in SANITISED:  # exported sanitised like the pages (same text, no script)
                value, mine = plain(unescape(exported_markup(value))), plain(unescape(mine))
            if mine != value and (name, field) not in DELIBERATE:
                differences[field] += 1
                examples.setdefault(field, (key[3][:40], value, ours[field]))
    assert not differences, f"fields lost or changed: {dict(differences)}; e.g. {examples}"


OPTED_OUT = """<schedule><version>v1</version><conference><acronym>camp-2025</acronym>
<title>Camp</title><start>2025-08-01</start><end>2025-08-01</end>
<time_zone_name>Europe/Berlin</time_zone_name><day_change>04:00</day_change></conference>
<day date="2025-08-01" index="1"><room name="Curie">
<event id="7" guid="0d7cbc43-7d1b-4c35-b7a4-2a0d1fd5f2a1"><date>2025-08-02T01:30:00+02:00</date>
<start>01:30</start><duration>00:45</duration><room>Curie</room><title>Night owls</title>
<type>lecture</type><recording><license>CC BY 4.0</license><optout>true</optout></recording>
<feedback_url>https://camp.example/feedback/7</feedback_url>
<persons><person id="3">Ada</person></persons>
<attachments><attachment href="https://camp.example/paper.pdf" type="paper">Paper</attachment>
</attachments></event></room></day></schedule>"""


@pytest.mark.django_db
def test_recording_opt_out_reaches_the_talk_page_and_both_exports(client):
    from schedule.interchange.importers import import_bytes
    from talks.models import Talk

    import_bytes(OPTED_OUT.encode())
    talk = Talk.objects.get()

    page = client.get(talk.get_absolute_url()).content.decode()
    assert "Not recorded or streamed" in page
    assert "Tell the speakers what you thought" in page
    assert 'Paper</a> <span class="muted">attachment' in page
    xml = client.get(reverse("exports:xml", args=["camp-2025"])).content
    root = ET.fromstring(xml)
    event = root.find(".//event")
    assert event.findtext("recording/optout") == "true"
    assert event.findtext("recording/license") == "CC BY 4.0"
    assert event.findtext("type") == "lecture"
    assert event.find("attachments/attachment").get("href") == "https://camp.example/paper.pdf"
    assert root.findtext("conference/day_change") == "04:00:00"
    # After midnight, before the day change: still the conference day it was listed under.
    assert [day.get("date") for day in root.iter("day") if day.find(".//event") is not None] == [
        "2025-08-01"
    ]
    data = json.loads(client.get(reverse("exports:json", args=["camp-2025"])).content)
    entry = data["schedule"]["conference"]["days"][0]["rooms"]["Curie"][0]
    assert (entry["do_not_record"], entry["recording_license"]) == (True, "CC BY 4.0")
    assert entry["attachments"][0]["url"] == "https://camp.example/paper.pdf"


@pytest.mark.django_db
def test_days_are_the_files_days_and_a_night_talk_stays_in_its_day(client, real_data):
    from schedule.interchange.importers import import_bytes

    camp = import_file(real_data / "ccc/camp2019-frab-schedule.json").event
    assert len(camp.days) == 5  # its <end> is the day after the last: no empty sixth day

    night = OPTED_OUT.replace("<day_change>04:00</day_change>", "").replace(
        "camp-2025", "night-2025"
    )
    event = import_bytes(night.encode()).event

    assert event.day_change.hour == 2  # the hour after the latest night talk
    assert len(event.days) == 1
    root = ET.fromstring(client.get(reverse("exports:xml", args=[event.slug])).content)
    assert [day.get("date") for day in root.iter("day")] == ["2025-08-01"]
    assert root.find(".//day/room/event") is not None


@pytest.mark.django_db
def test_a_night_talk_is_listed_under_its_conference_day(client):
    from schedule.interchange.importers import import_bytes

    event = import_bytes(OPTED_OUT.encode()).event  # day_change 04:00, a talk at 01:30

    page = client.get(reverse("schedule:all", args=[event.slug])).content.decode()

    assert "Night owls" in page
    assert "Friday 1 August" in page or "Fri 1 Aug" in page
    assert "Saturday 2 August" not in page
    assert "Sat 2 Aug" not in page
