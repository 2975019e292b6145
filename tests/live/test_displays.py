"""The displays outside rooms and in the hall: now/next by the server's clock, no login,
and data the screen can keep running on when the network goes."""

import pytest

from tests.factories import brussels, make_room, make_talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(event, chavanne, ferrer):
    chavanne.building, ferrer.building = "J", "K"
    chavanne.save()
    ferrer.save()
    return [
        make_talk(
            event=event, room=chavanne, slug="a", title="Opening", start=brussels(2014, 2, 1, 9)
        ),
        make_talk(
            event=event, room=chavanne, slug="b", title="Clouds", start=brussels(2014, 2, 1, 10)
        ),
        make_talk(
            event=event, room=chavanne, slug="c", title="Heat", start=brussels(2014, 2, 1, 11)
        ),
        make_talk(event=event, room=ferrer, slug="d", title="Nova", start=brussels(2014, 2, 1, 10)),
        make_talk(
            event=event, room=ferrer, slug="e", title="Sunday", start=brussels(2014, 2, 2, 10)
        ),
    ]


def test_room_display_shows_now_and_next_by_the_server_clock(client, event, day, fixed_clock):
    fixed_clock(brussels(2014, 2, 1, 10, 12))
    page = client.get(f"/{event.slug}/rooms/chavanne/display/")
    assert page.status_code == 200
    text = page.content.decode()
    now_part, next_part = text.split('data-slot="now"')[1].split('data-slot="next"')
    assert "Clouds" in now_part
    assert "until 10:30" in now_part
    assert "Heat" in next_part
    assert "11:00–11:30" in next_part
    assert 'data-now="2014-02-01T09:12:00+00:00"' in text
    assert "no-cache" in page["Cache-Control"]


def test_display_json_carries_the_rest_of_the_day_and_the_time(client, event, day, fixed_clock):
    fixed_clock(brussels(2014, 2, 1, 10, 12))
    data = client.get(f"/{event.slug}/rooms/chavanne/display.json").json()
    assert data["now"] == "2014-02-01T09:12:00+00:00"
    assert data["timezone"] == "Europe/Brussels"
    assert [t["title"] for t in data["talks"]] == ["Clouds", "Heat"]  # Opening has ended
    assert data["rooms"][0]["state"] == "0"
    assert data["rooms"][0]["name"] == "Chavanne"


def test_event_board_lists_rooms_by_building_with_today_only(client, event, day, fixed_clock):
    make_room(event, name="Empty room", slug="empty", building="K")
    fixed_clock(brussels(2014, 2, 1, 10, 12))
    text = client.get(f"/{event.slug}/display/").content.decode()
    assert text.index("Building J") < text.index("Building K")
    assert "Empty room" not in text  # no talks today
    assert "Clouds" in text
    assert "Nova" in text
    assert "Sunday" not in text
    data = client.get(f"/{event.slug}/display.json").json()
    assert {r["name"] for r in data["rooms"]} == {"Chavanne", "Ferrer"}


def test_displays_before_and_after_the_day(client, event, day, fixed_clock):
    fixed_clock(brussels(2014, 2, 1, 7, 0))
    text = client.get(f"/{event.slug}/rooms/chavanne/display/").content.decode()
    now_part, next_part = text.split('data-slot="now"')[1].split('data-slot="next"')
    assert "Nothing right now" in now_part
    assert "Opening" in next_part
    fixed_clock(brussels(2014, 2, 1, 20, 0))
    text = client.get(f"/{event.slug}/rooms/chavanne/display/").content.decode()
    assert "Nothing more today" in text


def test_displays_need_no_login_and_follow_edits(client, event, day, fixed_clock):
    fixed_clock(brussels(2014, 2, 1, 10, 12))
    client.get(f"/{event.slug}/rooms/chavanne/display.json")
    clouds = day[1]
    clouds.title = "Clouds, renamed"
    clouds.save()
    data = client.get(f"/{event.slug}/rooms/chavanne/display.json").json()
    assert data["talks"][0]["title"] == "Clouds, renamed"


def test_display_cost_does_not_grow_with_talks(
    client, event, day, fixed_clock, django_assert_max_num_queries
):
    fixed_clock(brussels(2014, 2, 1, 10, 12))
    client.get(f"/{event.slug}/display.json")  # fills the day's cached talks
    with django_assert_max_num_queries(4):
        client.get(f"/{event.slug}/display.json")
