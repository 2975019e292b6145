"""Every write path to the schedule takes its locks in schedule.locks' order: the first row
it locks is an event's. Walks the paths (admin saves of every guarded model, imports,
speaker merges and splits, release publishing) on PostgreSQL and reads the SQL they send;
a new path that locks a talk, room or speaker first fails here before it can deadlock
against an import."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from schedule.interchange.importers import import_bytes
from schedule.releases.publishing import publish_release
from talks.models import Speaker, Talk, TalkSpeaker
from talks.people import merge_speakers, split_speaker
from tests.factories import make_devroom, make_room, make_speaker, make_talk
from tests.hardening.test_stale_form import admin_form, data_as_opened, guarded_admins

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]

SMALL = b"""<schedule><conference><acronym>order</acronym><title>Order</title>
<start>2014-02-01</start><end>2014-02-01</end><time_zone_name>Europe/Brussels</time_zone_name>
</conference><day index="1" date="2014-02-01"><room name="Janson"><event id="7">
<date>2014-02-01T10:00:00+01:00</date><start>10:00</start><duration>00:30</duration>
<room>Janson</room><slug>ordered</slug><title>Ordered</title><persons><person id="3">Ann
</person></persons></event></room></day></schedule>"""


def first_locked_table(work) -> str:
    with CaptureQueriesContext(connection) as captured:
        work()
    for query in captured.captured_queries:
        sql = query["sql"]
        if "FOR UPDATE" in sql or "FOR NO KEY UPDATE" in sql:
            return sql.split(" FROM ", 1)[1].split()[0].strip('"')
    return ""


def test_admin_saves_of_every_guarded_model_lock_the_event_first(event, chavanne):
    """The admin form's check takes the save's first locks (schedule.edit_guard); the
    clash check and the change marker come after, in the admin's transaction."""
    talk = make_talk(event=event, room=chavanne, title="Keynote")
    speaker = make_speaker(name="Ann")
    TalkSpeaker.objects.create(talk=talk, speaker=speaker, position=0)
    rows = {
        "Event": event,
        "Room": chavanne,
        "Devroom": make_devroom(event, name="Cloud"),
        "Speaker": speaker,
        "Talk": talk,
    }
    for model, _ in guarded_admins():
        row = rows[model.__name__]
        form_class = admin_form(row)
        row = type(row).objects.get(pk=row.pk)
        data = data_as_opened(form_class, row)

        def save(form_class=form_class, data=data, row=row):
            with transaction.atomic():
                form = form_class(data, instance=type(row).objects.get(pk=row.pk))
                assert form.is_valid(), form.errors
                form.save()

        assert first_locked_table(save) == "schedule_event", model


def test_imports_merges_splits_and_releases_lock_the_event_first(event):
    import_bytes(SMALL, event_slug="order-2014")
    talk = Talk.objects.get(slug="ordered")
    ann = talk.speakers.get()
    other = make_speaker(name="Ann B.")
    make_talk(event=talk.event, room=make_room(talk.event), speakers=[other])

    paths = {
        "import": lambda: import_bytes(
            SMALL.replace(b"Ordered", b"Reordered"), event_slug="order-2014"
        ),
        "merge": lambda: merge_speakers(ann, [other]),
        "split": lambda: split_speaker(Speaker.objects.get(pk=ann.pk), [talk], "Ann C."),
        "release": lambda: publish_release(talk.event),
    }
    for name, work in paths.items():
        assert first_locked_table(work) == "schedule_event", name
