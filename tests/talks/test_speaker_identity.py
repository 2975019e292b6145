"""Organisers repair who is who: merge two records of one person, split two people apart.
Old speaker URLs keep working; managers cannot merge or split."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from talks.models import PersonId, Speaker, SpeakerLink, SpeakerRedirect
from tests.factories import make_event, make_speaker, make_talk, make_user


@pytest.fixture
def organiser_client(client, db):
    client.force_login(make_user("root", superuser=True))
    return client


@pytest.fixture
def twins(db):
    """One person recorded twice (2024 with an id, 2025 spelled differently, with a link)."""
    old = make_speaker(name="Gabor Szarnyas", slug="gabor-szarnyas")
    new = make_speaker(name="Gábor Szárnyas", slug="gabor-szarnyas-2", bio="Graphs.")
    PersonId.objects.create(speaker=old, series="fosdem", number=4744)
    SpeakerLink.objects.create(speaker=new, title="Site", url="https://example.org/")
    talk_2024 = make_talk(event=make_event(slug="fosdem-2024"), speakers=[old])
    talk_2025 = make_talk(event=make_event(slug="fosdem-2025"), speakers=[new])
    return old, new, talk_2024, talk_2025


@pytest.mark.django_db
def test_merge_moves_talks_links_ids_and_redirects_the_old_url(organiser_client, twins):
    old, new, talk_2024, talk_2025 = twins
    url = reverse("admin:talks_speaker_changelist")
    choose = organiser_client.post(
        url, {"action": "merge_selected", ACTION_CHECKBOX_NAME: [old.pk, new.pk]}
    )
    assert "Merge into the chosen speaker" in choose.content.decode()

    organiser_client.post(
        url,
        {"action": "merge_selected", ACTION_CHECKBOX_NAME: [old.pk, new.pk], "keep": new.pk},
    )

    [kept] = Speaker.objects.all()
    assert (kept.pk, kept.name, kept.bio) == (new.pk, "Gábor Szárnyas", "Graphs.")
    assert sorted(kept.talks.values_list("pk", flat=True)) == sorted([talk_2024.pk, talk_2025.pk])
    assert list(kept.person_ids.values_list("number", flat=True)) == [4744]
    assert list(kept.links.values_list("url", flat=True)) == ["https://example.org/"]
    moved = organiser_client.get(reverse("talks:speaker", args=["gabor-szarnyas"]))
    assert (moved.status_code, moved["Location"]) == (301, "/speakers/gabor-szarnyas-2/")
    feed = organiser_client.get(reverse("exports:speaker_ics", args=["gabor-szarnyas"]))
    assert (feed.status_code, feed["Location"]) == (301, "/speakers/gabor-szarnyas-2.ics")


@pytest.mark.django_db
def test_merging_speakers_of_one_talk_keeps_one_entry(organiser_client, db):
    a, b = make_speaker(name="A"), make_speaker(name="A.")
    talk = make_talk(speakers=[b, a])

    organiser_client.post(
        reverse("admin:talks_speaker_changelist"),
        {"action": "merge_selected", ACTION_CHECKBOX_NAME: [a.pk, b.pk], "keep": a.pk},
    )

    assert list(talk.talk_speakers.values_list("speaker__name", "position")) == [("A", 0)]


@pytest.mark.django_db
def test_split_moves_the_chosen_talks_and_ids_to_a_new_speaker(organiser_client, db):
    merged = make_speaker(name="Jane Doe", slug="jane-doe")
    mine = make_talk(title="Mine", speakers=[merged])
    hers = make_talk(title="Hers", speakers=[merged])
    her_id = PersonId.objects.create(speaker=merged, series="fosdem", number=102)

    response = organiser_client.post(
        reverse("admin:talks_speaker_split", args=[merged.pk]),
        {"name": "Jane Doe", "talks": [hers.pk], "person_ids": [her_id.pk]},
    )

    new = Speaker.objects.exclude(pk=merged.pk).get()
    assert response["Location"] == reverse("admin:talks_speaker_change", args=[new.pk])
    assert (new.name, new.slug) == ("Jane Doe", "jane-doe-2")
    assert list(new.talks.all()) == [hers]
    assert list(merged.talks.all()) == [mine]
    assert list(new.person_ids.values_list("number", flat=True)) == [102]


@pytest.mark.django_db
def test_devroom_managers_cannot_merge_or_split(client, iaas, twins):
    old, new, *_ = twins
    client.force_login(make_user("dora", manages=[iaas]))

    listing = client.get(reverse("admin:talks_speaker_changelist"))
    split = client.get(reverse("admin:talks_speaker_split", args=[old.pk]))
    merge = client.post(
        reverse("admin:talks_speaker_changelist"),
        {"action": "merge_selected", ACTION_CHECKBOX_NAME: [old.pk, new.pk], "keep": new.pk},
    )

    assert "merge_selected" not in listing.content.decode()
    assert split.status_code == 403
    assert merge.status_code in (200, 302)
    assert Speaker.objects.count() == 2


@pytest.mark.django_db
def test_an_unknown_old_slug_is_still_a_404(client):
    response = client.get(reverse("talks:speaker", args=["nobody"]))

    assert response.status_code == 404
    assert not SpeakerRedirect.objects.exists()
