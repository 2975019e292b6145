"""Public pages: what attendees see, filter, and get when they type something odd."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from talks.models import Talk
from tests.factories import (
    brussels,
    make_event,
    make_many_talks,
    make_speaker,
    make_talk,
)
from tests.responses import forget_responses


def titles(response) -> list[str]:
    return [talk.title for talk in response.context["talks"]]


@pytest.fixture
def programme(event, chavanne, ferrer, iaas, lightning):
    """A small FOSDEM 2014: three Saturday talks, two Sunday, one cancelled, one TBA."""
    marc = make_speaker(name="Marc Cluet", slug="marc-cluet", bio="Works on **Heat**.")
    thierry = make_speaker(name="Thierry Carrez", slug="thierry-carrez")
    return {
        "autoscaling": make_talk(
            room=chavanne,
            devroom=iaas,
            title="Autoscaling best practices",
            slug="autoscaling",
            speakers=[marc],
            start=brussels(2014, 2, 1, 12, 20),
            minutes=40,
            abstract="Using *Heat* and Ceilometer.<script>alert(1)</script>",
        ),
        "contribute": make_talk(
            room=chavanne,
            devroom=iaas,
            title="Why contribute to OpenStack",
            slug="contribute",
            speakers=[thierry],
            start=brussels(2014, 2, 1, 15),
            minutes=40,
        ),
        "paas": make_talk(
            room=ferrer,
            devroom=lightning,
            title="Putting the PaaS in OpenStack",
            slug="paas",
            kind="lightning",
            start=brussels(2014, 2, 1, 15, 10),
            minutes=20,
            language="fr",
        ),
        "tunnels": make_talk(
            room=chavanne,
            devroom=iaas,
            title="Tunnels for virtualized networks",
            slug="tunnels",
            start=brussels(2014, 2, 2, 13, 40),
            minutes=40,
            status=Talk.Status.CANCELLED,
        ),
        "cloud": make_talk(
            room=ferrer,
            devroom=lightning,
            title="Your complete open source cloud",
            slug="cloud",
            kind="lightning",
            start=brussels(2014, 2, 2, 17, 20),
            minutes=20,
        ),
        "tba": make_talk(
            event=event,
            room=None,
            devroom=iaas,
            title="Python jobs",
            slug="tba",
            start=None,
            end=None,
        ),
    }


def schedule(client, event, query=""):
    return client.get(reverse("schedule:all", args=[event.slug]) + query)


# -- list and filters ----------------------------------------------------------------------


@pytest.mark.django_db
def test_schedule_lists_everything_in_time_order_with_tba_last(client, event, programme):
    response = schedule(client, event)

    assert titles(response) == [
        "Autoscaling best practices",
        "Why contribute to OpenStack",
        "Putting the PaaS in OpenStack",
        "Tunnels for virtualized networks",
        "Your complete open source cloud",
        "Python jobs",
    ]
    page = response.content.decode()
    assert "Saturday 1 February 2014" in page
    assert "Time to be announced" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?day=2014-02-02", ["tunnels", "cloud"]),
        ("?devroom=lightning-talks", ["paas", "cloud"]),
        (
            "?devroom=lightning-talks&devroom=virtualization-and-iaas",
            ["autoscaling", "contribute", "paas", "tunnels", "cloud", "tba"],
        ),
        ("?room=ferrer&day=2014-02-01", ["paas"]),
        ("?speaker=thierry-carrez", ["contribute"]),
        ("?kind=lightning", ["paas", "cloud"]),
        ("?kind=lightning&kind=talk&day=2014-02-01", ["autoscaling", "contribute", "paas"]),
        ("?language=fr", ["paas"]),
        ("?q=ceilometer", ["autoscaling"]),  # abstract
        ("?q=marc", ["autoscaling"]),  # speaker name
        ("?q=OPENSTACK", ["contribute", "paas"]),  # title, case-insensitive
        ("?status=cancelled", ["tunnels"]),
        ("?devroom=virtualization-and-iaas&day=2014-02-01&q=why", ["contribute"]),
        ("?q=", ["autoscaling", "contribute", "paas", "tunnels", "cloud", "tba"]),
    ],
)
@pytest.mark.django_db
def test_schedule_filters_combine(client, event, programme, query, expected):
    response = schedule(client, event, query)

    assert titles(response) == [programme[key].title for key in expected]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["schedule:index", "schedule:grid"])
def test_an_empty_filtered_day_names_the_days_where_the_filters_find_talks(
    client, event, programme, page
):
    if page == "schedule:index":
        url = reverse(page, args=[event.slug]) + "?day=2014-02-02&language=fr"
        saturday = "?day=2014-02-01&amp;language=fr"
    else:
        url = reverse(page, args=[event.slug, "2014-02-02"]) + "?language=fr"
        saturday = reverse(page, args=[event.slug, "2014-02-01"]) + "?language=fr"

    text = client.get(url).content.decode()

    assert f'These filters find talks on <a href="{saturday}">Saturday (1)</a>.' in text
    assert "Remove a filter above" in text


@pytest.mark.django_db
def test_active_filters_are_shown_with_a_link_clearing_each(client, event, programme):
    response = schedule(client, event, "?day=2014-02-01&devroom=lightning-talks")

    page = response.content.decode()
    assert "Devroom: Lightning talks" in page
    assert 'href="?devroom=lightning-talks" aria-label="Remove Day: Saturday 1 February"' in page
    assert 'href="?day=2014-02-01" aria-label="Remove Devroom: Lightning talks"' in page


@pytest.mark.parametrize(
    "query",
    [
        "?day=2014-13-45",
        "?day=yesterday",
        "?day=2015-02-01",
        "?day=" + "9" * 500,
        "?devroom=nope",
        "?devroom=%00",
        "?room=../../etc/passwd",
        "?kind=keynote-ish",
        "?speaker=nobody",
        "?language=xx",
        "?status=maybe",
        "?q=%F0%9F%A6%86' OR 1=1 --",
        "?q=" + "x" * 5000,
        "?day[]=1",
        "?devroom=&room=&kind=",
        "?page=-1&day=%ff",
        "?day=2014-02-01&day=2014-02-02",
        "?q=%00",
        "?speaker=%00&room=%00",
        "?talks=%00,,%ff",
    ],
)
@pytest.mark.django_db
def test_garbage_filter_values_never_cause_a_server_error(client, event, programme, query):
    list_page = schedule(client, event, query)
    grid_page = client.get(reverse("schedule:grid", args=[event.slug, "2014-02-01"]) + query)
    feed = client.get(reverse("exports:ics", args=[event.slug]) + query)
    starred = client.get(reverse("schedule:starred", args=[event.slug]) + query)
    starred_feed = client.get(reverse("exports:starred_ics", args=[event.slug]) + query)

    assert list_page.status_code == 200
    assert grid_page.status_code == 200
    assert feed.status_code in (200, 400)
    assert (starred.status_code, starred_feed.status_code) == (200, 200)


@pytest.mark.django_db
def test_invalid_filter_is_explained_and_ignored_while_valid_ones_apply(client, event, programme):
    response = schedule(client, event, "?day=2014-13-01&devroom=lightning-talks")

    assert titles(response) == ["Putting the PaaS in OpenStack", "Your complete open source cloud"]
    assert (
        "Day: Select a valid choice. 2014-13-01 is not one of the available choices. "
        "This filter was ignored."
    ) in response.content.decode()


# -- grid ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_grid_puts_rooms_in_columns_and_sizes_talks_by_duration(client, event, programme):
    response = client.get(reverse("schedule:grid", args=[event.slug, "2014-02-01"]))

    grid = response.context["grid"]
    assert [room.name for room in grid.rooms] == ["Chavanne", "Ferrer"]
    placed = {item.talk.slug: (item.column, item.row_start, item.row_end) for item in grid.items}
    # 12:00 is the first row (2); 5-minute rows: 12:20 -> row 6, 13:00 -> row 14
    assert placed == {"autoscaling": (2, 6, 14), "contribute": (2, 38, 46), "paas": (3, 40, 44)}
    assert grid.labels[0] == (2, "12:00")


@pytest.mark.django_db
def test_grid_applies_the_schedule_filters(client, event, programme):
    response = client.get(
        reverse("schedule:grid", args=[event.slug, "2014-02-01"]) + "?devroom=lightning-talks"
    )

    assert [item.talk.slug for item in response.context["grid"].items] == ["paas"]
    feed = "webcal://testserver/fosdem-2014/schedule.ics?devroom=lightning-talks&amp;day=2014-02-01"
    assert feed in response.content.decode()


@pytest.mark.parametrize("day", ["2014-02-03", "2014-02-31", "tomorrow"])
@pytest.mark.django_db
def test_grid_for_a_day_outside_the_event_is_a_helpful_404(client, event, day):
    response = client.get(reverse("schedule:grid", args=[event.slug, day]))

    assert response.status_code == 404
    assert f'href="{reverse("schedule:index", args=[event.slug])}"' in response.content.decode()


# -- detail pages --------------------------------------------------------------------------


@pytest.mark.django_db
def test_talk_page_shows_local_time_room_speakers_and_sanitised_abstract(client, event, programme):
    response = client.get(reverse("talks:detail", args=[event.slug, "autoscaling"]))

    page = response.content.decode()
    assert "Saturday 1 February 2014, 12:20–13:00" in page
    assert ">CET</abbr>" in page
    assert "Chavanne</a>" in page
    assert "550 seats" in page
    assert "Virtualization and IaaS" in page
    assert "<p>Works on <strong>Heat</strong>.</p>" in page
    assert "Using <em>Heat</em> and Ceilometer." in page
    assert "<script>alert(1)</script>" not in page
    assert reverse("exports:talk_ics", args=[event.slug, "autoscaling"]) in page
    assert 'data-star="autoscaling"' in page


@pytest.mark.django_db
def test_cancelled_talk_stays_visible_and_is_labelled(client, event, programme):
    listing = schedule(client, event).content.decode()
    detail = client.get(reverse("talks:detail", args=[event.slug, "tunnels"])).content.decode()

    assert re.search(r'class="talk cancelled".*?Tunnels for virtualized networks', listing, re.S)
    assert "Cancelled</span>" in listing
    assert "Cancelled</p>" in detail


@pytest.mark.django_db
def test_devroom_room_and_speaker_pages_list_their_talks(client, event, programme):
    devroom = client.get(reverse("schedule:devroom", args=[event.slug, "lightning-talks"]))
    room = client.get(reverse("schedule:room", args=[event.slug, "chavanne"]))
    speaker = client.get(reverse("talks:speaker", args=["marc-cluet"]))

    assert titles(devroom) == ["Putting the PaaS in OpenStack", "Your complete open source cloud"]
    assert titles(room) == [
        "Autoscaling best practices",
        "Why contribute to OpenStack",
        "Tunnels for virtualized networks",
    ]
    assert titles(speaker) == ["Autoscaling best practices"]


@pytest.mark.django_db
def test_speaker_page_lists_talks_from_every_edition(client, event, programme):
    older = make_event(
        name="FOSDEM 2013",
        slug="fosdem-2013",
        start_date=dt.date(2013, 2, 2),
        end_date=dt.date(2013, 2, 3),
    )
    make_talk(
        event=older,
        title="Get a Python job",
        speakers=[programme["autoscaling"].speakers.get()],
        start=brussels(2013, 2, 3, 10),
    )

    response = client.get(reverse("talks:speaker", args=["marc-cluet"]))

    assert titles(response) == ["Autoscaling best practices", "Get a Python job"]


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-event/",
        "/fosdem-2014/talks/nope/",
        "/fosdem-2014/devrooms/nope/",
        "/fosdem-2014/rooms/nope/",
        "/speakers/nobody/",
        "/no-such-event/schedule/",
        "/fosdem-2014/talks/nope.ics",
        "/no-such-event/schedule.xml",
    ],
)
@pytest.mark.django_db
def test_unknown_slugs_are_404_pages_with_a_way_back(client, event, url):
    response = client.get(url)

    assert response.status_code == 404
    if response["Content-Type"].startswith("text/html"):
        assert "Back to the" in response.content.decode()


@pytest.mark.django_db
def test_event_page_summarises_days_devrooms_and_rooms(client, event, programme):
    response = client.get(reverse("schedule:event", args=[event.slug]))

    page = response.content.decode()
    assert response.context["days"] == [(dt.date(2014, 2, 1), 3), (dt.date(2014, 2, 2), 2)]
    assert [d.talk_count for d in response.context["devrooms"]] == [2, 4]
    assert "550 seats" in page
    assert "webcal://testserver/fosdem-2014/schedule.ics" in page


@pytest.mark.django_db
def test_home_redirects_to_the_next_event_or_the_latest(client, fixed_clock):
    make_event(
        name="FOSDEM 2013",
        slug="fosdem-2013",
        start_date=dt.date(2013, 2, 2),
        end_date=dt.date(2013, 2, 3),
    )
    make_event(name="FOSDEM 2014", slug="fosdem-2014")

    fixed_clock(dt.datetime(2013, 2, 3, 12, tzinfo=dt.UTC))
    during = client.get("/")
    fixed_clock(dt.datetime(2013, 6, 1, tzinfo=dt.UTC))
    between = client.get("/")
    fixed_clock(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    after = client.get("/")

    assert [during["Location"], between["Location"], after["Location"]] == [
        "/fosdem-2013/",
        "/fosdem-2014/",
        "/fosdem-2014/",
    ]


# -- starred -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_starred_page_lists_the_given_talks_and_flags_overlaps(client, event, programme):
    response = client.get(
        reverse("schedule:starred", args=[event.slug]) + "?talks=paas,contribute,cloud,gone"
    )

    assert titles(response) == [
        "Why contribute to OpenStack",
        "Putting the PaaS in OpenStack",
        "Your complete open source cloud",
    ]
    assert response.context["unknown"] == ["gone"]
    page = response.content.decode()
    assert page.count("Overlaps with") == 2
    assert "/fosdem-2014/starred.ics?talks=contribute,paas,cloud" in page


# -- query counts --------------------------------------------------------------------------


PAGES = {
    "list": (lambda e, r, d, s: reverse("schedule:all", args=[e.slug]) + "?q=talk", 13),
    "day": (
        lambda e, r, d, s: reverse("schedule:index", args=[e.slug]) + "?day=2014-02-01&room=x",
        13,
    ),
    "tba": (lambda e, r, d, s: reverse("schedule:tba", args=[e.slug]), 8),
    "agenda": (
        lambda e, r, d, s: reverse("schedule:grid", args=[e.slug, "2014-02-01"]) + "?view=agenda",
        12,
    ),
    "search": (lambda e, r, d, s: reverse("search:results", args=[e.slug]) + "?q=talk ann", 7),
    "speakers": (lambda e, r, d, s: reverse("talks:event_speakers", args=[e.slug]), 3),
    "event-speaker": (
        lambda e, r, d, s: reverse("talks:event_speaker", args=[e.slug, s.slug]),
        7,
    ),
    "grid": (
        lambda e, r, d, s: reverse("schedule:grid", args=[e.slug, "2014-02-01"]) + "?devroom=busy",
        13,
    ),
    "devroom": (lambda e, r, d, s: reverse("schedule:devroom", args=[e.slug, d.slug]), 8),
    "room": (lambda e, r, d, s: reverse("schedule:room", args=[e.slug, r.slug]), 7),
    "speaker": (lambda e, r, d, s: reverse("talks:speaker", args=[s.slug]), 6),
    "talk": (lambda e, r, d, s: s.talks.first().get_absolute_url(), 6),
    "now": (lambda e, r, d, s: reverse("schedule:now", args=[e.slug]), 10),  # with its filters
    "now-building": (
        lambda e, r, d, s: reverse("schedule:now", args=[e.slug]) + f"?building=K&devroom={d.slug}",
        12,
    ),
    "event": (lambda e, r, d, s: reverse("schedule:event", args=[e.slug]), 9),
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.django_db
def test_page_queries_do_not_grow_with_the_number_of_talks(
    client, django_assert_max_num_queries, event, page, count
):
    rooms, devroom, speaker = make_many_talks(event, count)
    url_for, ceiling = PAGES[page]
    url = url_for(event, rooms[0], devroom, speaker)
    client.get(url)  # builds the talks' stored pieces (a one-off write, like an index)
    forget_responses()

    with django_assert_max_num_queries(ceiling):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.django_db
def test_repeated_list_is_served_from_cache_and_revalidates_with_304(
    client, event, programme, django_assert_max_num_queries
):
    url = reverse("schedule:all", args=[event.slug]) + "?devroom=lightning-talks"
    first = client.get(url)

    with django_assert_max_num_queries(3):
        cached = client.get(url)
    revalidated = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    programme["paas"].title = "Putting the PaaS in OpenStack, again"
    programme["paas"].save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert cached.content == first.content
    assert revalidated.status_code == 304
    assert "Putting the PaaS in OpenStack, again" in changed.content.decode()


@pytest.mark.django_db
def test_pages_and_feeds_are_gzipped_for_clients_that_accept_it_and_still_revalidate(
    client, event, programme
):
    import gzip

    for url in (
        reverse("schedule:all", args=[event.slug]),
        reverse("exports:ics", args=[event.slug]),
    ):
        plain = client.get(url)
        packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])

        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert again.status_code == 304


@pytest.mark.django_db
def test_grid_lists_timed_talks_without_a_room_below_the_grid(client, event, programme):
    talk = make_talk(
        event=event, title="Somewhere, sometime", slug="roomless", start=brussels(2014, 2, 1, 16)
    )
    talk.room = None  # the factory always gives a room
    talk.save()

    response = client.get(reverse("schedule:grid", args=[event.slug, "2014-02-01"]))

    assert [t.slug for t in response.context["grid"].unplaced] == ["roomless"]
    assert "Room to be announced" in response.content.decode()
