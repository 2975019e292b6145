"""The organisers' admin: local-time entry, integrity messages, devroom-manager scoping."""

import datetime as dt

import pytest
from django.urls import reverse

from talks.models import Talk
from tests.factories import brussels, make_devroom, make_speaker, make_talk, make_user


def talk_form(event, **overrides) -> dict:
    data = {
        "event": event.pk,
        "title": "Autoscaling best practices",
        "slug": "autoscaling-best-practices",
        "subtitle": "",
        "kind": "talk",
        "language": "en",
        "status": "confirmed",
        "devroom": "",
        "room": "",
        "start_0": "",
        "start_1": "",
        "end_0": "",
        "end_1": "",
        "abstract": "",
        "description": "",
        "talk_speakers-TOTAL_FORMS": "0",
        "talk_speakers-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    return data | overrides


def with_speakers(data: dict, *speakers) -> dict:
    data = dict(data, **{"talk_speakers-TOTAL_FORMS": str(len(speakers))})
    for index, speaker in enumerate(speakers):
        data[f"talk_speakers-{index}-speaker"] = speaker.pk
        data[f"talk_speakers-{index}-position"] = index
    return data


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root", superuser=True))
    return client


@pytest.mark.django_db
def test_talk_entered_as_1220_brussels_is_stored_1120_utc_and_shown_1220(
    admin_client, chavanne, iaas
):
    data = talk_form(
        chavanne.event,
        room=chavanne.pk,
        devroom=iaas.pk,
        start_0="2014-02-01",
        start_1="12:20",
        end_0="2014-02-01",
        end_1="13:00",
    )

    response = admin_client.post(reverse("admin:talks_talk_add"), data)

    assert response.status_code == 302
    talk = Talk.objects.get()
    assert talk.start == dt.datetime(2014, 2, 1, 11, 20, tzinfo=dt.UTC)
    page = admin_client.get(reverse("admin:talks_talk_change", args=[talk.pk])).content.decode()
    assert 'name="start_1" value="12:20:00"' in page
    assert "Local time in Europe/Brussels." in page
    assert ">Chavanne · FOSDEM 2014</option>" in page  # rooms repeat across editions
    listing = admin_client.get(reverse("admin:talks_talk_changelist")).content.decode()
    assert "Sat 1 Feb 2014, 12:20–13:00 CET" in listing


@pytest.mark.django_db
def test_admin_refuses_double_booked_room_with_the_other_talks_name(admin_client, chavanne):
    make_talk(
        room=chavanne,
        title="Autoscaling best practices",
        start=brussels(2014, 2, 1, 12, 20),
        minutes=40,
    )
    data = talk_form(
        chavanne.event,
        title="Intruder",
        slug="intruder",
        room=chavanne.pk,
        start_0="2014-02-01",
        start_1="12:40",
        end_0="2014-02-01",
        end_1="13:10",
    )

    response = admin_client.post(reverse("admin:talks_talk_add"), data)

    assert response.status_code == 200
    assert (
        "Chavanne is already booked at that time by “Autoscaling best practices” "
        "(Sat 1 Feb 12:20–13:00)."
    ) in response.content.decode()
    assert Talk.objects.count() == 1


@pytest.mark.django_db
def test_admin_refuses_speaker_in_two_overlapping_talks(admin_client, chavanne, ferrer):
    thierry = make_speaker(name="Thierry Carrez", slug="thierry-carrez")
    make_talk(
        room=chavanne,
        title="Why contribute to OpenStack",
        speakers=[thierry],
        start=brussels(2014, 2, 1, 15),
        minutes=40,
    )
    data = with_speakers(
        talk_form(
            ferrer.event,
            title="Lightning",
            slug="lightning",
            room=ferrer.pk,
            start_0="2014-02-01",
            start_1="15:20",
            end_0="2014-02-01",
            end_1="15:40",
        ),
        thierry,
    )

    response = admin_client.post(reverse("admin:talks_talk_add"), data)

    assert (
        "Thierry Carrez is already speaking in “Why contribute to OpenStack” at that "
        "time (Sat 1 Feb 15:00–15:40)."
    ) in response.content.decode()
    assert Talk.objects.count() == 1


@pytest.mark.django_db
def test_admin_refuses_a_talk_outside_the_event_days(admin_client, chavanne):
    data = talk_form(
        chavanne.event,
        room=chavanne.pk,
        start_0="2014-02-03",
        start_1="10:00",
        end_0="2014-02-03",
        end_1="10:30",
    )

    response = admin_client.post(reverse("admin:talks_talk_add"), data)

    assert "The talk must take place during FOSDEM 2014" in response.content.decode()
    assert not Talk.objects.exists()


@pytest.mark.django_db
def test_cancel_action_keeps_talk_and_bumps_sequence(admin_client, chavanne):
    talk = make_talk(room=chavanne)

    admin_client.post(
        reverse("admin:talks_talk_changelist"),
        {"action": "cancel_talks", "_selected_action": [talk.pk]},
    )

    talk.refresh_from_db()
    assert (talk.status, talk.sequence) == ("cancelled", 1)


@pytest.mark.django_db
def test_reinstating_into_a_slot_given_away_meanwhile_is_refused(admin_client, chavanne):
    cancelled = make_talk(
        room=chavanne,
        title="Original",
        status="cancelled",
        start=brussels(2014, 2, 1, 12, 20),
        minutes=40,
    )
    make_talk(room=chavanne, title="Replacement", start=brussels(2014, 2, 1, 12, 20), minutes=40)

    response = admin_client.post(
        reverse("admin:talks_talk_changelist"),
        {"action": "reinstate_talks", "_selected_action": [cancelled.pk]},
        follow=True,
    )

    cancelled.refresh_from_db()
    assert cancelled.status == "cancelled"
    assert (
        "“Original” was not reinstated: Chavanne is already booked at that time by "
        "“Replacement” (Sat 1 Feb 12:20–13:00)."
    ) in response.content.decode()


@pytest.fixture
def two_devrooms(event, chavanne):
    mine = make_devroom(event, name="Virtualization and IaaS", slug="iaas")
    theirs = make_devroom(event, name="Python", slug="python")
    return mine, theirs


@pytest.mark.django_db
def test_devroom_manager_lists_only_their_devrooms_talks(client, chavanne, two_devrooms):
    mine, theirs = two_devrooms
    own = make_talk(room=chavanne, devroom=mine, title="Own talk")
    make_talk(event=chavanne.event, devroom=theirs, title="Foreign talk")
    client.force_login(make_user("manager", manages=[mine]))

    response = client.get(reverse("admin:talks_talk_changelist"))

    assert list(response.context["cl"].result_list) == [own]


@pytest.mark.django_db
def test_devroom_manager_cannot_open_or_edit_another_devrooms_talk(client, chavanne, two_devrooms):
    mine, theirs = two_devrooms
    foreign = make_talk(event=chavanne.event, devroom=theirs, title="Foreign talk")
    client.force_login(make_user("manager", manages=[mine]))

    view = client.get(reverse("admin:talks_talk_change", args=[foreign.pk]))
    edit = client.post(
        reverse("admin:talks_talk_change", args=[foreign.pk]),
        talk_form(chavanne.event, title="Hijacked", slug=foreign.slug, devroom=theirs.pk),
    )

    foreign.refresh_from_db()
    assert view.status_code == 302  # "doesn't exist or was deleted" redirect to the index
    assert edit.status_code == 302
    assert foreign.title == "Foreign talk"


@pytest.mark.django_db
def test_devroom_manager_cannot_move_a_talk_into_another_devroom(client, chavanne, two_devrooms):
    mine, theirs = two_devrooms
    own = make_talk(room=chavanne, devroom=mine, title="Own talk", start=None, end=None)
    client.force_login(make_user("manager", manages=[mine]))

    response = client.post(
        reverse("admin:talks_talk_change", args=[own.pk]),
        talk_form(chavanne.event, title="Own talk", slug=own.slug, devroom=theirs.pk),
    )

    own.refresh_from_db()
    assert own.devroom == mine
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_devroom_manager_can_edit_own_talk(client, chavanne, two_devrooms):
    mine, _ = two_devrooms
    own = make_talk(room=chavanne, devroom=mine, title="Own talk", start=None, end=None)
    client.force_login(make_user("manager", manages=[mine]))

    response = client.post(
        reverse("admin:talks_talk_change", args=[own.pk]),
        talk_form(
            chavanne.event, title="Renamed", slug=own.slug, devroom=mine.pk, room=chavanne.pk
        ),
    )

    own.refresh_from_db()
    assert (response.status_code, own.title) == (302, "Renamed")


@pytest.mark.django_db
def test_superuser_sees_every_talk(admin_client, chavanne, two_devrooms):
    mine, theirs = two_devrooms
    make_talk(room=chavanne, devroom=mine)
    make_talk(event=chavanne.event, devroom=theirs)

    response = admin_client.get(reverse("admin:talks_talk_changelist"))

    assert response.context["cl"].result_count == 2


@pytest.mark.django_db
def test_non_staff_users_are_sent_to_the_admin_login(client):
    client.force_login(make_user("visitor", staff=False))

    response = client.get(reverse("admin:talks_talk_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_admin_day_filter_uses_the_event_zone(admin_client, chavanne):
    early = make_talk(room=chavanne, title="Early Sunday", start=brussels(2014, 2, 2, 0, 30))
    make_talk(room=chavanne, title="Late Saturday", start=brussels(2014, 2, 1, 23, 0))

    response = admin_client.get(reverse("admin:talks_talk_changelist") + "?day=2014-02-02")

    assert list(response.context["cl"].result_list) == [early]
