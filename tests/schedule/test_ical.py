"""Calendar feeds, parsed back with icalendar and with an independent parser (vobject)."""

import datetime as dt
import itertools
import uuid

import icalendar
import pytest
import vobject
from django.urls import reverse

from talks.models import Talk, TalkSpeaker
from tests.factories import brussels, make_event, make_room, make_speaker, make_talk
from tests.responses import forget_responses

UTC = dt.UTC


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def uids(response) -> list[str]:
    return sorted(str(e["uid"]) for e in parse(response).walk("VEVENT"))


@pytest.fixture
def talk(event, chavanne, iaas):
    chavanne.building = "U"
    chavanne.save()
    return make_talk(
        room=chavanne,
        devroom=iaas,
        title="Autoscaling best practices",
        slug="autoscaling",
        speakers=[make_speaker(name="Marc Cluet"), make_speaker(name="Renée Doğan")],
        start=brussels(2014, 2, 1, 12, 20),
        minutes=40,
        abstract="Heat, Ceilometer; and *more*.\nSecond line.",
    )


def talk_ics(client, talk, **headers):
    return client.get(reverse("exports:talk_ics", args=[talk.event.slug, talk.slug]), **headers)


@pytest.mark.django_db
def test_talk_ics_has_every_property_clients_need(client, talk):
    calendar = parse(talk_ics(client, talk))

    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"{talk.guid}@schedule.test"
    assert event["dtstart"].dt == brussels(2014, 2, 1, 12, 20)
    assert event["dtstart"].params["TZID"] == "Europe/Brussels"
    assert event["dtend"].dt == brussels(2014, 2, 1, 13, 0)
    assert event["dtstamp"].dt == talk.updated.replace(microsecond=0)
    assert event["created"].dt == talk.created.replace(microsecond=0)
    assert event["last-modified"].dt == talk.updated.replace(microsecond=0)
    assert event["sequence"] == 0
    assert str(event["summary"]) == "Autoscaling best practices"
    assert str(event["location"]) == "Chavanne, building U"
    assert str(event["url"]) == "http://testserver/fosdem-2014/talks/autoscaling/"
    assert event["categories"].cats == ["Virtualization and IaaS", "Talk"]
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["description"]) == (
        "Heat, Ceilometer; and more. Second line.\n\nSpeakers: Marc Cluet, Renée Doğan"
        "\n\nhttp://testserver/fosdem-2014/talks/autoscaling/"
    )
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["tzid"]) == "Europe/Brussels"


@pytest.mark.django_db
def test_calendar_headers_name_the_feed_and_ask_for_hourly_refresh_during_the_event(
    client, talk, iaas, fixed_clock
):
    fixed_clock(brussels(2014, 1, 30, 9))

    calendar = parse(client.get(reverse("exports:devroom_ics", args=["fosdem-2014", iaas.slug])))

    assert str(calendar["prodid"]) == "-//Conference Schedule//Devroom//EN"
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["calscale"]) == "GREGORIAN"
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["x-wr-calname"]) == "FOSDEM 2014 — Virtualization and IaaS"
    assert str(calendar["x-wr-timezone"]) == "Europe/Brussels"
    assert calendar["refresh-interval"].dt == dt.timedelta(hours=1)
    assert icalendar.vDuration.from_ical(str(calendar["x-published-ttl"])) == dt.timedelta(hours=1)


@pytest.mark.django_db
def test_feeds_are_polled_daily_long_before_the_event(client, talk, fixed_clock):
    fixed_clock(brussels(2013, 10, 1, 9))

    calendar = parse(client.get(reverse("exports:ics", args=["fosdem-2014"])))

    assert calendar["refresh-interval"].dt == dt.timedelta(days=1)


@pytest.mark.django_db
def test_uid_stays_and_sequence_increases_after_a_move_and_a_cancel(client, talk, ferrer):
    before = parse(talk_ics(client, talk)).walk("VEVENT")[0]

    talk.start, talk.end, talk.room = brussels(2014, 2, 1, 14), brussels(2014, 2, 1, 14, 40), ferrer
    talk.save()
    moved = parse(talk_ics(client, talk)).walk("VEVENT")[0]
    talk.set_status(Talk.Status.CANCELLED)
    cancelled = parse(talk_ics(client, talk)).walk("VEVENT")[0]

    assert before["uid"] == moved["uid"] == cancelled["uid"]
    assert (before["sequence"], moved["sequence"], cancelled["sequence"]) == (0, 1, 2)
    assert moved["dtstart"].dt == brussels(2014, 2, 1, 14)
    assert str(moved["location"]) == "Ferrer"
    assert str(cancelled["status"]) == "CANCELLED"


