"""Releases: what changed between versions of a programme, as attendees, apps and
organisers see it."""

import datetime as dt
import json
from io import StringIO

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from schedule.releases.diff import diff, live_snapshot
from schedule.releases.models import Change, Release
from schedule.releases.publishing import next_version, publish_release
from talks.models import Talk, TalkSpeaker
from tests.factories import brussels, make_room, make_speaker, make_talk, make_user


def facts(**changes):
    base = {
        "slug": "autoscaling",
        "title": "Autoscaling best practices",
        "start": "2014-02-01T11:20:00+00:00",
        "end": "2014-02-01T11:40:00+00:00",
        "room": "Chavanne",
        "room_slug": "chavanne",
        "devroom": "Cloud",
        "devroom_slug": "cloud",
        "speakers": ["Ann"],
        "status": "confirmed",
    }
    return base | changes


def kinds(before, after):
    return [(c["kind"], c["old"], c["new"]) for c in diff(before, after)]


# -- the diff, kind by kind ----------------------------------------------------------------


def test_added_and_removed_talks():
    assert kinds({}, {"g": facts()}) == [("added", None, facts())]
    assert kinds({"g": facts()}, {}) == [("removed", facts(), None)]


def test_cancelled_and_back_on():
    assert kinds({"g": facts()}, {"g": facts(status="cancelled")}) == [("cancelled", None, None)]
    assert kinds({"g": facts(status="cancelled")}, {"g": facts()}) == [("uncancelled", None, None)]


def test_moved_records_old_and_new_time_and_room():
    after = facts(start="2014-02-01T13:00:00+00:00", end="2014-02-01T13:20:00+00:00", room="Ferrer")

    [(kind, old, new)] = kinds({"g": facts()}, {"g": after})

    assert kind == "moved"
    assert old == {"start": facts()["start"], "end": facts()["end"], "room": "Chavanne"}
    assert new == {"start": after["start"], "end": after["end"], "room": "Ferrer"}


def test_retitled_speakers_and_devroom_changes():
    after = facts(title="Autoscaling in practice", speakers=["Ann", "Bob"], devroom="Ops")

    assert kinds({"g": facts()}, {"g": after}) == [
        ("retitled", "Autoscaling best practices", "Autoscaling in practice"),
        ("speakers", ["Ann"], ["Ann", "Bob"]),
        ("devroom", "Cloud", "Ops"),
    ]


def test_several_changes_to_one_talk_are_each_listed_once():
    after = facts(status="cancelled", room="Ferrer", title="Renamed")

    assert [kind for kind, _old, _new in kinds({"g": facts()}, {"g": after})] == [
        "cancelled",
        "moved",
        "retitled",
    ]


def test_nothing_changed_gives_no_change():
    assert kinds({"g": facts()}, {"g": facts()}) == []


# -- publishing ----------------------------------------------------------------------------


@pytest.fixture
def programme(event, chavanne, ferrer, iaas):
    ann, bob = make_speaker(name="Ann Example"), make_speaker(name="Bob Example")
    return {
        "autoscaling": make_talk(
            title="Autoscaling best practices",
            slug="autoscaling",
            room=chavanne,
            devroom=iaas,
            speakers=[ann],
            start=brussels(2014, 2, 1, 12, 20),
            minutes=20,
        ),
        "paas": make_talk(
            title="Putting the PaaS in OpenStack",
            slug="paas",
            room=ferrer,
            devroom=iaas,
            speakers=[bob],
            start=brussels(2014, 2, 1, 15),
        ),
    }


def move(talk, start, room):
    talk.start, talk.end, talk.room = start, start + (talk.end - talk.start), room
    talk.save()


@pytest.mark.django_db
def test_version_names_count_up_and_typed_names_are_checked(event, programme):
    assert next_version(None) == "1.0"
    assert next_version("1.9") == "1.10"
    assert next_version("2025-rc") == "2025-rc.1"

    assert publish_release(event).version == "1.0"
    assert publish_release(event).version == "1.1"
    assert publish_release(event, version="2.0-final").version == "2.0-final"
    assert publish_release(event).version == "2.0-final.1"
    with pytest.raises(ValidationError):
        publish_release(event, version="1.0")  # taken
    with pytest.raises(ValidationError):
        publish_release(event, version="1.0 beta")  # a space
    assert Release.objects.filter(event=event).count() == 4


@pytest.mark.django_db
def test_a_release_records_the_changes_since_the_previous_one(event, programme, ferrer):
    first = publish_release(event, note="Programme online")
    move(programme["autoscaling"], brussels(2014, 2, 1, 14), ferrer)
    programme["paas"].set_status(Talk.Status.CANCELLED)
    make_talk(event=event, title="Late addition", slug="late", start=brussels(2014, 2, 2, 10))

    second = publish_release(event, note="Room swap in the afternoon")

    assert first.changes.count() == 0  # the first release is the baseline
    changes = {(c.talk_slug, c.kind) for c in second.changes.all()}
    assert changes == {("autoscaling", "moved"), ("paas", "cancelled"), ("late", "added")}
    moved = second.changes.get(kind="moved")
    assert moved.old["room"] == "Chavanne"
    assert moved.new["room"] == "Ferrer"
    assert second.note == "Room swap in the afternoon"


