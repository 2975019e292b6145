"""The one response cache: O(1) hits, stored gzip, canonical keys."""

import gzip

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from schedule import caching
from schedule.caching import bodies
from schedule.project.settings_services import caches_from_url
from tests.factories import make_devroom, make_event, make_room, make_speaker, make_talk


@pytest.fixture
def programme(db):
    event = make_event(slug="fosdem-2014", name="FOSDEM 2014")
    room = make_room(event, name="Chavanne", slug="chavanne")
    devroom = make_devroom(event, name="Cloud", slug="cloud")
    speaker = make_speaker(name="Ann Example", slug="ann-example")
    talk = make_talk(event=event, room=room, devroom=devroom, speakers=[speaker], title="Heat")
    return event, room, devroom, speaker, talk


def urls(event, room, devroom, speaker, talk) -> dict[str, str]:
    return {
        "event home": reverse("schedule:event", args=[event.slug]),
        "list": reverse("schedule:all", args=[event.slug]),
        "grid": reverse("schedule:grid", args=[event.slug, "2014-02-01"]),
        "devroom": reverse("schedule:devroom", args=[event.slug, devroom.slug]),
        "room": reverse("schedule:room", args=[event.slug, room.slug]),
        "talk": talk.get_absolute_url(),
        "speaker": reverse("talks:speaker", args=[speaker.slug]),
        "speakers": reverse("talks:speakers"),
        "events": reverse("schedule:events"),
        "schedule.ics": reverse("exports:ics", args=[event.slug]),
        "schedule.xml": reverse("exports:xml", args=[event.slug]),
        "schedule.json": reverse("exports:json", args=[event.slug]),
        "talk.ics": reverse("exports:talk_ics", args=[event.slug, talk.slug]),
        "speaker.ics": reverse("exports:speaker_ics", args=[speaker.slug]),
    }


@pytest.mark.django_db
def test_a_cached_hit_runs_no_query_with_the_marker_cached_and_one_without(
    client, programme, django_assert_num_queries
):
    for name, url in urls(*programme).items():
        assert client.get(url).status_code == 200, name

        with django_assert_num_queries(0):
            plain = client.get(url)
        with django_assert_num_queries(0):
            packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        cache.delete_many([caching.SITE_KEY, caching.event_key(programme[0].slug)])
        with django_assert_num_queries(1):
            revalidated = client.get(url, HTTP_IF_NONE_MATCH=plain["ETag"])

        assert plain.status_code == 200, name
        assert gzip.decompress(packed.content) == plain.content, name
        assert revalidated.status_code == 304, name


@pytest.mark.django_db
def test_a_stored_gzip_body_is_served_as_is_without_compressing_again(
    client, programme, monkeypatch
):
    url = reverse("exports:ics", args=[programme[0].slug])
    calls = []
    real_compress = bodies.compress
    monkeypatch.setattr(bodies, "compress", lambda body: calls.append(1) or real_compress(body))

    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    second = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert len(calls) == 1
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert first.content == second.content
    assert first["Vary"] == "Accept-Encoding"
    assert "Content-Encoding" not in client.get(url, HTTP_ACCEPT_ENCODING="gzip;q=0")


@pytest.mark.parametrize(
    ("rename", "page", "shown"),
    [
        ("room", "grid", "Ferrer"),
        ("devroom", "list", "Virtualization"),
        ("speaker", "talk", "Anne Exemple"),
        ("event", "schedule.ics", "FOSDEM Fourteen"),
        ("speaker", "speaker.ics", "Anne Exemple"),
    ],
)
@pytest.mark.django_db
def test_a_rename_is_visible_on_the_next_request(client, programme, rename, page, shown):
    event, room, devroom, speaker, talk = programme
    url = urls(*programme)[page]
    assert shown not in client.get(url).content.decode()
    renamed = {"room": room, "devroom": devroom, "speaker": speaker, "event": event}[rename]

    renamed.name = shown
    renamed.save()

    assert shown in client.get(url).content.decode()


@pytest.mark.django_db
def test_an_edited_talk_is_visible_on_the_next_request(client, programme):
    event, room, devroom, speaker, talk = programme
    url = reverse("exports:json", args=[event.slug])
    client.get(url)

    talk.title = "Heat, revised"
    talk.save()

    assert "Heat, revised" in client.get(url).content.decode()


def cache_keys() -> set[str]:
    """Keys in the test settings' local-memory caches."""
    return set(cache._cache) | set(caching.local_copies()._cache)


@pytest.mark.django_db
def test_unknown_parameters_create_no_cache_entries_and_do_not_reach_the_page(client, programme):
    url = reverse("schedule:all", args=[programme[0].slug])
    client.get(url)
    before = cache_keys()

    responses = [client.get(f"{url}?x={n}&utm_source=spam{n}") for n in range(100)]

    assert cache_keys() == before
    assert {r["ETag"] for r in responses} == {responses[0]["ETag"]}
    assert "spam" not in responses[-1].content.decode()