@pytest.mark.django_db
def test_conditional_get_answers_304_until_the_talk_changes(client, talk):
    first = talk_ics(client, talk)

    again = talk_ics(client, talk, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = talk_ics(client, talk, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    talk.title = "Autoscaling, revisited"
    talk.save()
    changed = talk_ics(client, talk, HTTP_IF_NONE_MATCH=first["ETag"])

    assert (again.status_code, again.content) == (304, b"")
    assert by_date.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


@pytest.mark.django_db
def test_renaming_the_room_changes_the_feed_instead_of_answering_304(client, talk, chavanne):
    url = reverse("exports:room_ics", args=["fosdem-2014", chavanne.slug])
    first = client.get(url)

    chavanne.name = "Chavanne (U.A2.220)"
    chavanne.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert after.status_code == 200
    assert str(parse(after).walk("VEVENT")[0]["location"]).startswith("Chavanne (U.A2.220)")


@pytest.mark.django_db
def test_download_links_name_the_file(client, talk):
    response = client.get(
        reverse("exports:talk_ics", args=["fosdem-2014", talk.slug]) + "?download=1"
    )

    assert response["Content-Disposition"] == 'attachment; filename="autoscaling.ics"'


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?day=2014-02-02",
        "?devroom=lightning-talks",
        "?room=chavanne&kind=talk",
        "?speaker=speaker-x",
        "?q=openstack",
        "?language=fr",
        "?kind=lightning&kind=talk",
    ],
)
@pytest.mark.django_db
def test_filtered_feed_has_exactly_the_talks_of_the_filtered_page(
    client, event, chavanne, ferrer, iaas, lightning, query
):
    speaker = make_speaker(slug="speaker-x")
    make_talk(
        room=chavanne,
        devroom=iaas,
        title="OpenStack one",
        speakers=[speaker],
        start=brussels(2014, 2, 1, 10),
    )
    make_talk(
        room=ferrer,
        devroom=lightning,
        kind="lightning",
        language="fr",
        start=brussels(2014, 2, 2, 10),
    )
    make_talk(
        room=chavanne,
        devroom=iaas,
        title="OpenStack two",
        status="cancelled",
        start=brussels(2014, 2, 2, 11),
    )
    make_talk(event=event, devroom=iaas, room=None, start=None, end=None)  # TBA: no VEVENT

    page = client.get(reverse("schedule:all", args=[event.slug]) + query)
    feed = client.get(reverse("exports:ics", args=[event.slug]) + query)

    shown = [t for t in page.context["talks"] if t.is_scheduled]
    expected = sorted(f"{uuid.UUID(hex=t.guid)}@schedule.test" for t in shown)
    assert uids(feed) == expected


@pytest.mark.django_db
def test_bad_filter_in_a_feed_is_a_400_naming_the_filter(client, event):
    response = client.get(reverse("exports:ics", args=[event.slug]) + "?day=2014-13-01")

    assert response.status_code == 400
    assert "Day: Select a valid choice. 2014-13-01" in response.content.decode()


@pytest.mark.django_db
def test_vtimezone_and_times_are_right_across_the_march_dst_change(client):
    event = make_event(
        slug="spring", start_date=dt.date(2014, 3, 29), end_date=dt.date(2014, 3, 30)
    )
    room = make_room(event, name="Hall")
    make_talk(room=room, slug="saturday", start=brussels(2014, 3, 29, 10))
    make_talk(room=room, slug="sunday", start=brussels(2014, 3, 30, 10))

    response = client.get(reverse("exports:ics", args=["spring"]))

    calendar = parse(response)
    [timezone] = calendar.walk("VTIMEZONE")
    offsets = {
        (str(c.name), c["tzoffsetto"].td)
        for c in timezone.walk()
        if c.name in ("STANDARD", "DAYLIGHT")
    }
    assert ("DAYLIGHT", dt.timedelta(hours=2)) in offsets
    assert ("STANDARD", dt.timedelta(hours=1)) in offsets
    independent = vobject.readOne(response.content.decode())
    starts = sorted(e.dtstart.value.astimezone(UTC) for e in independent.vevent_list)
    assert starts == [
        dt.datetime(2014, 3, 29, 9, tzinfo=UTC),
        dt.datetime(2014, 3, 30, 8, tzinfo=UTC),
    ]


@pytest.mark.django_db
def test_text_is_escaped_and_folded_and_round_trips_through_vobject(client, event, chavanne):
    title = "Commas, semicolons; back\\slashes — Дмитрий и Renée Doğan " + "long " * 20
    make_talk(
        room=chavanne,
        title=title,
        slug="escaping",
        abstract="Line one\n\nLine two, ok;",
        speakers=[make_speaker(name="Дмитрий Иванов")],
        start=brussels(2014, 2, 1, 10),
    )

    response = client.get(reverse("exports:talk_ics", args=[event.slug, "escaping"]))

    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    independent = vobject.readOne(response.content.decode())
    assert independent.vevent.summary.value == title
    assert independent.vevent.description.value.startswith(
        "Line one\n\nLine two, ok;\n\nSpeakers: Дмитрий Иванов"
    )
    assert (
        independent.vevent.uid.value
        == icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]["uid"]
    )