@pytest.mark.django_db
def test_a_talk_removed_then_added_again_shows_in_both_releases(event, programme):
    publish_release(event)
    paas = programme["paas"]
    guid = paas.guid
    paas.is_draft = True  # taken off the public programme
    paas.save()
    removed = publish_release(event)
    paas.is_draft = False
    paas.save()
    back = publish_release(event)

    assert [(c.kind, str(c.talk_guid)) for c in removed.changes.all()] == [("removed", str(guid))]
    assert [(c.kind, str(c.talk_guid)) for c in back.changes.all()] == [("added", str(guid))]


@pytest.mark.django_db
def test_publishing_a_thousand_talk_release_costs_constant_queries(
    event, chavanne, django_assert_max_num_queries
):
    speaker = make_speaker()
    talks = [
        Talk(
            event=event,
            room=chavanne,
            title=f"Talk {n}",
            slug=f"t-{n}",
            start=brussels(2014, 2, 1, 9) + dt.timedelta(minutes=n),
            end=brussels(2014, 2, 1, 9) + dt.timedelta(minutes=n + 1),
        )
        for n in range(1000)
    ]
    created = Talk.objects.bulk_create(talks)
    TalkSpeaker.objects.bulk_create(TalkSpeaker(talk=t, speaker=speaker) for t in created)
    publish_release(event)
    Talk.objects.filter(slug__startswith="t-1").update(room=make_room(event))

    with django_assert_max_num_queries(30):
        release = publish_release(event)

    assert release.changes.count() == Talk.objects.filter(slug__startswith="t-1").count()


# -- what attendees and apps see -----------------------------------------------------------


@pytest.fixture
def released(event, programme, ferrer):
    publish_release(event, version="1.0")
    move(programme["autoscaling"], brussels(2014, 2, 1, 14), ferrer)
    programme["paas"].set_status(Talk.Status.CANCELLED)
    return publish_release(event, version="1.1", note="Room swap in the afternoon")


@pytest.mark.django_db
def test_changes_page_says_in_plain_words_what_moved(client, event, released):
    page = client.get(reverse("releases:changes", args=[event.slug])).content.decode()

    assert "Release 1.1" in page
    assert "Release 1.0" in page
    assert "Room swap in the afternoon" in page
    assert (
        'Autoscaling best practices</a> <span class="change-text">'
        "from Sat 12:20 Chavanne to Sat 14:00 Ferrer" in page
    )
    assert "Cancelled (1)" in page
    assert reverse("releases:compare", args=[event.slug, "1.0...1.1"]) in page


@pytest.mark.django_db
def test_any_two_releases_can_be_compared(client, event, released):
    response = client.get(reverse("releases:compare", args=[event.slug, "1.0...1.1"]))
    missing = client.get(reverse("releases:compare", args=[event.slug, "1.0...9.9"]))

    assert response.status_code == 200
    assert "2 changes between release 1.0" in response.content.decode()
    assert missing.status_code == 404
    assert "no release “9.9”" in missing.content.decode()


@pytest.mark.django_db
def test_atom_feed_parses_with_an_entry_per_release(client, event, released):
    response = client.get(reverse("releases:atom", args=[event.slug]))

    feed = feedparser.parse(response.content)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == [
        "FOSDEM 2014 schedule 1.1",
        "FOSDEM 2014 schedule 1.0",
    ]
    assert all(entry.id and entry.updated_parsed for entry in feed.entries)
    assert len({entry.id for entry in feed.entries}) == 2
    assert "Sat 14:00 Ferrer" in feed.entries[0].summary
    assert feed.feed.author == "FOSDEM 2014 organisers"  # atom:author, which Atom requires


@pytest.mark.django_db
def test_changes_json_since_a_release_or_a_time_lists_changes_to_the_live_programme(
    client, event, released, programme
):
    programme["autoscaling"].title = "Autoscaling, revisited"
    programme["autoscaling"].save()  # live, not released yet
    url = reverse("releases:json", args=[event.slug])

    since_release = client.get(url, {"since": "1.1"})
    since_start = client.get(url, {"since": "2000-01-01T00:00:00Z"})
    unknown = client.get(url, {"since": "7.7"})

    body = json.loads(since_release.content)
    assert since_release["Access-Control-Allow-Origin"] == "*"
    assert body["since"]["version"] == "1.1"
    assert body["current"]["version"].startswith("1.1+")
    assert [(c["slug"], c["kind"], c["old"], c["new"]) for c in body["changes"]] == [
        ("autoscaling", "retitled", "Autoscaling best practices", "Autoscaling, revisited")
    ]
    assert body["changes"][0]["guid"] == str(programme["autoscaling"].guid)
    assert {c["kind"] for c in json.loads(since_start.content)["changes"]} == {"added"}
    assert unknown.status_code == 400
    assert "no release “7.7”" in json.loads(unknown.content)["error"]


