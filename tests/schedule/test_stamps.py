"""Stamps identify what a piece shows. Talks, speakers, their billing and their links are
rewritten through every write path the ORM offers (save, update, bulk_update, create,
bulk_create, delete, QuerySet.delete); after each step the list rows, grid cards and
exports served with the stored pieces must be exactly what a build from nothing gives, and
must show the change."""

import itertools
import re

import pytest
from django.core.cache import caches
from django.db.models import Max
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedule.pieces.store import code_version
from talks.models import PersonId, Speaker, Talk, TalkLink, TalkSpeaker
from tests.factories import brussels, make_speaker, make_talk
from tests.schedule.test_pieces import bodies

pytestmark = pytest.mark.django_db

CHANGE_PATHS = ["save", "update", "bulk_update"]
CREATE_PATHS = ["create", "bulk_create"]
DELETE_PATHS = ["delete", "queryset_delete"]
DTSTAMP = re.compile(r"^DTSTAMP:.*$", re.MULTILINE)
numbers = itertools.count(1)


@pytest.fixture
def programme(event, chavanne, ferrer, iaas):
    people = [make_speaker(name=n, slug=n.lower()) for n in ("Ada", "Bob", "Cy", "Di")]
    for number, person in enumerate(people, start=101):
        PersonId.objects.create(speaker=person, series=event.series, number=number)
    keynote = make_talk(
        event=event, room=chavanne, devroom=iaas, slug="keynote", title="Keynote",
        speakers=people[:2], start=brussels(2014, 2, 1, 10),
    )  # fmt: skip
    TalkLink.objects.create(talk=keynote, title="Slides", url="https://e.org/slides")
    make_talk(
        event=event, room=ferrer, slug="other", title="Other", speakers=people[2:3],
        start=brussels(2014, 2, 1, 11),
    )  # fmt: skip
    return event


def change(row, field, value, path):
    setattr(row, field, value)
    if path == "save":
        row.save()
    elif path == "update":
        type(row).objects.filter(pk=row.pk).update(**{field: value})
    else:
        type(row).objects.bulk_update([row], [field])


def create(row, path):
    if path == "create":
        row.save()
    else:
        type(row).objects.bulk_create([row])


def delete(row, path):
    if path == "delete":
        row.delete()
    else:
        type(row).objects.filter(pk=row.pk).delete()


def keynote():
    return Talk.objects.get(slug="keynote")


def billing():
    return list(TalkSpeaker.objects.filter(talk=keynote()).order_by("position", "id"))


def rewrite(kind: str, path_index: int, word: str) -> bool:
    """One rewrite; False when it could not apply (nothing to delete, say)."""
    text = f"{word} {next(numbers)}"
    rows, talk = billing(), keynote()
    pick = path_index
    if kind == "talk title":
        change(talk, "title", text, CHANGE_PATHS[pick % 3])
    elif kind == "talk abstract":
        change(talk, "abstract", text, CHANGE_PATHS[pick % 3])
    elif kind == "speaker name" and rows:
        change(rows[0].speaker, "name", text, CHANGE_PATHS[pick % 3])
    elif kind == "credited as" and rows:
        change(rows[-1], "credited_as", text, CHANGE_PATHS[pick % 3])
    elif kind == "speaker swapped" and rows:  # {1, 4} for {2, 3}: the same sum and count
        billed = {r.speaker_id for r in rows}
        free = Speaker.objects.exclude(pk__in=billed).order_by("pk").first()
        if free is None:
            return False
        change(rows[0], "speaker_id", free.pk, CHANGE_PATHS[pick % 3])
    elif kind == "speakers reordered" and len(rows) > 1:
        last = max(r.position for r in rows)
        change(rows[0], "position", last + 1, CHANGE_PATHS[pick % 3])
    elif kind == "speaker added":
        billed = {r.speaker_id for r in rows}
        free = Speaker.objects.exclude(pk__in=billed).order_by("-pk").first()
        if free is None:
            return False
        position = (
            TalkSpeaker.objects.filter(talk=talk).aggregate(m=Max("position"))["m"] or 0
        ) + 1
        create(TalkSpeaker(talk=talk, speaker=free, position=position), CREATE_PATHS[pick % 2])
    elif kind == "speaker removed" and len(rows) > 1:
        delete(rows[-1], DELETE_PATHS[pick % 2])
    elif kind == "person id" and rows:
        number = PersonId.objects.filter(speaker=rows[0].speaker).first()
        change(number, "number", 5000 + next(numbers), CHANGE_PATHS[pick % 3])
    elif kind == "link title":
        link = TalkLink.objects.filter(talk=talk).first()
        if link is None:
            create(TalkLink(talk=talk, title=text, url="https://e.org/new"), CREATE_PATHS[pick % 2])
        else:
            change(link, "title", text, CHANGE_PATHS[pick % 3])
    elif kind == "link removed":
        link = TalkLink.objects.filter(talk=talk).first()
        if link is None:
            return False
        delete(link, DELETE_PATHS[pick % 2])
    else:
        return False
    return True


KINDS = [
    "talk title", "talk abstract", "speaker name", "credited as", "speaker swapped",
    "speakers reordered", "speaker added", "speaker removed", "person id", "link title",
    "link removed",
]  # fmt: skip


def served(client, event) -> dict[str, str]:
    return {name: DTSTAMP.sub("", body) for name, body in bodies(client, event).items()}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(KINDS),
            st.integers(0, 5),
            st.text(alphabet="abcdé &<Z", min_size=1, max_size=8).map(str.strip).filter(bool),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_served_pieces_always_equal_a_build_from_nothing(client, programme, steps):
    before = served(client, programme)
    for kind, path_index, word in steps:
        if not rewrite(kind, path_index, word):
            continue
        with_pieces = served(client, programme)
        caches["pieces"].clear()
        from_nothing = served(client, programme)
        assert with_pieces == from_nothing, (kind, path_index)
        shown = {name for name in with_pieces if with_pieces[name] != before[name]}
        assert shown, f"{kind} through path {path_index} changed nothing that is served"
        before = with_pieces


def test_a_library_upgrade_is_a_new_code_version(monkeypatch):
    """nh3, Markdown, Jinja2 or Django shape what a piece holds: their versions are in it."""
    from importlib import metadata

    code_version.cache_clear()  # as a restarted process computes it
    current = code_version()
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda n: "9.9" if n == "nh3" else real(n))
    code_version.cache_clear()
    try:
        assert code_version() != current
    finally:
        monkeypatch.undo()
        code_version.cache_clear()
    assert code_version() == current
