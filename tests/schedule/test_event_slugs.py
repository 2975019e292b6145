"""Event slugs are checked on every path, and no public URL answers 500 for any slug that
the admin or the importer accepts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from schedule.models import RESERVED_EVENT_SLUGS, Event
from tests.factories import make_devroom, make_room, make_speaker, make_talk, make_user


def public_patterns(resolver=None, prefix=""):
    """(route, name) of every public URL pattern (the admin left out)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            for sub_route, name in public_patterns(entry, route):
                yield sub_route, namespace + name if name else name
        elif isinstance(entry, URLPattern):
            yield route, entry.name


def test_every_top_level_url_segment_is_a_reserved_event_slug():
    segments = {
        route.split("/")[0]
        for route, _ in public_patterns()
        if route and not route.startswith("<") and "." not in route.split("/")[0]
    }

    assert segments <= RESERVED_EVENT_SLUGS
    assert "admin" in RESERVED_EVENT_SLUGS


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug", ["Bad Slug!", "UPPER", "under_score", "-leading", "trailing-", "a--b", "ünï", ""]
)
def test_malformed_event_slugs_are_refused_by_validation(slug):
    event = Event(name="X", slug=slug, start_date=dt.date(2025, 2, 1), end_date=dt.date(2025, 2, 1))

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert "slug" in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(RESERVED_EVENT_SLUGS))
def test_reserved_event_slugs_are_refused_with_a_clear_message(slug):
    event = Event(name="X", slug=slug, start_date=dt.date(2025, 2, 1), end_date=dt.date(2025, 2, 1))

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict["slug"] == [
        f"“{slug}” is reserved for the site's own pages; choose another slug."
    ]


@pytest.mark.django_db
def test_the_admin_refuses_a_bad_event_slug(client):
    client.force_login(make_user(superuser=True))

    response = client.post(
        reverse("admin:schedule_event_add"),
        {
            "name": "Bad",
            "slug": "UPPER-Case",
            "series": "",
            "start_date": "2025-02-01",
            "end_date": "2025-02-02",
            "timezone": "Europe/Brussels",
            "rooms-TOTAL_FORMS": "0",
            "rooms-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert Event.objects.count() == 0
    assert "“UPPER-Case” is not a usable event slug" in response.content.decode()


def sample_kwargs(route: str, event, objects) -> dict:
    values = {"event": event.slug, "day": "2025-02-01", "token": "A" * 43}
    kwargs = {}
    for part in route.split("<")[1:]:
        name = part.split(">")[0].split(":")[-1]
        kwargs[name] = values.get(name)
    if "slug" in kwargs:
        kwargs["slug"] = objects[route]
    return kwargs


@pytest.mark.parametrize("slug", ["a", "0", "9-9", "fosdem-2025", "x" * 100])
@pytest.mark.django_db
def test_no_public_url_answers_500_for_an_accepted_event_slug(client, slug):
    event = Event(
        name="Edge", slug=slug, start_date=dt.date(2025, 2, 1), end_date=dt.date(2025, 2, 2)
    )
    event.full_clean()
    event.save()
    room, devroom = make_room(event, slug="hall"), make_devroom(event, slug="track")
    speaker = make_speaker(slug="someone")
    talk = make_talk(
        event=event,
        room=room,
        devroom=devroom,
        speakers=[speaker],
        start=dt.datetime(2025, 2, 1, 10, tzinfo=dt.UTC),
    )
    checked = 0
    for route, name in public_patterns():
        if "<" in route and "event" not in route and "slug" not in route:
            continue
        objects = {route: talk.slug}
        if "devrooms" in route:
            objects[route] = devroom.slug
        elif "rooms" in route:
            objects[route] = room.slug
        elif "speakers" in route:
            objects[route] = speaker.slug
        url = reverse(name, kwargs=sample_kwargs(route, event, objects) or None)

        response = client.get(url)

        assert response.status_code < 500, url
        checked += 1
    assert checked >= 15