@pytest.mark.django_db
def test_filter_values_are_normalised_into_one_entry(client, programme):
    url = reverse("schedule:all", args=[programme[0].slug])

    a = client.get(f"{url}?devroom=cloud&room=chavanne")
    b = client.get(f"{url}?room=chavanne&devroom=cloud&devroom=cloud&devroom=")

    assert a["ETag"] == b["ETag"]


@pytest.mark.django_db
def test_free_text_searches_are_never_stored(client, programme):
    url = reverse("schedule:all", args=[programme[0].slug])
    client.get(url)
    before = cache_keys()

    for n in range(5):
        client.get(f"{url}?q=heat{n}")

    assert {k for k in cache_keys() - before if "body" in k or "latest" in k} == set()


@pytest.mark.django_db
def test_pages_tell_browsers_to_revalidate_and_shared_caches_to_keep_briefly(client, programme):
    response = client.get(reverse("schedule:all", args=[programme[0].slug]))

    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", "s-maxage=5", "stale-while-revalidate=5"}


@pytest.mark.django_db
def test_the_host_header_is_part_of_the_key(client, programme, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    url = reverse("exports:xml", args=[programme[0].slug])

    client.get(url)
    other = client.get(url, HTTP_HOST="other.example")

    assert "http://other.example/" in other.content.decode()


@pytest.mark.django_db
def test_an_unreachable_cache_does_not_take_pages_down(client, programme):
    dead = caches_from_url("redis://127.0.0.1:1/0", 0.5)
    with override_settings(CACHES=dead):
        responses = {name: client.get(url) for name, url in urls(*programme).items()}
        health = client.get(reverse("healthz"))

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 200)
    assert health.status_code == 503
    assert health.json() | {"disk": "ok"} == {  # the disk is checked for SQLite only
        "database": "ok",
        "disk": "ok",
        "cache": "failing",
        "status": "failing",
    }


@pytest.mark.django_db
def test_healthz_is_ok_and_never_cached(client):
    response = client.get(reverse("healthz"))

    expected = {"database": "ok", "disk": "ok", "cache": "ok", "status": "ok"}
    assert response.json() | {"disk": "ok"} == expected  # the disk is checked for SQLite only
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_revalidations_of_unchanged_urls_are_answered_without_a_query(
    client, programme, django_assert_num_queries
):
    event, room, devroom, speaker, talk = programme
    url = reverse("exports:ics", args=[event.slug])
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert (again["ETag"], again["Access-Control-Allow-Origin"]) == (first["ETag"], "*")
    talk.title = "Moved on"
    talk.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.django_db
def test_urls_with_unknown_parameters_are_not_stored(client, programme):
    url = reverse("schedule:all", args=[programme[0].slug])

    client.get(f"{url}?junk=1")

    assert not any(key.endswith("junk=1") for key in cache_keys())


@pytest.mark.django_db
def test_warming_builds_the_main_bodies_so_the_next_visit_runs_no_query(
    client, programme, settings, django_assert_num_queries
):
    from io import StringIO

    from django.core.management import call_command

    settings.SCHEDULE_BASE_URL = "http://testserver"
    out = StringIO()

    call_command("warm_cache", stdout=out)

    # home, speakers, ics, xml, json, and for each of the 2 days its list and its grid
    assert out.getvalue() == "9 bodies cached.\n"
    with django_assert_num_queries(0):
        response = client.get(reverse("exports:json", args=[programme[0].slug]))
    assert response.status_code == 200
    with django_assert_num_queries(0):
        day = client.get(reverse("schedule:index", args=[programme[0].slug]), {"day": "2014-02-01"})
    assert day.status_code == 200


@pytest.mark.parametrize("page", ["grid", "talk", "speaker", "schedule.ics", "schedule.json"])
@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_a_repeat_from_the_cache_is_the_response_the_view_built(
    client, programme, page, encoding, django_assert_num_queries
):
    url = urls(*programme)[page]
    first = client.get(url, HTTP_ACCEPT_ENCODING=encoding)  # the view builds and stores it

    with django_assert_num_queries(0):
        again = client.get(url, HTTP_ACCEPT_ENCODING=encoding)

    assert again.status_code == 200
    assert again.content == first.content
    assert dict(again.items()) == dict(first.items())
    assert "Content-Security-Policy" in again or page.endswith((".ics", ".json"))


def test_a_page_changed_since_is_built_again(client, programme):
    event, room, devroom, speaker, talk = programme
    url = urls(*programme)["grid"]
    client.get(url)
    talk.title = "Heat, revised"
    talk.save()

    again = client.get(url)

    assert "Heat, revised" in again.content.decode()


def test_a_kept_validator_outdated_by_an_edit_sends_the_request_to_the_view(client, programme):
    event, room, devroom, speaker, talk = programme
    url = urls(*programme)["schedule.ics"]
    old = client.get(url)["ETag"]
    talk.title = "Heat revised"
    talk.save()

    again = client.get(url, HTTP_IF_NONE_MATCH=old)

    assert again.status_code == 200
    assert "SUMMARY:Heat revised" in again.content.decode()
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