@pytest.mark.django_db
def test_every_feed_parses_in_vobject_with_timezones(client, talk, iaas, chavanne):
    urls = [
        reverse("exports:ics", args=["fosdem-2014"]),
        reverse("exports:devroom_ics", args=["fosdem-2014", iaas.slug]),
        reverse("exports:room_ics", args=["fosdem-2014", chavanne.slug]),
        reverse("exports:speaker_ics", args=[talk.speakers.first().slug]),
        reverse("exports:talk_ics", args=["fosdem-2014", talk.slug]),
        reverse("exports:starred_ics", args=["fosdem-2014"]) + f"?talks={talk.slug}",
    ]

    for url in urls:
        parsed = vobject.readOne(client.get(url).content.decode())
        assert parsed.vtimezone.tzid.value == "Europe/Brussels", url
        assert parsed.vevent.dtstart.value == brussels(2014, 2, 1, 12, 20), url
        assert parsed.vevent.dtstamp.value.tzinfo is not None, url


@pytest.mark.django_db
def test_starred_feed_ignores_and_reports_unknown_talks(client, talk):
    response = client.get(
        reverse("exports:starred_ics", args=["fosdem-2014"]) + f"?talks={talk.slug},gone,also-gone"
    )

    assert uids(response) == [f"{talk.guid}@schedule.test"]
    assert response["X-Unknown-Talks"] == "gone,also-gone"


@pytest.mark.django_db
def test_speaker_feed_covers_every_edition(client, talk):
    older = make_event(
        slug="fosdem-2013", start_date=dt.date(2013, 2, 2), end_date=dt.date(2013, 2, 3)
    )
    speaker = talk.speakers.first()
    make_talk(room=make_room(older), speakers=[speaker], start=brussels(2013, 2, 3, 10))

    response = client.get(reverse("exports:speaker_ics", args=[speaker.slug]))

    assert len(uids(response)) == 2


def bulk_talks(event, count):
    rooms = [make_room(event) for _ in range(10)]
    speakers = [make_speaker() for _ in range(20)]
    n = itertools.count()
    talks = Talk.objects.bulk_create(
        Talk(
            event=event,
            room=rooms[i % 10],
            title=f"Bulk {i}",
            slug=f"bulk-{i}",
            start=brussels(2014, 2, 1, 9) + dt.timedelta(minutes=5 * (i // 10)),
            end=brussels(2014, 2, 1, 9, 5) + dt.timedelta(minutes=5 * (i // 10)),
        )
        for i in range(count)
    )
    TalkSpeaker.objects.bulk_create(
        TalkSpeaker(talk=t, speaker=speakers[next(n) % 20]) for t in talks
    )


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.django_db
def test_feed_queries_are_constant_up_to_a_thousand_talks(
    client, event, django_assert_max_num_queries, count
):
    bulk_talks(event, count)

    # From scratch: each talk's VEVENT is rendered and stored (schedule.pieces), in
    # inserts of a few hundred rows (SQLite's parameter limit) …
    with django_assert_max_num_queries(20):
        response = client.get(reverse("exports:ics", args=[event.slug]))
    # … and read back, not rendered, when the stored response is gone.
    forget_responses()
    with django_assert_max_num_queries(6):
        again = client.get(reverse("exports:ics", args=[event.slug]))

    assert len(parse(response).walk("VEVENT")) == count
    assert again.content == response.content


@pytest.mark.django_db
def test_talks_at_the_same_instant_in_two_zones_each_carry_their_events_zone(client, talk):
    """Times are written once per instant and zone: the same instant in another event's
    zone must not come back with the first zone's TZID."""
    lisbon = make_event(timezone="Europe/Lisbon", city="Lisbon")
    other = make_talk(
        event=lisbon, room=make_room(lisbon), start=talk.start, minutes=40, title="Same time"
    )
    first = parse(talk_ics(client, talk)).walk("VEVENT")[0]
    second = parse(talk_ics(client, other)).walk("VEVENT")[0]

    assert first["dtstart"].params["TZID"] == "Europe/Brussels"
    assert second["dtstart"].params["TZID"] == "Europe/Lisbon"
    assert second["dtstart"].dt == first["dtstart"].dt  # the same instant
    assert second["dtstart"].dt.hour == first["dtstart"].dt.hour - 1
