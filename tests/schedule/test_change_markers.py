"""Every feed and export revalidates correctly after additions, edits and deletions, even
when the client only sends If-Modified-Since and the change happens within the same second."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from schedule import markers
from schedule.models import Event, whole_second_now
from talks.models import Speaker, TalkLink
from tests.factories import make_event, make_room, make_speaker, make_talk


def uids(response) -> list[str]:
    return sorted(
        str(e["uid"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    )


@pytest.fixture
def programme(db):
    event = make_event(slug="fosdem-2014")
    room = make_room(event)
    keep = make_talk(event=event, room=room, title="Keep", speakers=[make_speaker(name="Ann")])
    gone = make_talk(event=event, room=room, title="Gone", speakers=[make_speaker(name="Bob")])
    return event, keep, gone


@pytest.mark.parametrize("name", ["exports:ics", "exports:xml", "exports:json", "schedule:all"])
@pytest.mark.django_db
def test_deleting_a_talk_in_the_same_second_still_gives_200_to_if_modified_since(
    client, programme, name
):
    event, keep, gone = programme
    url = reverse(name, args=[event.slug])
    first = client.get(url)
    assert gone.title.encode() in first.content

    gone.delete()  # no sleep: same second as the previous change, most likely
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 200
    assert b"Gone" not in again.content
    assert b"Keep" in again.content
    assert again["Last-Modified"] != first["Last-Modified"]


@pytest.mark.django_db
def test_deleting_a_speaker_in_the_same_second_reaches_exports_and_speaker_feeds(client, programme):
    event, keep, gone = programme
    xml_url = reverse("exports:xml", args=[event.slug])
    first = client.get(xml_url)
    assert b"Bob" in first.content

    Speaker.objects.get(name="Bob").delete()
    again = client.get(xml_url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 200
    assert b"Bob" not in again.content


@pytest.mark.django_db
def test_unchanged_feed_answers_304_to_if_modified_since(client, programme):
    event, keep, gone = programme
    url = reverse("exports:ics", args=[event.slug])
    first = client.get(url)

    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


@pytest.mark.django_db
def test_a_link_added_without_saving_the_talk_moves_the_marker(client, programme):
    event, keep, gone = programme
    url = reverse("exports:json", args=[event.slug])
    first = client.get(url)

    TalkLink.objects.create(talk=keep, title="Slides", url="https://example.org/slides.pdf")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert b"https://example.org/slides.pdf" in again.content


@pytest.mark.django_db
def test_renaming_a_room_reaches_the_feeds_of_its_event_only(client, programme):
    event, keep, gone = programme
    other = make_talk(event=make_event(slug="elsewhere"))
    other_first = client.get(reverse("exports:ics", args=["elsewhere"]))
    first = client.get(reverse("exports:ics", args=[event.slug]))

    keep.room.name = "Janson"
    keep.room.save()

    assert (
        client.get(
            reverse("exports:ics", args=[event.slug]), HTTP_IF_NONE_MATCH=first["ETag"]
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("exports:ics", args=["elsewhere"]), HTTP_IF_NONE_MATCH=other_first["ETag"]
        ).status_code
        == 304
    )
    assert other.event.slug == "elsewhere"


@pytest.mark.django_db
def test_speaker_feed_follows_the_site_marker_across_editions(client, programme):
    event, keep, gone = programme
    ann = Speaker.objects.get(name="Ann")
    url = reverse("exports:speaker_ics", args=[ann.slug])
    first = client.get(url)

    make_talk(event=make_event(slug="fosdem-2015"), title="Second year", speakers=[ann])
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 200
    assert len(uids(again)) == 2


@pytest.mark.django_db
def test_markers_strictly_increase_within_one_second(programme):
    event = programme[0]
    seen = []
    for _ in range(3):
        markers.bump_events([event.pk])
        seen.append(Event.objects.get(pk=event.pk).changed)

    assert seen == sorted(set(seen))
    assert len(seen) == 3


@pytest.mark.django_db
def test_a_batch_bumps_each_event_once(programme):
    event, keep, gone = programme
    ahead = whole_second_now() + dt.timedelta(hours=1)  # each bump then adds exactly 1 s
    Event._base_manager.filter(pk=event.pk).update(changed=ahead)  # not a programme change

    with markers.batched():
        for title in ("A", "B", "C"):
            keep.title = title
            keep.save()

    assert Event.objects.get(pk=event.pk).changed == ahead + dt.timedelta(seconds=1)


@pytest.mark.django_db
def test_an_admin_save_with_its_inlines_moves_the_marker_once(client, programme):
    """The talk and its speaker and link rows are one change (schedule.edit_guard batches
    them); the next save is another."""
    from tests.factories import make_user
    from tests.hardening.test_stale_form import admin_form, data_as_opened

    event, keep, gone = programme
    ahead = whole_second_now() + dt.timedelta(hours=1)
    Event._base_manager.filter(pk=event.pk).update(changed=ahead)
    client.force_login(make_user("root", superuser=True))
    url = reverse("admin:talks_talk_change", args=[keep.pk])
    data = data_as_opened(admin_form(keep), keep) | {
        "title": "Renamed",
        "talk_speakers-TOTAL_FORMS": "0",
        "talk_speakers-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-0-title": "Slides",
        "links-0-url": "https://example.org/s.pdf",
        "links-0-kind": "slides",
        "links-0-position": "0",
    }
    assert client.post(url, data).status_code == 302
    assert TalkLink.objects.filter(talk=keep).exists()
    assert Event.objects.get(pk=event.pk).changed == ahead + dt.timedelta(seconds=1)

    gone.delete()
    assert Event.objects.get(pk=event.pk).changed == ahead + dt.timedelta(seconds=2)
