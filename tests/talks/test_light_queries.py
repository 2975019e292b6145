"""id_list() chooses the same rows as a plain list of ids."""

import pytest

from talks.models import Talk, TalkLink
from tests.factories import brussels, make_speaker, make_talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def talks(event, chavanne, iaas):
    ada = make_speaker(name="Ada Lovelace", bio="Counts *things*.")
    keynote = make_talk(
        event=event,
        room=chavanne,
        devroom=iaas,
        title="Keynote",
        speakers=[ada],
        start=brussels(2014, 2, 1, 10),
    )
    TalkLink.objects.create(talk=keynote, url="https://example.org/slides", title="Slides")
    make_talk(event=event, room=None, devroom=None, start=None, end=None, status="cancelled")
    return keynote


def test_an_id_list_chooses_the_same_talks_as_a_plain_list(talks):
    """id_list() sends the ids as one parameter (json_each on SQLite, an array on
    PostgreSQL); the talks it chooses, alone or nested in another query, are the same."""
    from talks.models import TalkSpeaker
    from talks.models.light import id_list

    other = make_talk(
        event=talks.event, title="Other", slug="other", speakers=[make_speaker(name="Bo")]
    )
    ids = [talks.pk, other.pk, 10**9]  # and an id that is no talk's

    chosen = Talk.objects.filter(pk__in=id_list(ids))
    assert sorted(chosen.values_list("pk", flat=True)) == sorted([talks.pk, other.pk])
    nested = TalkSpeaker.objects.filter(talk_id__in=chosen.values("pk"))
    assert set(nested) == set(TalkSpeaker.objects.filter(talk_id__in=ids))
    assert not Talk.objects.filter(pk__in=id_list([])).exists()


def test_an_sqlite_without_json_gets_a_plain_list_and_the_same_stamps(talks, monkeypatch):
    from django.db import connection

    from schedule.pieces.stamps import speakers_stamps
    from talks.models import light

    if connection.vendor != "sqlite":
        pytest.skip("json_each() is SQLite's")
    with_json = speakers_stamps([talks.pk])
    monkeypatch.setattr(light, "_sqlite_has_json", lambda: False)

    assert light.id_list([talks.pk]) == [talks.pk]
    assert list(Talk.objects.filter(pk__in=light.id_list([talks.pk]))) == [talks]
    assert speakers_stamps([talks.pk]) == with_json != {}
