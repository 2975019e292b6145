"""Now and next with a fixed clock, around midnight and the event's zone boundaries."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import brussels, make_event, make_room, make_talk


@pytest.fixture
def rooms_with_talks(event, chavanne, ferrer):
    return {
        "sat-late": make_talk(
            room=chavanne,
            title="Saturday late",
            slug="sat-late",
            start=brussels(2014, 2, 1, 23, 0),
            minutes=50,
        ),
        "sat-ferrer": make_talk(
            room=ferrer,
            title="Saturday Ferrer",
            slug="sat-ferrer",
            start=brussels(2014, 2, 1, 10, 0),
            minutes=30,
        ),
        "sun-early": make_talk(
            room=chavanne,
            title="Sunday early",
            slug="sun-early",
            start=brussels(2014, 2, 2, 0, 10),
            minutes=20,
        ),
        "sun-ferrer": make_talk(
            room=ferrer,
            title="Sunday Ferrer",
            slug="sun-ferrer",
            start=brussels(2014, 2, 2, 17, 0),
            minutes=20,
        ),
    }


def now_page(client, event, fixed_clock, moment):
    fixed_clock(moment)
    return client.get(reverse("schedule:now", args=[event.slug]))


def summary(response):
    state = response.context["state"]
    return state.phase, {
        entry.room.name: (
            entry.current and entry.current.slug,
            entry.upcoming and entry.upcoming.slug,
        )
        for entry in state.rooms
    }


@pytest.mark.django_db
def test_now_shows_the_running_talk_and_the_next_one_per_room(
    client, event, rooms_with_talks, fixed_clock
):
    response = now_page(client, event, fixed_clock, brussels(2014, 2, 1, 23, 30))

    assert summary(response) == (
        "during",
        {
            "Chavanne": ("sat-late", "sun-early"),
            "Ferrer": (None, "sun-ferrer"),
        },
    )
    assert "Saturday 1 February, 23:30 CET" in response.content.decode()


@pytest.mark.django_db
def test_just_after_local_midnight_the_next_day_is_current(
    client, event, rooms_with_talks, fixed_clock
):
    # 00:15 in Brussels is still 23:15 UTC on Saturday: the event's zone decides.
    moment = dt.datetime(2014, 2, 1, 23, 15, tzinfo=dt.UTC)

    response = now_page(client, event, fixed_clock, moment)

    assert summary(response) == (
        "during",
        {
            "Chavanne": ("sun-early", None),
            "Ferrer": (None, "sun-ferrer"),
        },
    )
    assert "Sunday 2 February, 00:15 CET" in response.content.decode()


@pytest.mark.django_db
def test_a_talk_is_over_at_its_end_minute(client, event, rooms_with_talks, fixed_clock):
    response = now_page(client, event, fixed_clock, brussels(2014, 2, 1, 10, 30))

    assert summary(response)[1]["Ferrer"] == (None, "sun-ferrer")


@pytest.mark.django_db
def test_a_talk_at_its_start_minute_is_now_and_not_next(
    client, event, rooms_with_talks, fixed_clock
):
    response = now_page(client, event, fixed_clock, brussels(2014, 2, 1, 10, 0))

    assert summary(response)[1]["Ferrer"] == ("sat-ferrer", "sun-ferrer")


@pytest.mark.django_db
def test_before_the_event_says_so_and_shows_first_slots(
    client, event, rooms_with_talks, fixed_clock
):
    response = now_page(client, event, fixed_clock, brussels(2014, 1, 20, 9, 0))

    assert summary(response) == (
        "before",
        {
            "Chavanne": (None, "sat-late"),
            "Ferrer": (None, "sat-ferrer"),
        },
    )
    assert "has not started yet" in response.content.decode()


@pytest.mark.django_db
def test_after_the_event_says_so_and_shows_last_slots(client, event, rooms_with_talks, fixed_clock):
    response = now_page(client, event, fixed_clock, brussels(2014, 2, 3, 9, 0))

    assert summary(response) == (
        "after",
        {
            "Chavanne": ("sun-early", None),
            "Ferrer": ("sun-ferrer", None),
        },
    )
    assert "is over" in response.content.decode()


@pytest.mark.django_db
def test_cancelled_talk_is_never_running_but_is_shown_as_next(client, event, fixed_clock):
    room = make_room(event, name="K.3.401", slug="k3401")
    make_talk(room=room, slug="cancelled", start=brussels(2014, 2, 1, 12), status="cancelled")
    make_talk(room=room, slug="later", start=brussels(2014, 2, 1, 14))

    running = now_page(client, event, fixed_clock, brussels(2014, 2, 1, 12, 10))
    before = now_page(client, event, fixed_clock, brussels(2014, 2, 1, 11, 50))

    assert summary(running)[1] == {"K.3.401": (None, "later")}
    assert summary(before)[1] == {"K.3.401": (None, "cancelled")}


@pytest.mark.django_db
def test_now_in_a_summer_event_uses_summer_time(client, fixed_clock):
    event = make_event(slug="summer", start_date=dt.date(2014, 7, 5), end_date=dt.date(2014, 7, 5))
    make_talk(
        room=make_room(event, name="Hall"), slug="summer-talk", start=brussels(2014, 7, 5, 10)
    )

    response = now_page(client, event, fixed_clock, dt.datetime(2014, 7, 5, 8, 10, tzinfo=dt.UTC))

    assert summary(response) == ("during", {"Hall": ("summer-talk", None)})
    assert "10:10 CEST" in response.content.decode()


@pytest.mark.django_db
def test_now_page_is_not_revalidated_by_date_once_the_minute_has_passed(
    client, event, rooms_with_talks, fixed_clock
):
    first = now_page(client, event, fixed_clock, brussels(2014, 2, 1, 10, 0))

    fixed_clock(brussels(2014, 2, 1, 10, 1))
    later = client.get(
        reverse("schedule:now", args=[event.slug]),
        HTTP_IF_MODIFIED_SINCE="Sat, 01 Feb 2014 09:00:30 GMT",
    )

    assert "Last-Modified" not in first
    assert later.status_code == 200
    assert "10:01 CET" in later.content.decode()


@pytest.mark.django_db
def test_now_page_etag_is_not_valid_once_the_minute_has_passed(
    client, event, rooms_with_talks, fixed_clock
):
    first = now_page(client, event, fixed_clock, brussels(2014, 2, 1, 10, 0))
    same_minute = client.get(
        reverse("schedule:now", args=[event.slug]), HTTP_IF_NONE_MATCH=first["ETag"]
    )

    fixed_clock(brussels(2014, 2, 1, 10, 1))
    later = client.get(reverse("schedule:now", args=[event.slug]), HTTP_IF_NONE_MATCH=first["ETag"])

    assert same_minute.status_code == 304
    assert later.status_code == 200
    assert "10:01 CET" in later.content.decode()
