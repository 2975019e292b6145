"""schedule.xml and schedule.json: valid against the c3voc contracts, same content."""

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from talks.models import Talk, TalkLink
from tests.factories import brussels, make_speaker, make_talk
from tests.responses import forget_responses
from tests.schedule.conftest import CONTRACTS

XSD = etree.XMLSchema(etree.parse(str(CONTRACTS / "voc-schedule.xml.xsd")))
JSON_SCHEMA = json.loads((CONTRACTS / "voc-schedule.schema.json").read_text())


# FOSDEM's own schedule.xml carries these in <conference>, and ConfClerk and the FOSDEM
# companion apps read them, but the c3voc XSD has no place for them: exactly these are
# tolerated (README, "Interchange").
NOT_IN_XSD = ("venue", "city", "day_change")


def assert_valid_xml(content: bytes):
    document = etree.fromstring(content)
    conference = document.find("conference")
    for name in NOT_IN_XSD:
        for child in conference.findall(name):
            conference.remove(child)
    assert XSD.validate(document), XSD.error_log.filter_from_errors()[:5]


def assert_valid_json(content: bytes):
    validator = jsonschema.Draft6Validator(JSON_SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(json.loads(content)), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


@pytest.fixture
def seeded(db):
    call_command("loaddata", "demo", verbosity=0)


@pytest.mark.django_db
def test_seed_exports_validate_against_the_xsd_and_json_schema(client, seeded):
    for slug in ("fosdem-2012", "fosdem-2013", "fosdem-2014"):
        xml = client.get(reverse("exports:xml", args=[slug]))
        data = client.get(reverse("exports:json", args=[slug]))

        assert xml["Content-Type"] == "application/xml; charset=utf-8"
        assert_valid_xml(xml.content)
        assert_valid_json(data.content)


@pytest.mark.django_db
def test_xml_carries_conference_days_rooms_and_events(client, seeded):
    root = ET.fromstring(client.get(reverse("exports:xml", args=["fosdem-2014"])).content)

    conference = root.find("conference")
    assert conference.findtext("title") == "FOSDEM 2014"
    assert conference.findtext("time_zone_name") == "Europe/Brussels"
    assert [d.get("date") for d in root.findall("day")] == ["2014-02-01", "2014-02-02"]
    assert [r.get("name") for r in root.findall("day[2]/room")] == ["Chavanne", "Ferrer", "U.218A"]
    event = root.find("day/room/event")
    talk = Talk.objects.get(slug="autoscaling-best-practices")
    assert (event.get("guid"), event.get("id")) == (str(talk.guid), str(talk.frab_id))
    assert event.findtext("date") == "2014-02-01T12:20:00+01:00"
    assert (event.findtext("start"), event.findtext("duration")) == ("12:20", "00:40")
    assert event.findtext("track") == "Virtualization and IaaS"
    assert [p.text for p in event.findall("persons/person")] == ["Marc Cluet"]


@pytest.mark.django_db
def test_json_and_xml_say_the_same(client, seeded):
    root = ET.fromstring(client.get(reverse("exports:xml", args=["fosdem-2014"])).content)
    data = client.get(reverse("exports:json", args=["fosdem-2014"])).json()

    from_xml = [
        (e.get("guid"), e.findtext("date"), e.findtext("room"), e.findtext("title"))
        for e in root.iter("event")
    ]
    from_json = [
        (e["guid"], e["date"], e["room"], e["title"])
        for day in data["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for e in events
    ]
    assert from_xml == from_json
    assert len(from_json) == 11


@pytest.mark.django_db
def test_cancelled_talks_stay_listed_and_marked(client, event, chavanne):
    make_talk(
        room=chavanne,
        title="Gone fishing",
        slug="gone-fishing",
        status="cancelled",
        start=brussels(2014, 2, 1, 10),
    )

    data = client.get(reverse("exports:json", args=[event.slug])).json()

    [talk] = data["schedule"]["conference"]["days"][0]["rooms"]["Chavanne"]
    assert talk["title"] == "CANCELLED: Gone fishing"


@pytest.mark.django_db
def test_exports_honour_the_schedule_filters(client, seeded):
    url = reverse("exports:json", args=["fosdem-2014"]) + "?devroom=lightning-talks"

    data = client.get(url).json()

    titles = [
        e["title"]
        for day in data["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for e in events
    ]
    assert titles == ["Putting the PaaS in OpenStack", "Your Complete Open Source Cloud"]


@pytest.mark.django_db
def test_free_text_with_control_characters_and_markup_stays_valid(client, event, chavanne):
    talk = make_talk(
        room=chavanne,
        title="Bell\x07 & <angle> “quotes”",
        slug="odd-text",
        abstract="<p>HTML & stuff\x0b</p>",
        speakers=[make_speaker(name="Дмитрий")],
        start=brussels(2014, 2, 1, 10),
    )
    TalkLink.objects.create(talk=talk, kind="slides", title="Slides", url="https://x.org/s.pdf")

    xml = client.get(reverse("exports:xml", args=[event.slug]))
    data = client.get(reverse("exports:json", args=[event.slug]))

    assert_valid_xml(xml.content)
    assert_valid_json(data.content)
    event_element = ET.fromstring(xml.content).find(".//event")
    assert event_element.findtext("title") == "Bell & <angle> “quotes”"
    assert event_element.find("links/link").get("href") == "https://x.org/s.pdf"


@pytest.mark.django_db
def test_exports_answer_304_when_nothing_changed(client, seeded):
    url = reverse("exports:xml", args=["fosdem-2014"])
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert first["Last-Modified"]


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.django_db
def test_export_queries_do_not_grow(client, event, chavanne, django_assert_max_num_queries, count):
    for n in range(count):
        make_talk(
            room=chavanne,
            minutes=10,
            speakers=[make_speaker()],
            start=brussels(2014, 2, 1, 9)
            + n * (brussels(2014, 2, 1, 9, 10) - brussels(2014, 2, 1, 9)),
        )

    for name in ("exports:xml", "exports:json"):
        # From scratch: the per-talk pieces are rendered and stored (schedule.pieces).
        with django_assert_max_num_queries(18):
            response = client.get(reverse(name, args=[event.slug]))
        assert response.status_code == 200
        # Cold (no stored response) with the pieces kept: they are read, not rendered.
        forget_responses()
        with django_assert_max_num_queries(9):
            again = client.get(reverse(name, args=[event.slug]))
        assert again.content == response.content
