"""Twenty organisers save talks while a new version of FOSDEM 2025 is being imported: no
deadlock, no raw error, and no edit lost or reverted. Each save either goes through (and
survives the import) or is refused with a message that keeps the organiser's input; the
import finishes and every talk carries the file's new abstract.

Runs on both databases: on PostgreSQL the writers take row locks (schedule.locks' order),
on SQLite the database's write lock."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from schedule.interchange.importers import import_bytes
from talks.models import Talk
from tests.factories import make_user
from tests.schedule.conftest import shared_data_dir
from tests.talks.test_admin import talk_form

pytestmark = pytest.mark.django_db(transaction=True)
SAVES = 20


def form_of(talk: Talk, title: str, opened: str) -> dict:
    local = talk.event.tzinfo
    return talk_form(
        talk.event,
        title=title,
        slug=talk.slug,
        kind=talk.kind,
        language=talk.language,
        room=talk.room_id or "",
        devroom=talk.devroom_id or "",
        start_0=f"{talk.start.astimezone(local):%Y-%m-%d}",
        start_1=f"{talk.start.astimezone(local):%H:%M}",
        end_0=f"{talk.end.astimezone(local):%Y-%m-%d}",
        end_1=f"{talk.end.astimezone(local):%H:%M}",
        abstract=talk.abstract,
        description=talk.description,
        opened_version=opened,
    )


def test_twenty_admin_saves_during_an_import_lose_nothing():
    data = shared_data_dir()
    if data is None:
        pytest.skip("Real schedules not found (set SCHEDULE_TEST_DATA to shared/data)")
    original = (data / "real" / "fosdem" / "fosdem-2025-schedule.xml").read_bytes()
    import_bytes(original, event_slug="fosdem-2025")
    # The new version changes the event (its venue) as well as every abstract.
    newer = original.replace(b"<abstract>", b"<abstract>Updated. ").replace(
        b"<venue>ULB (Universit", b"<venue>ULB, Campus du Solbosch (Universit", 1
    )
    root = make_user("root", superuser=True)
    talks = list(Talk.objects.filter(start__isnull=False).order_by("pk")[::40][:SAVES])
    opened = {t.pk: t.updated.isoformat() for t in talks}  # the forms are open

    importing = threading.Event()
    outcome = {}

    def slowly(items):
        for n, item in enumerate(items):
            if n == 100:
                importing.set()  # the saves start while the import is half-way
                time.sleep(0.5)
            yield item

    def run_import():
        try:
            outcome["import"] = import_bytes(newer, event_slug="fosdem-2025", progress=slowly)
        except Exception as error:  # noqa: BLE001 (the test reports it)
            outcome["import"] = error
        finally:
            importing.set()
            connection.close()

    def save(talk):
        client = Client(raise_request_exception=False)
        client.force_login(root)
        url = reverse("admin:talks_talk_change", args=[talk.pk])
        importing.wait(30)
        response = client.post(url, form_of(talk, f"Edited {talk.pk}", opened[talk.pk]))
        outcome[talk.pk] = (response.status_code, response.content.decode())
        connection.close()

    threads = [threading.Thread(target=run_import)]
    threads += [threading.Thread(target=save, args=(t,)) for t in talks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert not isinstance(outcome["import"], Exception), outcome["import"]
    saved = 0
    for talk in talks:
        status, page = outcome[talk.pk]
        now = Talk.objects.get(pk=talk.pk)
        assert now.abstract.startswith("Updated."), talk.pk  # the import was not reverted
        if status == 302:
            saved += 1
            assert now.title == f"Edited {talk.pk}"  # the save was not reverted by the import
        else:
            assert status == 200, (talk.pk, status, page[:300])
            assert "changed by someone else" in page or "being imported" in page
            assert f'value="Edited {talk.pk}"' in page  # the input is kept
            assert now.title == talk.title
