"""Room status: who may set it, the companion apps' JSON, polling with ETags, the automatic
reset when the talk ends, the history, and that it never touches the schedule's caches."""

import json

import pytest

from schedule import roles
from schedule.live.models import RoomStatusChange
from schedule.models import Event
from tests.factories import brussels, make_talk, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(db):
    user = make_user("vic", staff=False)
    roles.sync_roles()
    roles.grant(user, "room-volunteer")
    return user


@pytest.fixture
def session(event, chavanne, ferrer):
    chavanne.building, ferrer.building = "K", "K"
    chavanne.save()
    ferrer.save()
    return [
        make_talk(
            event=event,
            room=chavanne,
            slug="keynote",
            title="Keynote",
            start=brussels(2014, 2, 1, 10),
            minutes=50,
        ),
        make_talk(
            event=event,
            room=chavanne,
            slug="next-one",
            title="Next one",
            start=brussels(2014, 2, 1, 11),
            minutes=30,
        ),
    ]


def mark(client, event, room, state, confirm="yes"):
    return client.post(
        f"/{event.slug}/rooms/volunteer/?building=K",
        {"room": room.slug, "state": state, "confirm": confirm},
    )


def states(client, event, **headers):
    response = client.get(f"/{event.slug}/rooms/status.json", headers=headers)
    return response, {row["roomname"]: row["state"] for row in response.json()} if (
        response.status_code == 200
    ) else None


def test_anonymous_users_cannot_change_states(client, event, session, chavanne):
    response = mark(client, event, chavanne, "1")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert RoomStatusChange.objects.count() == 0


def test_people_without_the_role_are_refused(client, event, session, chavanne):
    client.force_login(make_user("attendee", staff=False))
    assert mark(client, event, chavanne, "1").status_code == 403
    assert RoomStatusChange.objects.count() == 0


def test_a_volunteer_marks_rooms_but_cannot_reach_the_admin(
    client, event, session, chavanne, volunteer, fixed_clock
):
    fixed_clock(brussels(2014, 2, 1, 10, 20))
    client.force_login(volunteer)
    assert client.get("/admin/").status_code == 302  # to the admin login: not staff
    page = client.get(f"/{event.slug}/rooms/volunteer/")
    assert "Building K" in page.content.decode()
    page = client.get(f"/{event.slug}/rooms/volunteer/?building=K").content.decode()
    assert page.count('class="state-buttons"') == 2
    response = mark(client, event, chavanne, "1")
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "Chavanne is now marked full" in follow
    assert "Undo" in follow
    assert states(client, event)[1] == {"Chavanne": "1", "Ferrer": "0"}


def test_undo_puts_back_the_previous_state(
    client, event, session, chavanne, volunteer, fixed_clock
):
    fixed_clock(brussels(2014, 2, 1, 10, 20))
    client.force_login(volunteer)
    mark(client, event, chavanne, "1")
    mark(client, event, chavanne, "2")
    last = RoomStatusChange.objects.first()
    client.post(f"/{event.slug}/rooms/volunteer/?building=K", {"undo": last.pk})
    assert states(client, event)[1]["Chavanne"] == "1"
    history = list(RoomStatusChange.objects.order_by("pk").values_list("previous", "state", "by"))
    assert history == [("0", "1", volunteer.pk), ("1", "2", volunteer.pk), ("2", "1", volunteer.pk)]


def test_status_json_is_what_the_companion_apps_read(client, event, session, chavanne, volunteer):
    client.force_login(volunteer)
    mark(client, event, chavanne, "2")
    response = client.get(f"/{event.slug}/rooms/status.json")
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = json.loads(response.content)
    assert isinstance(rows, list)
    chavanne_row = next(r for r in rows if r["roomname"] == "Chavanne")
    # The apps read "roomname" and a string "state" they parse as an index: 0, 1, 2.
    assert chavanne_row["state"] == "2"
    assert int(chavanne_row["state"]) == 2
    assert chavanne_row["id"] == chavanne.pk
    assert chavanne_row["slug"] == "chavanne"
    assert int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 10


