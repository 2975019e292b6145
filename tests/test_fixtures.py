"""The seed fixture loads, twice, and holds the seed document's programmes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from schedule.models import Devroom, Event, Room
from talks.models import Speaker, Talk

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def demo(db):
    call_command("loaddata", "demo", verbosity=0)


def local(talk):
    return (talk.local_start.strftime("%a %H:%M"), talk.local_end.strftime("%H:%M"))


@pytest.mark.django_db
def test_loading_the_seed_twice_creates_no_duplicates(demo):
    call_command("loaddata", "demo", verbosity=0)

    assert (Event.objects.count(), Talk.objects.count(), Speaker.objects.count()) == (3, 34, 24)


@pytest.mark.django_db
def test_fosdem_2014_has_the_eleven_talks_with_their_times_rooms_and_speakers(demo):
    talks = Talk.objects.filter(event__slug="fosdem-2014").for_schedule()

    rows = [
        (local(t), t.room.name, t.devroom.name, [s.name for s in t.ordered_speakers]) for t in talks
    ]

    assert rows == [
        (("Sat 12:20", "13:00"), "Chavanne", "Virtualization and IaaS", ["Marc Cluet"]),
        (("Sat 13:00", "13:40"), "Chavanne", "Virtualization and IaaS", ["Balaji Padnala"]),
        (("Sat 13:40", "14:20"), "Chavanne", "Virtualization and IaaS", ["Federico Simoncelli"]),
        (("Sat 15:00", "15:40"), "Chavanne", "Virtualization and IaaS", ["Thierry Carrez"]),
        (("Sat 16:20", "17:00"), "Chavanne", "Virtualization and IaaS", ["Rob Clark"]),
        (("Sat 17:40", "18:20"), "Chavanne", "Virtualization and IaaS", ["Gilad Chaplik"]),
        (("Sun 10:00", "10:40"), "U.218A", "Testing and automation", ["Thierry Carrez"]),
        (("Sun 13:40", "14:20"), "Chavanne", "Virtualization and IaaS", ["Assaf Muller"]),
        (("Sun 16:20", "17:00"), "Chavanne", "Virtualization and IaaS", ["Mike Kolesnik"]),
        (("Sun 17:00", "17:20"), "Ferrer", "Lightning talks", ["Dirk Diane Mueller"]),
        (("Sun 17:20", "17:40"), "Ferrer", "Lightning talks", ["Dave Neary"]),
    ]
    assert talks[0].start == dt.datetime(2014, 2, 1, 11, 20, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_fosdem_2012_town_hall_is_one_hour_at_six_on_saturday_in_chavanne(demo):
    town_hall = Talk.objects.get(event__slug="fosdem-2012", kind="meeting")

    assert (town_hall.local_start, town_hall.local_end, town_hall.room.name) == (
        dt.datetime(2012, 2, 4, 18, 0, tzinfo=BRUSSELS),
        dt.datetime(2012, 2, 4, 19, 0, tzinfo=BRUSSELS),
        "Chavanne",
    )
    assert Devroom.objects.get(event__slug="fosdem-2012").name == "Virtualization and Cloud"


@pytest.mark.django_db
def test_talks_without_a_time_in_the_seed_are_left_unscheduled(demo):
    python_job = Talk.objects.get(title="Get a Python job, work on OpenStack")

    assert (python_job.start, python_job.room.name, python_job.devroom.name) == (
        None,
        "K.3.401",
        "Python",
    )
    assert Talk.objects.filter(event__slug="fosdem-2012").unscheduled().count() == 19


@pytest.mark.django_db
def test_thierry_carrez_has_one_speaker_page_across_three_editions(demo, client):
    thierry = Speaker.objects.get(name="Thierry Carrez")

    response = client.get(reverse("talks:speaker", args=[thierry.slug]))

    editions = sorted({t.event.slug for t in response.context["talks"]})
    assert editions == ["fosdem-2012", "fosdem-2013", "fosdem-2014"]
    assert len(response.context["talks"]) == 5


@pytest.mark.django_db
def test_chavanne_seats_550_and_fixture_rows_are_valid(demo):
    assert set(Room.objects.filter(name="Chavanne").values_list("capacity", flat=True)) == {550}
    for talk in Talk.objects.select_related("event", "room", "devroom"):
        talk.full_clean()  # every seeded talk passes the admin's integrity rules
