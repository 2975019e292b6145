"""Personal agendas: a token, per-talk operations, a live calendar feed, rotation and
deletion, no token in logs or Referer headers, and a rate limit per token."""

import datetime as dt
import logging
import re

import icalendar
import pytest
from django.core.management import call_command
from django.test import override_settings

from schedule.live.models import Agenda
from schedule.live.tokens import MaskAgendaTokens, token_hash
from schedule.models import Event
from tests.factories import brussels, make_talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def talks(event, chavanne, ferrer):
    return [
        make_talk(
            event=event,
            room=chavanne,
            slug="keynote",
            title="Keynote",
            start=brussels(2014, 2, 1, 10),
        ),
        make_talk(
            event=event,
            room=ferrer,
            slug="heat",
            title="Orchestrating Heat",
            start=brussels(2014, 2, 1, 10, 15),
        ),
        make_talk(
            event=event,
            room=chavanne,
            slug="swift",
            title="Swift storage",
            start=brussels(2014, 2, 1, 11),
        ),
    ]


def creation_token(client, event, **headers) -> str:
    """What the starred page hands this browser for creating an agenda."""
    page = client.get(f"/{event.slug}/starred/", headers=headers).content.decode()
    return re.search(r'data-creation="([^"]*)"', page)[1]


def create(client, event, slugs):
    response = client.post(
        f"/{event.slug}/agenda/",
        {"talks": slugs, "creation": creation_token(client, event)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def token_of(data) -> str:
    return data["urls"]["page"].rstrip("/").rsplit("/", 1)[1]


def ops(client, data, add=(), remove=()):
    return client.post(
        data["urls"]["talks"],
        {"add": list(add), "remove": list(remove)},
        content_type="application/json",
    )


def calendar(client, data, **headers):
    return client.get(data["urls"]["ics"], headers=headers)


def summaries(response) -> dict:
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_a_token_is_long_random_and_only_its_hash_is_stored(client, event, talks):
    first, second = create(client, event, ["keynote"]), create(client, event, ["keynote"])
    token = token_of(first)
    assert len(token) == 43
    assert token != token_of(second)
    agenda = Agenda.objects.get(token_hash=token_hash(token))
    assert token not in str(Agenda.objects.filter(pk=agenda.pk).values().first())
    page = client.get(first["urls"]["page"])
    assert page.status_code == 200
    assert "Keynote" in page.content.decode()


def test_per_talk_operations_from_two_devices_do_not_undo_each_other(client, event, talks):
    data = create(client, event, ["keynote"])
    # The laptop adds "heat"; the phone, which never saw "heat", adds "swift".
    assert ops(client, data, add=["heat"]).json()["talks"] == ["keynote", "heat"]
    assert ops(client, data, add=["swift"]).json()["talks"] == ["keynote", "heat", "swift"]
    # The phone unstars the keynote: only that one goes.
    after = ops(client, data, remove=["keynote"]).json()
    assert after["talks"] == ["heat", "swift"]
    assert client.get(data["urls"]["json"]).json()["talks"] == ["heat", "swift"]


def test_guids_are_accepted_and_unknown_talks_are_skipped_and_named(client, event, talks):
    data = create(client, event, [str(talks[0].guid), "gone-since", "\x00"])
    assert data["skipped"] == ["gone-since", "\x00"]  # a star on a talk that left: not fatal
    assert client.get(data["urls"]["json"]).json()["talks"] == ["keynote"]
    response = ops(client, data, add=["no-such-talk", "heat"])
    assert response.status_code == 200
    assert response.json()["skipped"] == ["no-such-talk"]
    assert response.json()["talks"] == ["keynote", "heat"]
    not_a_list = client.post(
        data["urls"]["talks"], {"add": {"a": 1}}, content_type="application/json"
    )
    assert not_a_list.status_code == 400
    assert "list" in not_a_list.content.decode()


def test_the_live_feed_follows_additions_and_moves(client, event, talks):
    data = create(client, event, ["keynote"])
    first = calendar(client, data)
    assert first.status_code == 200
    assert list(summaries(first)) == ["Keynote"]
    etag = first["ETag"]
    assert calendar(client, data, if_none_match=etag).status_code == 304

    ops(client, data, add=["heat"])
    second = calendar(client, data, if_none_match=etag)
    assert second.status_code == 200
    assert set(summaries(second)) == {"Keynote", "Orchestrating Heat"}

    heat = talks[1]
    heat.start, heat.end = brussels(2014, 2, 1, 16), brussels(2014, 2, 1, 16, 30)
    heat.save()
    third = calendar(client, data, if_none_match=second["ETag"])
    assert third.status_code == 200
    moved = summaries(third)["Orchestrating Heat"]
    assert moved.decoded("DTSTART") == brussels(2014, 2, 1, 16)
    assert int(moved["SEQUENCE"]) > int(summaries(second)["Orchestrating Heat"]["SEQUENCE"])
    assert "private" in third["Cache-Control"]
    assert "public" not in third["Cache-Control"]


def test_the_page_says_what_moved_or_was_cancelled_and_what_clashes(client, event, talks):
    data = create(client, event, ["keynote", "heat", "swift"])
    page = client.get(data["urls"]["page"]).content.decode()
    assert (
        page.count('<p class="warning">Overlaps with') == 2
    )  # keynote 10:00–10:30 and heat 10:15–10:45
    assert "Changed since you chose" not in page

    swift = talks[2]
    swift.start, swift.end = brussels(2014, 2, 1, 15), brussels(2014, 2, 1, 15, 30)
    swift.save()
    talks[1].set_status("cancelled")
    talks[1].save()
    page = client.get(data["urls"]["page"]).content.decode()
    assert "Changed since you chose them" in page
    assert "Swift storage</a> moved: was Sat 11:00 in Chavanne, now Sat 15:00 in Chavanne" in page
    assert "Orchestrating Heat</a> has been cancelled" in page
    assert '<p class="warning">Overlaps with' not in page  # a cancelled talk clashes with nothing

    client.post(f"{data['urls']['page']}seen/")
    assert "Changed since you chose" not in client.get(data["urls"]["page"]).content.decode()


def test_rotating_the_token_retires_the_old_links(client, event, talks):
    data = create(client, event, ["keynote"])
    response = client.post(f"{data['urls']['page']}rotate/")
    assert response.status_code == 302
    # The dead token rides in the fragment (never sent to a server) for the device that had it.
    new_page, fragment = response["Location"].split("#")
    assert fragment == f"rotated={token_of(data)}"
    assert client.get(data["urls"]["page"]).status_code == 404
    assert client.get(data["urls"]["ics"]).status_code == 404
    assert "Keynote" in client.get(new_page).content.decode()


def test_deleting_the_agenda_asks_first_then_removes_it(client, event, talks):
    data = create(client, event, ["keynote"])
    confirm = client.post(f"{data['urls']['page']}delete/")
    assert "Delete this agenda?" in confirm.content.decode()
    assert Agenda.objects.count() == 1
    response = client.post(f"{data['urls']['page']}delete/", {"confirm": "yes"})
    assert response.status_code == 200
    assert "Agenda deleted" in response.content.decode()
    assert Agenda.objects.count() == 0
    assert client.get(data["urls"]["page"]).status_code == 404


def test_no_agenda_response_lets_the_token_out_in_a_referer(client, event, talks):
    data = create(client, event, ["keynote"])
    for url in (data["urls"]["page"], data["urls"]["ics"], data["urls"]["json"]):
        response = client.get(url)
        assert response["Referrer-Policy"] == "no-referrer", url
    page = client.get(data["urls"]["page"]).content.decode()
    assert '<meta name="referrer" content="no-referrer">' in page
    rotated = client.post(f"{data['urls']['page']}rotate/")
    assert rotated["Referrer-Policy"] == "no-referrer"


def test_tokens_are_masked_in_the_logs_we_write(client, event, talks, caplog, settings):
    data = create(client, event, ["keynote"])
    token = token_of(data)
    # Every handler we configure runs the filter; the runserver request log goes there too.
    handlers = settings.LOGGING["handlers"]
    assert all("mask_tokens" in handler["filters"] for handler in handlers.values())
    for name in ("django", "django.server"):
        assert not settings.LOGGING["loggers"][name]["propagate"]
        assert set(settings.LOGGING["loggers"][name]["handlers"]) <= set(handlers)
    ours = [h for h in logging.getLogger("django").handlers if "_pytest" not in type(h).__module__]
    assert ours
    assert all(any(isinstance(f, MaskAgendaTokens) for f in h.filters) for h in ours)
    records = []
    handler_filter = MaskAgendaTokens()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.post(f"{data['urls']['page']}delete/", {"confirm": "yes"})
        client.get(data["urls"]["page"])  # 404: Django logs "Not Found: <path>"
    assert caplog.records, "Django logs the 404"
    for record in caplog.records:
        handler_filter.filter(record)
        records.append(record.getMessage())
    assert any("/agenda/<token>/" in line for line in records)
    assert not any(token in line for line in records)


@override_settings(SCHEDULE_AGENDA_READS_PER_MINUTE=3)
def test_reads_are_rate_limited_per_token_not_per_address(client, event, talks):
    mine, theirs = create(client, event, ["keynote"]), create(client, event, ["heat"])
    codes = [client.get(mine["urls"]["json"]).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get(mine["urls"]["json"])
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    # Someone else on the same Wi-Fi address is not affected.
    assert client.get(theirs["urls"]["json"]).status_code == 200


@override_settings(SCHEDULE_AGENDA_CREATIONS_PER_HOUR=2, SCHEDULE_TRUSTED_PROXIES=1)
def test_creations_have_a_backstop_per_client_address_behind_a_trusted_proxy(client, event, talks):
    def make(address):
        forwarded = {"x-forwarded-for": address}
        return client.post(
            f"/{event.slug}/agenda/",
            {"talks": ["keynote"], "creation": creation_token(client, event, **forwarded)},
            content_type="application/json",
            headers=forwarded,
        ).status_code

    assert [make("203.0.113.5") for _ in range(3)] == [201, 201, 429]
    assert make("198.51.100.7") == 201


@override_settings(SCHEDULE_AGENDA_CREATIONS_PER_BROWSER=3)
def test_one_client_scripting_creations_leaves_the_next_browser_on_its_address_able(event, talks):
    """The audit's script used a venue's whole budget in 31 s: now it spends its own."""
    from django.test import Client

    script, neighbour = Client(), Client()  # one Wi-Fi address (the test client's)
    token = creation_token(script, event)
    made = [
        script.post(
            f"/{event.slug}/agenda/",
            {"talks": ["keynote"], "creation": token},
            content_type="application/json",
        ).status_code
        for _ in range(50)
    ]
    assert made[:3] == [201, 201, 201]
    assert set(made[3:]) == {429}

    mine = neighbour.post(
        f"/{event.slug}/agenda/",
        {"talks": ["heat"], "creation": creation_token(neighbour, event)},
        content_type="application/json",
    )
    assert mine.status_code == 201


def test_creation_needs_this_sites_page_and_its_token(client, event, talks):
    url = f"/{event.slug}/agenda/"
    body = {"talks": ["keynote"], "creation": creation_token(client, event)}
    no_token = client.post(url, {"talks": ["keynote"]}, content_type="application/json")
    assert no_token.status_code == 403
    assert "reload it" in no_token.content.decode()
    forged = client.post(
        url, {**body, "creation": body["creation"][:-2] + "xx"}, content_type="application/json"
    )
    assert forged.status_code == 403
    cross_site = client.post(
        url, body, content_type="application/json", headers={"origin": "https://evil.example"}
    )
    assert cross_site.status_code == 403
    assert "this site's own pages" in cross_site.content.decode()
    fetched = client.post(
        url, body, content_type="application/json", headers={"sec-fetch-site": "cross-site"}
    )
    assert fetched.status_code == 403
    assert (
        client.post(
            url, body, content_type="application/json", headers={"origin": "http://testserver"}
        ).status_code
        == 201
    )
    assert Agenda.objects.count() == 1


def test_agendas_are_never_stored_in_the_shared_cache(client, event, talks, settings):
    from django.core.cache import cache

    data = create(client, event, ["keynote"])
    cache.clear()
    for url in (data["urls"]["page"], data["urls"]["ics"], data["urls"]["json"]):
        client.get(url)
    from schedule import caching

    keys = [*cache._cache.keys(), *caching.local_copies()._cache]
    assert not [k for k in keys if "body:" in k or "validator:" in k or "latest:" in k]


def test_unused_agendas_are_pruned_after_a_year(client, event, talks):
    old, recent = create(client, event, ["keynote"]), create(client, event, ["heat"])
    Agenda.objects.filter(token_hash=token_hash(token_of(old))).update(
        last_opened=dt.date.today() - dt.timedelta(days=400)
    )
    call_command("prune_agendas", verbosity=0)
    assert client.get(old["urls"]["page"]).status_code == 404
    assert client.get(recent["urls"]["page"]).status_code == 200


def test_agenda_changes_never_move_the_schedule_marker(client, event, talks):
    before = Event.objects.get(pk=event.pk).changed
    data = create(client, event, ["keynote"])
    ops(client, data, add=["heat"])
    client.post(f"{data['urls']['page']}rotate/")
    assert Event.objects.get(pk=event.pk).changed == before


def test_forms_work_without_javascript(client, event, talks):
    response = client.post(
        f"/{event.slug}/agenda/",
        {"talks": ["keynote"], "creation": creation_token(client, event)},
    )
    assert response.status_code == 302
    page_url = response["Location"]
    client.post(f"{page_url}talks/", {"add": ["swift"]})
    client.post(f"{page_url}talks/", {"remove": ["keynote"]})
    page = client.get(page_url).content.decode()
    assert "Swift storage" in page
    assert "Keynote" not in page
    assert 'data-qr-url="http://testserver' in page


def test_gunicorn_access_log_masks_tokens():
    pytest.importorskip("gunicorn")
    from types import SimpleNamespace

    from gunicorn.config import Config

    from schedule.live.gunicorn_logger import MaskingLogger

    path = "/fosdem-2025/agenda/" + "A" * 43 + "/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://x" + path,
    }
    atoms = MaskingLogger(Config()).atoms(
        SimpleNamespace(status="200 OK", headers=[], sent=10),
        SimpleNamespace(headers=[]),
        environ,
        dt.timedelta(seconds=0),
    )
    assert "A" * 43 not in str(atoms)
    assert atoms["r"] == "GET /fosdem-2025/agenda/<token>/ HTTP/1.1"


def test_agenda_pages_cost_the_same_for_a_long_agenda(client, event, django_assert_max_num_queries):
    from talks.models import Talk
    from tests.factories import make_many_talks

    make_many_talks(event, 200, rooms=20)
    data = create(client, event, list(Talk.objects.values_list("slug", flat=True)[:150]))
    # The calendar's first request renders and stores each talk's VEVENT (schedule.pieces,
    # inserted in batches); later ones read them back.
    with django_assert_max_num_queries(16):
        assert client.get(data["urls"]["ics"]).status_code == 200
    for url in (data["urls"]["page"], data["urls"]["ics"], data["urls"]["json"]):
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200


def test_malformed_bodies_are_a_clear_400(client, event, talks):
    data = create(client, event, ["keynote"])
    bad = client.post(data["urls"]["talks"], "{not json", content_type="application/json")
    assert bad.status_code == 400
    assert "JSON" in bad.content.decode()
    listed = client.post(data["urls"]["talks"], "[1]", content_type="application/json")
    assert listed.status_code == 400


def test_deeply_nested_json_is_a_400_not_a_500(client, event, talks):
    nested = "[" * 100_000 + "]" * 100_000
    data = create(client, event, ["keynote"])

    for url in (f"/{event.slug}/agenda/", data["urls"]["talks"]):
        response = client.post(
            url, nested, content_type="application/json", headers={"x-agenda-creation": "x"}
        )
        assert response.status_code == 400
        assert "nested too deeply" in response.content.decode()


def test_an_agenda_of_every_talk_at_once_stays_small_and_cheap(
    client, django_assert_max_num_queries
):
    """The worst agenda the limits allow in one slot: 300 talks at the same time, each
    overlapping the 299 others. Rows come a page at a time and each names three overlaps
    and counts the rest, so a page grows with neither the talks nor their pairs."""
    from schedule.models import Room
    from talks.models import Talk
    from tests.factories import make_event

    event = make_event(slug="crowded-2014")
    rooms = Room.objects.bulk_create(
        Room(event=event, name=f"Room {n}", slug=f"room-{n}", position=n) for n in range(300)
    )
    Talk.objects.bulk_create(
        Talk(
            event=event,
            room=room,
            title=f"Parallel {n:03}",
            slug=f"parallel-{n}",
            start=brussels(2014, 2, 1, 10),
            end=brussels(2014, 2, 1, 11),
        )
        for n, room in enumerate(rooms)
    )
    data = create(client, event, [f"parallel-{n}" for n in range(300)])

    with django_assert_max_num_queries(20):
        page = client.get(data["urls"]["page"])

    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('class="warning">Overlaps with') == 100 * 3
    assert body.count("… and 296 more of your talks at the same time") == 100
    assert "300 of your talks overlap another you chose" in body
    assert "Talks 1–100 of 300" in body
    assert 'href="?page=2"' in body
    assert len(page.content) < 300_000  # named every pair on one page, it was over 20 MB

    last = client.get(data["urls"]["page"] + "?page=3").content.decode()
    assert "Talks 201–300 of 300" in last
    assert 'href="?page=2"' in last
    # Past the end is the last page; junk is the first; neither is an error.
    assert "Talks 201–300" in client.get(data["urls"]["page"] + "?page=99").content.decode()
    assert "Talks 1–100" in client.get(data["urls"]["page"] + "?page=x%00").content.decode()