def test_an_unchanged_poll_is_a_304(client, event, session, chavanne, volunteer):
    first, _ = states(client, event)
    second = client.get(
        f"/{event.slug}/rooms/status.json", headers={"if-none-match": first["ETag"]}
    )
    assert second.status_code == 304
    client.force_login(volunteer)
    mark(client, event, chavanne, "1")
    third = client.get(f"/{event.slug}/rooms/status.json", headers={"if-none-match": first["ETag"]})
    assert third.status_code == 200


def test_full_resets_when_the_talk_ends(client, event, session, chavanne, volunteer, fixed_clock):
    fixed_clock(brussels(2014, 2, 1, 10, 20))  # the keynote runs 10:00–10:50
    client.force_login(volunteer)
    mark(client, event, chavanne, "1")
    fixed_clock(brussels(2014, 2, 1, 10, 49))
    assert states(client, event)[1]["Chavanne"] == "1"
    fixed_clock(brussels(2014, 2, 1, 10, 50))
    assert states(client, event)[1]["Chavanne"] == "0"
    automatic = RoomStatusChange.objects.first()
    assert (automatic.previous, automatic.state, automatic.by) == ("1", "0", None)
    assert automatic.at == brussels(2014, 2, 1, 10, 50)
    states(client, event)
    assert RoomStatusChange.objects.count() == 2  # the reset is written once


def test_evacuate_never_resets_by_itself(client, event, session, chavanne, volunteer, fixed_clock):
    fixed_clock(brussels(2014, 2, 1, 10, 20))
    client.force_login(volunteer)
    mark(client, event, chavanne, "2")
    fixed_clock(brussels(2014, 2, 1, 18, 0))
    assert states(client, event)[1]["Chavanne"] == "2"


def test_full_can_be_kept_until_changed(
    client, event, session, chavanne, volunteer, fixed_clock, settings
):
    settings.SCHEDULE_ROOM_FULL_RESET = "never"
    fixed_clock(brussels(2014, 2, 1, 10, 20))
    client.force_login(volunteer)
    mark(client, event, chavanne, "1")
    fixed_clock(brussels(2014, 2, 1, 18, 0))
    assert states(client, event)[1]["Chavanne"] == "1"


def test_room_states_never_move_the_schedule_marker(client, event, session, chavanne, volunteer):
    before = Event.objects.get(pk=event.pk).changed
    page = client.get(f"/{event.slug}/rooms/chavanne/")
    client.force_login(volunteer)
    mark(client, event, chavanne, "1")
    assert Event.objects.get(pk=event.pk).changed == before
    again = client.get(f"/{event.slug}/rooms/chavanne/", headers={"if-none-match": page["ETag"]})
    assert again.status_code == 304  # the cached room page stays valid