@pytest.mark.django_db
def test_exports_carry_the_release_version_and_serve_old_releases(
    client, event, released, programme
):
    xml = reverse("exports:xml", args=[event.slug])

    current = etree.fromstring(client.get(xml).content)
    assert current.findtext("version") == "1.1"
    programme["paas"].set_status(Talk.Status.CONFIRMED)
    live = etree.fromstring(client.get(xml).content)
    assert live.findtext("version").startswith("1.1+")

    old = client.get(xml, {"version": "1.0"})
    old_json = json.loads(
        client.get(reverse("exports:json", args=[event.slug]), {"version": "1.0"}).content
    )
    tree = etree.fromstring(old.content)
    assert tree.findtext("version") == "1.0"
    [autoscaling] = [e for e in tree.iter("event") if e.findtext("slug").endswith("autoscaling")]
    assert autoscaling.findtext("room") == "Chavanne"
    assert autoscaling.findtext("start") == "12:20"
    assert old_json["schedule"]["version"] == "1.0"
    assert client.get(xml, {"version": "0.1"}).status_code == 404


@pytest.mark.django_db
def test_talk_page_says_when_and_from_where_it_moved(client, event, released, programme):
    page = client.get(programme["autoscaling"].get_absolute_url()).content.decode()
    cancelled = client.get(programme["paas"].get_absolute_url()).content.decode()

    assert "Moved from Sat 12:20 Chavanne to Sat 14:00 Ferrer in" in page
    assert "release 1.1" in page
    assert "Cancelled in" in cancelled


@pytest.mark.django_db
def test_lists_mark_and_filter_the_talks_changed_in_the_latest_release(
    client, event, released, programme
):
    everything = client.get(reverse("schedule:all", args=[event.slug])).content.decode()
    changed = client.get(reverse("schedule:all", args=[event.slug]), {"changed": "latest"})
    grid = client.get(reverse("schedule:grid", args=[event.slug, "2014-02-01"])).content.decode()

    assert everything.count('class="badge changed-badge"') == 2
    assert changed.context["talks"]
    assert {t.slug for t in changed.context["talks"]} == {
        "autoscaling",
        "paas",
    }
    assert grid.count("changed-badge") == 2


# -- organisers and devroom managers -------------------------------------------------------


def prepare_url(event):
    return reverse("admin:releases_release_prepare", args=[event.pk])


@pytest.mark.django_db
def test_organisers_see_unreleased_changes_and_publish(client, event, programme, ferrer):
    olga = make_user("olga")
    call_command("grant_role", "olga", "organiser", stdout=StringIO())
    publish_release(event)
    move(programme["autoscaling"], brussels(2014, 2, 1, 14), ferrer)
    client.force_login(olga)

    preview = client.get(prepare_url(event)).content.decode()
    response = client.post(prepare_url(event), {"version": "", "note": "Moves"})

    assert "Unreleased changes (1)" in preview
    assert "from Sat 12:20 Chavanne to Sat 14:00 Ferrer" in preview
    assert response.status_code == 302
    assert Release.objects.latest_of(event).version == "1.1"
    assert olga.has_perm("releases.publish_release")


@pytest.mark.django_db
def test_devroom_managers_see_their_own_unreleased_changes_but_cannot_publish(
    client, event, programme, lightning, chavanne
):
    other = make_talk(
        title="Lightning one",
        slug="lt",
        room=chavanne,
        devroom=lightning,
        start=brussels(2014, 2, 1, 17),
    )
    publish_release(event)
    programme["paas"].set_status(Talk.Status.CANCELLED)  # in iaas
    other.title = "Lightning one, renamed"
    other.save()  # in lightning
    dora = make_user("dora", manages=[lightning])
    call_command(
        "grant_role", "dora", "devroom-manager", f"{event.slug}/{lightning.slug}", stdout=StringIO()
    )
    client.force_login(dora)

    preview = client.get(prepare_url(event)).content.decode()
    attempt = client.post(prepare_url(event), {"version": "9.0", "note": ""})

    assert "Lightning one, renamed" in preview
    assert "Putting the PaaS in OpenStack" not in preview
    assert "Publish release" not in preview
    assert attempt.status_code == 403
    assert not Release.objects.filter(version="9.0").exists()


@pytest.mark.django_db
def test_the_live_snapshot_is_the_public_programme(event, programme):
    programme["paas"].is_draft = True
    programme["paas"].save()

    assert {facts["slug"] for facts in live_snapshot(event).values()} == {"autoscaling"}
    assert Change.objects.count() == 0


@pytest.mark.django_db
def test_organisers_mark_a_talk_as_draft_in_the_admin_and_it_leaves_the_site(
    client, event, programme
):
    admin_user = make_user("root", superuser=True)
    client.force_login(admin_user)
    talk = programme["paas"]
    url = reverse("admin:talks_talk_change", args=[talk.pk])
    form = client.get(url).content.decode()
    assert 'name="is_draft"' in form

    talk.is_draft = True
    talk.save()
    client.logout()

    assert client.get(talk.get_absolute_url()).status_code == 404
    listing = client.get(reverse("schedule:all", args=[event.slug])).content.decode()
    assert "Putting the PaaS in OpenStack" not in listing
