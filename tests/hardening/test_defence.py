"""Defence in depth: stored URLs that are not web links, HTTP methods, absurd dates."""

import datetime as dt
import logging

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from talks.models import TalkLink
from tests.factories import make_event, make_room, make_speaker, make_talk

BAD_URLS = ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>x</script>"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_URLS)
def test_a_stored_script_url_is_never_a_link_nor_exported(client, event, chavanne, bad):
    speaker = make_speaker(name="Eve", website=bad)
    talk = make_talk(room=chavanne, speakers=[speaker], title="Hello")
    TalkLink.objects.create(talk=talk, title="Slides", kind="slides", url=bad)  # ORM: no checks
    TalkLink.objects.create(talk=talk, title="Good", url="https://example.org/good")
    chavanne.map_url = bad
    chavanne.stream_url = bad
    chavanne.save()

    pages = [
        talk.get_absolute_url(),
        reverse("talks:speaker", args=[speaker.slug]),
        reverse("schedule:room", args=[event.slug, chavanne.slug]),
        reverse("exports:xml", args=[event.slug]),
        reverse("exports:json", args=[event.slug]),
        reverse("exports:ics", args=[event.slug]),
    ]
    for url in pages:
        body = client.get(url).content.decode().lower()
        assert "javascript:" not in body, url
        assert "data:text/html" not in body, url
    assert "https://example.org/good" in client.get(talk.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_public_urls_answer_a_preflight_and_refuse_other_methods(client, event):
    url = reverse("exports:json", args=[event.slug])

    options = client.options(url)
    trace = client.generic("TRACE", url)
    post = client.post(reverse("schedule:event", args=[event.slug]))

    assert options.status_code == 204
    assert options.content == b""
    assert options["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in options["Access-Control-Allow-Headers"]
    assert trace.status_code == 405
    assert trace["Allow"] == "GET, HEAD, OPTIONS"
    assert post.status_code == 405
    assert client.head(url).status_code == 200
    assert client.get(reverse("admin:login")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (dt.date(2025, 2, 1), dt.date(2205, 2, 2), "2205 is outside 1970–2100"),
        (dt.date(2025, 2, 1), dt.date(2025, 3, 1), "would last 29 days; at most 14"),
        (dt.date(1025, 2, 1), dt.date(1025, 2, 2), "1025 is outside"),
    ],
)
def test_absurd_event_dates_are_refused_with_a_message(start, end, message):
    event = make_event()
    event.start_date, event.end_date = start, end

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert message in str(error.value)


@pytest.mark.django_db
def test_a_two_week_event_is_still_fine():
    event = make_event(start_date=dt.date(2025, 7, 1), end_date=dt.date(2025, 7, 14))
    event.full_clean()
    make_room(event)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/", "/speakers/", "/no-such-event/schedule.ics"])
def test_a_host_not_ours_is_a_400_not_a_500(client, path, caplog):
    response = client.get(path, HTTP_HOST="scanner.example")

    assert response.status_code == 400
    assert b"Bad request" in response.content
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert {r.name for r in errors} <= {"django.security.DisallowedHost"}  # no 500
    # Django reports each bad Host with a traceback; ours go nowhere (scanners send many).
    silenced = logging.getLogger("django.security.DisallowedHost")
    ours = [h for h in silenced.handlers if "_pytest" not in type(h).__module__]
    assert not silenced.propagate
    assert ours
    assert all(isinstance(h, logging.NullHandler) for h in ours)


@pytest.mark.django_db
def test_exports_carry_abstracts_and_biographies_sanitised_like_the_pages(client, event, chavanne):
    """Apps that render these fields as HTML get no script from us; plain text with a "<"
    in it stays as it was."""
    import json
    import xml.etree.ElementTree as ET

    from talks.models import TalkSpeaker

    talk = make_talk(
        event=event,
        room=chavanne,
        title="Hostile",
        abstract='<p>Hi<script>alert(1)</script><img src="x.png" onerror="alert(2)"></p>',
        description="When a < b and b > c, then a < c.",
    )
    speaker = make_speaker(name="Mallory", bio='<a href="javascript:alert(3)">me</a> <b>bold</b>')
    TalkSpeaker.objects.create(talk=talk, speaker=speaker, position=0)

    xml = client.get(reverse("exports:xml", args=[event.slug])).content
    (entry,) = [e for e in ET.fromstring(xml).iter("event") if e.findtext("title") == "Hostile"]
    data = json.loads(client.get(reverse("exports:json", args=[event.slug])).content)
    rooms = data["schedule"]["conference"]["days"][0]["rooms"]
    (shown,) = [e for events in rooms.values() for e in events if e["title"] == "Hostile"]
    for abstract in (entry.findtext("abstract"), shown["abstract"]):
        assert abstract == "<p>Hi</p>"  # no script, no handler (nor an image)
    for description in (entry.findtext("description"), shown["description"]):
        assert description == "When a < b and b > c, then a < c."
    assert shown["persons"][0]["biography"] == "<a>me</a> <b>bold</b>"
