"""light_instances() builds the same objects the ORM would, from plain rows: a feed built
from them cannot differ from one built from Django's instances."""

import pytest
from django.db.models.signals import post_init, pre_init

from schedule.models import Room
from talks.models import Speaker, Talk, TalkLink
from talks.models.light import compiled_rows, light_instances
from tests.factories import brussels, make_room, make_speaker, make_talk

pytestmark = pytest.mark.django_db

MODELS = (Talk, Speaker, TalkLink)  # the models export_list() reads this way


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


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


@pytest.mark.parametrize("model", MODELS)
def test_objects_equal_the_orms_field_by_field(talks, model):
    expected = list(model.objects.order_by("pk"))
    built = light_instances(model.objects.order_by("pk"))

    assert [values(i) for i in built] == [values(i) for i in expected]
    assert all(type(i) is model and not i._state.adding for i in built)
    assert all(i.pk is not None for i in built)


def test_left_out_columns_still_load_on_access(talks):
    (light,) = light_instances(Talk.objects.filter(pk=talks.pk), omit=("abstract_text",))

    assert "abstract_text" not in light.__dict__
    assert light.abstract_text == Talk.objects.get(pk=talks.pk).abstract_text
    assert light.start.utcoffset().total_seconds() == 0  # aware UTC, as the ORM gives


def test_nothing_listens_for_the_init_signals_it_does_not_send():
    for model in MODELS:
        assert not pre_init.has_listeners(model)
        assert not post_init.has_listeners(model)


def test_an_empty_selection_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert light_instances(Talk.objects.filter(pk__in=[])) == []


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

    from schedule.fragments.stamps import speakers_stamps
    from talks.models import light

    if connection.vendor != "sqlite":
        pytest.skip("json_each() is SQLite's")
    with_json = speakers_stamps([talks.pk])
    monkeypatch.setattr(light, "_sqlite_has_json", lambda: False)

    assert light.id_list([talks.pk]) == [talks.pk]
    assert list(Talk.objects.filter(pk__in=light.id_list([talks.pk]))) == [talks]
    assert speakers_stamps([talks.pk]) == with_json != {}


@compiled_rows
def room_names(event_id: int):
    return Room.objects.filter(event_id=event_id).values_list("pk", "name")


def test_compiled_rows_compile_once_and_read_the_data_each_time(
    event, chavanne, django_assert_num_queries
):
    room_names.sql_of.cache_clear()
    first = room_names(event.pk)
    assert first == [(chavanne.pk, "Chavanne")]
    Room.objects.filter(pk=chavanne.pk).update(name="Chavanne (renamed)")
    make_room(event, name="Ferrer", slug="ferrer")

    with django_assert_num_queries(1):
        again = room_names(event.pk)

    assert again == list(event.rooms.values_list("pk", "name"))
    assert sorted(dict(again).values()) == ["Chavanne (renamed)", "Ferrer"]
    assert room_names.sql_of.cache_info().hits == 1  # the SQL, never the rows
    assert room_names(event.pk + 1000) == []