def test_pages_carry_the_state_hooks_and_a_fragment_for_no_javascript(
    client, event, session, chavanne, volunteer
):
    room_page = client.get(f"/{event.slug}/rooms/chavanne/").content.decode()
    assert 'data-room-status="chavanne"' in room_page
    assert f'data-status-url="/{event.slug}/rooms/status.json"' in room_page
    assert (
        f'<iframe class="room-state-frame" src="/{event.slug}/rooms/chavanne/status/"' in room_page
    )
    grid = client.get(f"/{event.slug}/schedule/2014-02-01/").content.decode()
    assert 'data-room-status="chavanne"' in grid
    talk = client.get(f"/{event.slug}/talks/keynote/").content.decode()
    assert 'data-room-status="chavanne" data-from=' in talk
    client.force_login(volunteer)
    mark(client, event, chavanne, "1")
    client.logout()
    fragment = client.get(f"/{event.slug}/rooms/chavanne/status/")
    assert "Chavanne: Full" in fragment.content.decode()
    assert "no-store" in fragment["Cache-Control"]
    assert fragment["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in fragment["Content-Security-Policy"]


def test_history_is_readable_in_the_admin(admin_client, event, session, chavanne, volunteer):
    from django.test import Client

    other = Client()
    other.force_login(volunteer)
    mark(other, event, chavanne, "1")
    page = admin_client.get("/admin/live/roomstatuschange/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chavanne" in text
    assert "vic" in text
    assert "Full" in text


def test_organisers_can_mark_rooms_too(client, event, session, chavanne):
    organiser = make_user("olga")
    roles.sync_roles()
    roles.grant(organiser, "organiser")
    client.force_login(organiser)
    assert mark(client, event, chavanne, "1").status_code == 302
    assert client.get("/admin/live/roomstatuschange/").status_code == 200


def test_rooms_without_a_building_are_reachable(client, event, session, chavanne, volunteer):
    from tests.factories import make_room

    make_room(event, name="Janson", slug="janson")  # no building
    client.force_login(volunteer)
    page = client.get(f"/{event.slug}/rooms/volunteer/").content.decode()
    assert "Building K" in page
    assert "Other rooms" in page
    other = client.get(f"/{event.slug}/rooms/volunteer/?building=-").content.decode()
    assert "Janson" in other
    assert "Chavanne" not in other


def test_a_status_poll_costs_the_same_for_any_event_size(
    client, event, django_assert_max_num_queries
):
    from tests.factories import make_many_talks

    make_many_talks(event, 300, rooms=30)
    with django_assert_max_num_queries(3):
        response = client.get(f"/{event.slug}/rooms/status.json")
    assert len(response.json()) == 30
    with django_assert_max_num_queries(0):  # thousands of pages poll: a shared copy
        again = client.get(f"/{event.slug}/rooms/status.json")
    assert again.content == response.content


def test_evacuate_asks_for_confirmation(client, event, session, chavanne, volunteer):
    client.force_login(volunteer)
    page = mark(client, event, chavanne, "2", confirm="")
    assert page.status_code == 200
    assert "Evacuate Chavanne?" in page.content.decode()
    assert RoomStatusChange.objects.count() == 0
    assert mark(client, event, chavanne, "2").status_code == 302
    assert states(client, event)[1]["Chavanne"] == "2"


def test_a_stale_undo_never_cancels_a_later_change(
    client, event, session, chavanne, volunteer, fixed_clock
):
    from django.test import Client

    fixed_clock(brussels(2014, 2, 1, 10, 20))
    client.force_login(volunteer)
    mark(client, event, chavanne, "1")
    mine = RoomStatusChange.objects.first()
    other = Client()
    other.force_login(make_user("val", staff=False, superuser=True))
    mark(other, event, chavanne, "2")
    response = client.post(
        f"/{event.slug}/rooms/volunteer/?building=K", {"undo": mine.pk}, follow=True
    )
    assert "Chavanne was changed since; not undone." in response.content.decode()
    assert states(client, event)[1]["Chavanne"] == "2"


def test_an_old_change_is_not_undone(client, event, session, chavanne, volunteer, fixed_clock):
    fixed_clock(brussels(2014, 2, 1, 10, 0))
    client.force_login(volunteer)
    mark(client, event, chavanne, "1")
    mine = RoomStatusChange.objects.first()
    fixed_clock(brussels(2014, 2, 1, 10, 11))
    response = client.post(
        f"/{event.slug}/rooms/volunteer/?building=K", {"undo": mine.pk}, follow=True
    )
    assert "over 10 minutes old" in response.content.decode()
    assert states(client, event)[1]["Chavanne"] == "1"


def test_control_characters_are_harmless(client, event, session, volunteer):
    client.force_login(volunteer)
    assert client.get(f"/{event.slug}/rooms/volunteer/?building=%00").status_code == 200
    response = client.post(f"/{event.slug}/rooms/volunteer/", {"room": "a\x00b", "state": "1"})
    assert response.status_code == 302
    assert RoomStatusChange.objects.count() == 0
