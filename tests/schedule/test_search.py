"""Search by words on a real schedule (FOSDEM 2026: 883 talks): what attendees type (Go, C,
AI, Rust, Nix, a speaker's name) finds what holds the word, never a word that merely
contains it, devrooms and speakers first; the same on SQLite and PostgreSQL (CI runs this
module on both)."""

import html
import re

import pytest
from django.urls import reverse

from schedule.interchange.importers import import_file
from schedule.models import Event
from talks.models import Speaker, Talk
from talks.search_text import fold

pytestmark = pytest.mark.django_db

EVENT = "fosdem-2026"


@pytest.fixture
def fosdem(real_data):
    import_file(real_data / "fosdem/fosdem-2026-schedule.xml")
    return Event.objects.get(slug=EVENT)


def search(client, query: str) -> dict:
    """What the search page shows, in order: devroom names, speaker names, talk slugs."""
    page = client.get(reverse("search:results", args=[EVENT]), {"q": query}).content.decode()

    def section(heading):
        found = re.search(rf'id="{heading}">.*?</ul>', page, re.S)
        names = re.findall(r"<li><a [^>]*>([^<]+)<", found.group(0)) if found else []
        return [html.unescape(name) for name in names]

    talks = re.findall(rf'class="talk-title"><a href="/{EVENT}/talks/([^/]+)/"', page)
    return {
        "devrooms": section("devrooms-heading"),
        "speakers": section("speakers-heading"),
        "talks": talks,
    }


def words_of(talk: Talk) -> str:
    """Everything a talk is found by, folded: its text, speakers, devroom and room."""
    names = [s.name for s in talk.ordered_speakers]
    names += [talk.devroom.name if talk.devroom else "", talk.room.name if talk.room else ""]
    return " " + " ".join([talk.search_text, *map(fold, names)]) + " "


def assert_every_talk_holds_word(slugs, word):
    """Every talk holds the word whole, or, from three letters (typed last), a word starting
    with it."""
    assert slugs, f"nothing found for {word!r}"
    talks = Talk.objects.filter(event__slug=EVENT, slug__in=slugs).select_related("devroom", "room")
    needle = f" {word}" if len(word) >= 3 else f" {word} "
    for talk in talks:
        assert needle in words_of(talk), (word, talk.title)


@pytest.mark.parametrize(
    ("query", "devroom"),
    [("go", "Go"), ("Go", "Go"), ("rust", "Rust"), ("nix", "Nix and NixOS")],
)
def test_a_devroom_named_by_the_word_comes_first_and_every_talk_holds_the_whole_word(
    client, fosdem, query, devroom
):
    found = search(client, query)

    assert found["devrooms"][0] == devroom
    assert_every_talk_holds_word(found["talks"], fold(query))
    first = Talk.objects.get(event=fosdem, slug=found["talks"][0])
    assert first.devroom.name == devroom  # the devroom's talks lead the list


def test_short_words_match_only_whole_words(client, fosdem):
    for word in ("go", "ai", "c", "r", "qt"):
        found = search(client, word)
        assert_every_talk_holds_word(found["talks"], word)
    # what substring search returned: 383 of 883 talks for "go", 882 for "c"
    assert len(search(client, "go")["talks"]) < 150
    assert len(search(client, "c")["talks"]) < 100


def test_rust_is_not_found_inside_trust(client, fosdem):
    titles = set(
        Talk.objects.filter(event=fosdem, slug__in=search(client, "rust")["talks"]).values_list(
            "title", flat=True
        )
    )
    trusting = Talk.objects.filter(event=fosdem, title__icontains="trust")
    assert trusting.exists()
    for talk in trusting:
        if " rust" not in words_of(talk):
            assert talk.title not in titles


def test_the_last_word_typed_also_matches_the_start_of_a_word(client, fosdem):
    slugs = search(client, "kube")["talks"]
    titles = Talk.objects.filter(event=fosdem, slug__in=slugs).values_list("title", flat=True)
    assert any("Kubernetes" in title for title in titles)
    assert search(client, "kubernete")["talks"]
    # only the last word: before another word, it must be whole
    assert search(client, "kubernete linux")["talks"] == []


def test_a_speakers_surname_without_accents_or_full_name_finds_them_first(client, fosdem):
    erin = Speaker.objects.get(name="Erin Kalousková")
    assert search(client, "kalouskova")["speakers"][0] == erin.name

    for speaker in Speaker.objects.filter(talks__event=fosdem).order_by("pk")[:20:4]:
        found = search(client, speaker.name)
        assert found["speakers"][0] == speaker.name, speaker.name
        first = Talk.objects.get(event=fosdem, slug=found["talks"][0])
        assert speaker in first.speakers.all()


def test_title_matches_come_before_abstract_matches(client, fosdem):
    slugs = search(client, "firmware")["talks"]
    talks = {t.slug: t for t in Talk.objects.filter(event=fosdem, slug__in=slugs)}
    in_title = [" firmware " in f" {fold(talks[slug].title)} " for slug in slugs]
    assert True in in_title
    assert False in in_title
    assert in_title == sorted(in_title, reverse=True)