@pytest.fixture
def markers_as_if_shared(monkeypatch):
    """The marker code behaving as with Redis (a marker kept until an edit forgets it)."""
    from schedule.caching import marker_reads as markers

    monkeypatch.setattr(markers, "marker_seconds", lambda: 300)
    return markers


def test_an_edit_in_this_process_is_seen_at_once_with_a_shared_cache(
    client, programme, markers_as_if_shared
):
    event, room, devroom, speaker, talk = programme
    url = urls(*programme)["talk"]
    client.get(url)
    talk.title = "Heat, edited"
    talk.save()

    again = client.get(url)

    assert "Heat, edited" in again.content.decode()


@pytest.mark.django_db
def test_healthz_fails_when_the_sqlite_disk_is_nearly_full(client, settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the disk check is SQLite's: PostgreSQL watches its own")
    settings.SCHEDULE_MIN_FREE_MB = 10**12  # more than any disk has free

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["disk"].startswith("failing:")


def cache_size() -> int:
    from django.core.cache import cache

    stored = [k for k in cache._cache if "body:" in k or "latest:" in k]
    return len(stored)


@pytest.mark.django_db
def test_a_thousand_made_up_filter_values_leave_the_cache_as_it_was(client):
    """Random values for every filter of the list, the grid and the calendar: ignored on
    pages (said so), a 400 from exports, and not one of them stored."""
    import random
    import secrets

    from talks.filters import FILTER_NAMES
    from tests.factories import make_event, make_talk

    event = make_event(slug="filled-2014")
    make_talk(event=event, title="Kept")
    urls = [
        reverse("schedule:all", args=[event.slug]),
        reverse("schedule:grid", args=[event.slug, "2014-02-01"]),
        f"/{event.slug}/schedule.ics",
    ]
    for url in urls:
        client.get(url)
    before = cache_size()

    rng = random.Random(7)
    for _ in range(1000):
        url, name = rng.choice(urls), rng.choice([*FILTER_NAMES, "view"])
        response = client.get(url, {name: secrets.token_hex(rng.randint(1, 12))})
        assert response.status_code in (200, 400), (url, name)

    assert cache_size() == before


@pytest.mark.django_db
def test_valid_filter_combinations_store_a_bounded_number_of_variants(client, settings):
    """Every subset of rooms is a valid filter; only the first few per page are stored."""
    from tests.factories import make_event, make_room, make_talk

    settings.SCHEDULE_STORED_VARIANTS_PER_PAGE = 5
    event = make_event(slug="combined-2014")
    rooms = [make_room(event, name=f"Room {n}", slug=f"room-{n}") for n in range(8)]
    for room in rooms:
        make_talk(event=event, room=room, title=f"In {room.name}")
    url = reverse("schedule:all", args=[event.slug])
    client.get(url)
    before = cache_size()

    for n in range(1, 30):
        chosen = [r.slug for i, r in enumerate(rooms) if n >> i & 1]
        response = client.get(url, {"room": chosen})
        assert response.status_code == 200
        assert f"In {rooms[chosen and int(chosen[0].split('-')[1]) or 0].name}" in (
            response.content.decode()
        )

    # Each stored variant is a body plus its "latest" name in the shared cache and the
    # local copy; the 24 variants past the quota were served, not stored.
    assert cache_size() - before <= 5 * 3


@pytest.mark.django_db
def test_filter_values_a_page_ignores_never_fill_the_cache(client):
    import secrets

    from tests.factories import make_event, make_talk

    event = make_event(slug="filled-2014")
    make_talk(event=event, title="Kept")
    day = reverse("schedule:all", args=[event.slug])
    client.get(day)
    stored = len(cache._cache)

    for _ in range(200):
        response = client.get(day, {"building": secrets.token_hex(8)})
        assert response.status_code == 200
        assert "This filter was ignored" in response.content.decode()

    assert len(cache._cache) == stored


def test_a_views_own_headers_are_kept_on_stored_answers(db):
    """Like Django's cache middleware, the stored answer carries every end-to-end header the
    view set (not only its type), and a response that sets a cookie is never shared."""
    builds = []

    def render(request):
        builds.append(1)
        response = HttpResponse("<p>page</p>")
        response["X-Robots-Tag"] = "noindex"
        response["Link"] = '</static/site.css>; rel="preload"; as="style"'
        response["Vary"] = "Cookie"
        return response

    answers = [
        caching.serve(RequestFactory().get("/x/"), caching.site_marker(), render, name="x")
        for _ in range(2)
    ]

    assert len(builds) == 1  # the second answer is the stored one
    for answer in answers:
        assert answer["X-Robots-Tag"] == "noindex"
        assert answer["Link"].startswith("</static/site.css>")
        assert set(answer["Vary"].replace(" ", "").split(",")) == {"Cookie", "Accept-Encoding"}


def test_a_response_setting_a_cookie_is_never_stored(db):
    builds = []

    def render(request):
        builds.append(1)
        response = HttpResponse("<p>yours</p>")
        response.set_cookie("seen", "1")
        return response

    for _ in range(2):
        answer = caching.serve(RequestFactory().get("/y/"), caching.site_marker(), render, name="y")
        assert answer.cookies["seen"].value == "1"
    assert len(builds) == 2
