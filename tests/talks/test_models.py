"""Integrity rules: each refusal carries the message an organiser sees in the admin."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from talks.models import Talk
from tests.factories import brussels, make_devroom, make_event, make_room, make_speaker, make_talk


def messages(error: ValidationError) -> list[str]:
    return [m for ms in error.message_dict.values() for m in ms]


@pytest.mark.django_db
def test_room_double_booking_is_refused_naming_the_other_talk(chavanne):
    make_talk(
        room=chavanne,
        title="Autoscaling best practices",
        start=brussels(2014, 2, 1, 12, 20),
        minutes=40,
    )
    clash = Talk(
        event=chavanne.event,
        room=chavanne,
        title="Late",
        slug="late",
        start=brussels(2014, 2, 1, 12, 50),
        end=brussels(2014, 2, 1, 13, 20),
    )

    with pytest.raises(ValidationError) as error:
        clash.full_clean()

    assert error.value.message_dict["room"] == [
        "Chavanne is already booked at that time by “Autoscaling best practices” "
        "(Sat 1 Feb 12:20–13:00)."
    ]


@pytest.mark.django_db
def test_back_to_back_talks_and_cancelled_talks_do_not_clash(chavanne):
    make_talk(room=chavanne, start=brussels(2014, 2, 1, 12, 20), minutes=40)
    make_talk(room=chavanne, start=brussels(2014, 2, 1, 13, 0), minutes=40, status="cancelled")
    follow_up = Talk(
        event=chavanne.event,
        room=chavanne,
        title="Next",
        slug="next",
        start=brussels(2014, 2, 1, 13, 0),
        end=brussels(2014, 2, 1, 13, 40),
    )

    follow_up.full_clean()  # no exception: touching ends and a cancelled talk are fine


@pytest.mark.django_db
def test_speaker_in_two_overlapping_talks_is_refused(event):
    marc = make_speaker(name="Marc Cluet", slug="marc-cluet")
    make_talk(
        event=event,
        title="Autoscaling best practices",
        speakers=[marc],
        start=brussels(2014, 2, 1, 12, 20),
        minutes=40,
    )
    second = make_talk(event=event, start=brussels(2014, 2, 1, 15, 0))

    second.start, second.end = brussels(2014, 2, 1, 12, 30), brussels(2014, 2, 1, 13, 0)

    assert second.speaker_conflicts([marc]) == [
        "Marc Cluet is already speaking in “Autoscaling best practices” at that time "
        "(Sat 1 Feb 12:20–13:00)."
    ]


@pytest.mark.django_db
def test_saved_speaker_clash_is_refused_by_model_validation(event):
    marc = make_speaker(name="Marc Cluet", slug="marc-cluet")
    make_talk(event=event, title="First", speakers=[marc], start=brussels(2014, 2, 1, 12, 20))
    second = make_talk(event=event, speakers=[marc], start=brussels(2014, 2, 1, 16, 0))
    second.start, second.end = brussels(2014, 2, 1, 12, 30), brussels(2014, 2, 1, 12, 45)

    with pytest.raises(ValidationError) as error:
        second.full_clean()

    assert messages(error.value) == [
        "Marc Cluet is already speaking in “First” at that time (Sat 1 Feb 12:20–12:50)."
    ]


@pytest.mark.django_db
def test_end_must_be_after_start(chavanne):
    talk = Talk(
        event=chavanne.event,
        room=chavanne,
        title="Backwards",
        slug="backwards",
        start=brussels(2014, 2, 1, 13),
        end=brussels(2014, 2, 1, 12),
    )

    with pytest.raises(ValidationError) as error:
        talk.full_clean()

    assert error.value.message_dict["end"] == ["The end must be after the start."]


@pytest.mark.django_db
def test_start_without_end_is_refused(chavanne):
    talk = Talk(
        event=chavanne.event,
        room=chavanne,
        title="Half",
        slug="half",
        start=brussels(2014, 2, 1, 13),
    )

    with pytest.raises(ValidationError) as error:
        talk.full_clean()

    assert error.value.message_dict["end"] == [
        "Give both a start and an end, or neither (time to be announced)."
    ]


@pytest.mark.django_db
def test_database_refuses_end_before_start_even_without_validation(chavanne):
    with pytest.raises(IntegrityError), transaction.atomic():
        Talk.objects.create(
            event=chavanne.event,
            room=chavanne,
            title="X",
            slug="x",
            start=brussels(2014, 2, 1, 13),
            end=brussels(2014, 2, 1, 12),
        )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (brussels(2014, 1, 31, 23, 30), brussels(2014, 2, 1, 0, 30)),  # starts the day before
        (brussels(2014, 2, 2, 23, 30), brussels(2014, 2, 3, 0, 30)),  # ends the day after
    ],
)
@pytest.mark.django_db
def test_talk_must_be_within_the_event_days_in_its_zone(chavanne, start, end):
    talk = Talk(
        event=chavanne.event, room=chavanne, title="Outside", slug="outside", start=start, end=end
    )

    with pytest.raises(ValidationError) as error:
        talk.full_clean()

    assert error.value.message_dict["start"] == [
        "The talk must take place during FOSDEM 2014 (1 February 2014 to 2 February 2014, "
        "Europe/Brussels time)."
    ]


@pytest.mark.django_db
def test_talk_ending_at_local_midnight_of_the_last_day_is_within_the_event(chavanne):
    talk = Talk(
        event=chavanne.event,
        room=chavanne,
        title="Late night",
        slug="late-night",
        start=brussels(2014, 2, 2, 23, 0),
        end=brussels(2014, 2, 3, 0, 0),
    )

    talk.full_clean()


@pytest.mark.django_db
def test_room_and_devroom_must_belong_to_the_talks_event(event):
    other = make_event(name="FOSDEM 2013", slug="fosdem-2013")
    room = make_room(other, name="K.3.401", slug="k3401")
    devroom = make_devroom(other, name="Python", slug="python")
    talk = Talk(event=event, room=room, devroom=devroom, title="Wrong", slug="wrong")

    with pytest.raises(ValidationError) as error:
        talk.full_clean()

    assert error.value.message_dict == {
        "room": ["Room “K.3.401” belongs to FOSDEM 2013, not to FOSDEM 2014."],
        "devroom": ["Devroom “Python” belongs to FOSDEM 2013, not to FOSDEM 2014."],
    }


@pytest.mark.django_db
def test_talk_slug_is_unique_within_an_event_only(event):
    make_talk(event=event, slug="keynote")
    make_talk(event=make_event(), slug="keynote")  # another edition may reuse it
    duplicate = Talk(event=event, title="Again", slug="keynote")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert messages(error.value) == ["This event already has a talk with this slug."]


@pytest.mark.django_db
def test_unscheduled_talk_is_valid_and_marked_time_to_be_announced(event):
    talk = Talk(event=event, title="Get a Python job", slug="python-job")

    talk.full_clean()

    assert (talk.is_scheduled, talk.when()) == (False, "Time to be announced")


@pytest.mark.django_db
def test_sequence_increases_when_time_room_or_status_change_but_not_for_typos(chavanne, ferrer):
    talk = make_talk(room=chavanne, start=brussels(2014, 2, 1, 10))

    talk.title = "Typo fixed"
    talk.save()
    after_typo = talk.sequence
    talk.start, talk.end = brussels(2014, 2, 1, 11), brussels(2014, 2, 1, 11, 30)
    talk.save()
    after_move = talk.sequence
    talk.room = ferrer
    talk.save()
    after_room = talk.sequence
    talk.set_status(Talk.Status.CANCELLED)

    talk.refresh_from_db()
    assert (after_typo, after_move, after_room, talk.sequence) == (0, 1, 2, 3)


@pytest.mark.django_db
def test_times_are_stored_in_utc_and_shown_in_the_event_zone(chavanne):
    talk = make_talk(room=chavanne, start=brussels(2014, 2, 1, 12, 20), minutes=40)

    talk.refresh_from_db()

    assert talk.start == dt.datetime(2014, 2, 1, 11, 20, tzinfo=dt.UTC)
    assert talk.start.utcoffset() == dt.timedelta(0)
    assert talk.when() == "Sat 1 Feb 2014, 12:20–13:00 CET"


@pytest.mark.django_db
def test_event_with_unknown_time_zone_or_reserved_slug_is_refused():
    from schedule.models import Event

    event = Event(
        name="X",
        slug="speakers",
        start_date=dt.date(2014, 2, 1),
        end_date=dt.date(2014, 2, 2),
        timezone="Europe/Bruxelles",
    )

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict == {
        "slug": ["“speakers” is reserved for the site's own pages; choose another slug."],
        "timezone": [
            "“Europe/Bruxelles” is not an IANA time zone name (for example Europe/Brussels)."
        ],
    }
