"""Database down: pages already cached are still served; the rest is a 503 with
Retry-After, never a traceback; everything works again once the database is back."""

import time

import pytest
from django.db import OperationalError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from schedule.project.settings_services import caches_from_url
from tests.factories import make_talk


def unreachable(self):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.django_db
def test_database_down_cached_pages_200_others_503_then_recovers(
    event, chavanne, monkeypatch, settings
):
    settings.SCHEDULE_DATABASE_PAUSE_SECONDS = 0.3
    talk = make_talk(room=chavanne, title="Autoscaling")
    client = Client(raise_request_exception=False)
    home = reverse("schedule:event", args=[event.slug])
    assert client.get(home).status_code == 200  # now cached

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", unreachable)
        cached = client.get(home)
        uncached = client.get(talk.get_absolute_url())

    assert cached.status_code == 200
    assert uncached.status_code == 503
    assert uncached["Retry-After"] == "30"
    assert "Back in a moment" in uncached.content.decode()
    assert "Traceback" not in uncached.content.decode()
    time.sleep(0.35)  # the pause after a failure (below)
    assert client.get(talk.get_absolute_url()).status_code == 200  # recovered


@pytest.mark.django_db(transaction=True)
def test_after_one_failure_the_next_requests_get_the_503_without_waiting(
    event, chavanne, monkeypatch, settings
):
    """Against a database that accepts and never answers, each connection attempt costs a
    worker 2 s; after one, this process answers the requests that need the database at
    once for SCHEDULE_DATABASE_PAUSE_SECONDS, and cached pages as before."""
    settings.SCHEDULE_DATABASE_PAUSE_SECONDS = 0.5
    # Without a shared cache a marker is kept half a second: on a busy machine the home
    # page's would expire before it is asked again, and reading it needs the database.
    monkeypatch.setattr("schedule.caching.marker_reads.marker_seconds", lambda: 300)
    talk = make_talk(room=chavanne, title="Autoscaling")
    client = Client(raise_request_exception=False)
    home = reverse("schedule:event", args=[event.slug])
    client.get(home)
    attempts = []

    def hanging(self, params):
        attempts.append(1)
        raise OperationalError("connection timeout expired")

    with monkeypatch.context() as patch:
        django_backend = type(connections["default"]).__mro__[2]  # after ours and the pause
        patch.setattr(django_backend, "get_new_connection", hanging)
        connection.close()  # the database went away: the next query connects
        assert client.get(talk.get_absolute_url()).status_code == 503
        tried = len(attempts)
        answers = [client.get(talk.get_absolute_url()) for _ in range(5)]
        assert client.get(home).status_code == 200  # cached: answered as before
        assert len(attempts) == tried  # nobody waited for another attempt
        assert {a.status_code for a in answers} == {503}
        assert {a["Retry-After"] for a in answers} == {"30"}
        time.sleep(0.55)
        assert client.get(talk.get_absolute_url()).status_code == 503
        assert len(attempts) > tried  # after the pause, a request tries again
    time.sleep(0.55)
    assert client.get(talk.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_real_bug_is_still_a_500(event, monkeypatch):
    client = Client(raise_request_exception=False)

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("schedule.pages.event_views.EventView.get_context_data", broken)
    response = client.get(reverse("schedule:event", args=[event.slug]))

    assert response.status_code == 500


@pytest.mark.django_db
def test_with_the_cache_down_a_process_keeps_serving_what_it_built(client, monkeypatch):
    """Redis down: a body built once is served again from the process (not rebuilt per
    request); an edit is built once and served at once."""
    from django.test import override_settings

    from schedule.caching import access, bodies
    from tests.factories import make_event, make_talk

    event = make_event(slug="outage-2014")
    talk = make_talk(event=event, title="Before")
    url = f"/{event.slug}/talks/{talk.slug}/"
    builds = []
    real_build = bodies.build_entry
    monkeypatch.setattr(bodies, "build_entry", lambda *a: builds.append(1) or real_build(*a))
    dead = caches_from_url("redis://127.0.0.1:1/0", 0.5)
    with override_settings(CACHES=dead):
        assert "Before" in client.get(url).content.decode()
        assert "Before" in client.get(url).content.decode()
        assert len(builds) == 1
        assert access.cache_down()
        talk.title = "After"
        talk.save()
        assert "After" in client.get(url).content.decode()
        assert "After" in client.get(url).content.decode()
        assert len(builds) == 2
    bodies.local_copies().clear()
