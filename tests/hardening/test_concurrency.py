"""Two people booking the same slot at the same moment: exactly one gets it, the other a
clear message, through the ORM and through the admin (SQLite with a file database here,
PostgreSQL in CI's second pass).

The race is forced: each check waits (up to 2 s) for the other to reach it too. Without
locking both would pass the check and both save; with it, the second waits for the first
to commit and then sees its talk."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from talks.models import Talk, TalkSpeaker
from talks.models.integrity import TalkIntegrity
from tests.factories import brussels, make_event, make_room, make_speaker, make_user
from tests.talks.test_admin import talk_form

pytestmark = pytest.mark.django_db(transaction=True)


def forced_race(monkeypatch, method):
    """Make every call of TalkIntegrity.<method> wait for a second caller (2 s at most)."""
    barrier = threading.Barrier(2, timeout=2)
    original = getattr(TalkIntegrity, method)

    def waiting(self, *args, **kwargs):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # the other one is waiting for our lock: go on alone
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TalkIntegrity, method, waiting)


def run_both(work):
    results = []

    def run(n):
        try:
            results.append(work(n))
        except ValidationError as error:
            results.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_orm_saves_of_one_room_slot_book_it_once(monkeypatch):
    event = make_event()
    room = make_room(event, name="Janson")
    forced_race(monkeypatch, "room_conflict")

    def book(n):
        Talk(
            event=event,
            room=room,
            title=f"Talk {n}",
            slug=f"talk-{n}",
            start=brussels(2014, 2, 1, 10),
            end=brussels(2014, 2, 1, 10, 30),
        ).save()
        return "saved"

    results = run_both(book)

    assert sorted(results)[1] == "saved"
    assert results.count("saved") == 1
    assert "Janson is already booked at that time" in sorted(results)[0]
    assert Talk.objects.filter(room=room).count() == 1


def test_one_speaker_added_to_two_overlapping_talks_at_once_gets_one(monkeypatch):
    event = make_event()
    ann = make_speaker(name="Ann")
    talks = [
        Talk.objects.create(
            event=event,
            room=make_room(event),
            title=f"Talk {n}",
            slug=f"talk-{n}",
            start=brussels(2014, 2, 1, 10),
            end=brussels(2014, 2, 1, 10, 30),
        )
        for n in (1, 2)
    ]
    forced_race(monkeypatch, "speaker_conflicts")

    def add(n):
        TalkSpeaker.objects.create(talk=talks[n - 1], speaker=ann)
        return "saved"

    results = run_both(add)

    assert results.count("saved") == 1
    assert any("Ann is already speaking in" in r for r in results)
    assert TalkSpeaker.objects.filter(speaker=ann).count() == 1


def test_two_organisers_adding_talks_in_one_slot_in_the_admin_book_it_once(monkeypatch):
    event = make_event()
    room = make_room(event, name="Janson")
    root = make_user("root", superuser=True)
    forced_race(monkeypatch, "room_conflict")

    def post(n):
        client = Client()
        client.force_login(root)
        data = talk_form(
            event,
            title=f"Talk {n}",
            slug=f"talk-{n}",
            room=room.pk,
            start_0="2014-02-01",
            start_1="10:00",
            end_0="2014-02-01",
            end_1="10:30",
        )
        response = client.post(reverse("admin:talks_talk_add") + f"?event={event.pk}", data)
        if response.status_code == 302:
            return "saved"
        return response.content.decode()

    results = run_both(post)

    assert results.count("saved") == 1
    assert any("Janson is already booked at that time" in r for r in results)
    assert Talk.objects.filter(room=room).count() == 1


def test_two_saves_of_one_talk_at_the_same_moment_lose_no_edit(monkeypatch):
    """Both organisers opened the same version; their saves race (20 times on PostgreSQL,
    where the audit lost an edit in 20 of 20). Each time one is saved, the other is told the
    talk changed (its input kept), never silently overwritten."""
    from talks.admin_forms import TalkAdminForm

    event = make_event()
    room = make_room(event, name="Janson")
    talk = Talk.objects.create(
        event=event,
        room=room,
        title="Original",
        slug="original",
        start=brussels(2014, 2, 1, 10),
        end=brussels(2014, 2, 1, 10, 30),
    )
    root = make_user("root", superuser=True)
    barrier = threading.Barrier(2, timeout=2)
    original = TalkAdminForm.clean_opened_version

    def waiting(self):
        try:
            barrier.wait()  # both have validated the rest of their form
        except threading.BrokenBarrierError:
            pass  # the other holds the lock (or SQLite's write lock): go on alone
        return original(self)

    monkeypatch.setattr(TalkAdminForm, "clean_opened_version", waiting)

    def post(n, trial, opened):
        client = Client()
        client.force_login(root)
        data = talk_form(
            event,
            title=f"Edit {trial}.{n}",
            slug="original",
            room=room.pk,
            start_0="2014-02-01",
            start_1="10:00",
            end_0="2014-02-01",
            end_1="10:30",
            opened_version=opened,
        )
        response = client.post(reverse("admin:talks_talk_change", args=[talk.pk]), data)
        return "saved" if response.status_code == 302 else response.content.decode()

    trials = 20 if connection.vendor == "postgresql" else 3
    for trial in range(trials):
        barrier.reset()
        opened = Talk.objects.get(pk=talk.pk).updated.isoformat()
        results = run_both(lambda n, trial=trial, opened=opened: post(n, trial, opened))

        assert results.count("saved") == 1, (trial, results)
        assert any("changed by someone else" in r for r in results)
        title = Talk.objects.get(pk=talk.pk).title
        assert title in (f"Edit {trial}.1", f"Edit {trial}.2")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="lock_timeout is PostgreSQL's")
def test_a_save_waiting_on_an_import_says_the_schedule_is_busy_not_unreachable():
    """The import holds the talk's row; the organiser's save gives up after lock_timeout
    and its form says that nothing was saved because the schedule is being imported, with
    the organiser's input still in it (never "unreachable", never a lost form)."""
    from django.db import transaction

    event = make_event()
    talk = Talk.objects.create(
        event=event, title="Held", slug="held", start=brussels(2014, 2, 1, 10),
        end=brussels(2014, 2, 1, 10, 30),
    )  # fmt: skip
    holding, release = threading.Event(), threading.Event()

    def importer_holds_the_row():
        with transaction.atomic():
            list(Talk.objects.select_for_update().filter(pk=talk.pk).values("pk"))
            holding.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=importer_holds_the_row)
    thread.start()
    holding.wait(5)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        client = Client(raise_request_exception=False)
        client.force_login(make_user("root", superuser=True))
        data = talk_form(
            event, title="Mine", slug="held", start_0="2014-02-01", start_1="10:00",
            end_0="2014-02-01", end_1="10:30", opened_version=talk.updated.isoformat(),
        )  # fmt: skip
        response = client.post(reverse("admin:talks_talk_change", args=[talk.pk]), data)
    finally:
        release.set()
        thread.join(10)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved: the schedule of this event is being imported" in page
    assert 'value="Mine"' in page  # the organiser's input, kept
    assert "cannot reach its database" not in page
    assert Talk.objects.get(pk=talk.pk).title == "Held"


def test_three_simultaneous_link_rotations_hand_out_one_link_that_works(monkeypatch):
    """Three devices press "Change the link" at once: one gets the new link (which works),
    the others a 409 saying it was just changed; no device is handed a dead link."""
    from schedule.live import agendas

    event = make_event()
    Talk.objects.create(event=event, title="Keynote", slug="keynote")
    from tests.live.test_agendas import creation_token

    browser = Client()
    created = browser.post(
        f"/{event.slug}/agenda/",
        {"talks": ["keynote"], "creation": creation_token(browser, event)},
        content_type="application/json",
    )
    page = created.json()["urls"]["page"]
    barrier = threading.Barrier(3, timeout=2)
    original = agendas.rotate

    def waiting(agenda, token):
        try:
            barrier.wait()  # all three have found the agenda by the old link
        except threading.BrokenBarrierError:
            pass
        return original(agenda, token)

    monkeypatch.setattr(agendas, "rotate", waiting)
    results = []

    def rotate(n):
        response = Client().post(f"{page}rotate/", content_type="application/json")
        results.append(response)
        connection.close()

    threads = [threading.Thread(target=rotate, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409, 409], codes
    (winner,) = [r.json() for r in results if r.status_code == 200]
    assert Client().get(winner["urls"]["json"]).status_code == 200
    assert Client().get(page).status_code == 404


def test_two_volunteers_first_taps_on_a_room_at_once_record_each_others_state(monkeypatch):
    """The room has never been marked. One volunteer taps Full, another Evacuate, at once:
    the second change records the first's state as its previous one, so Undo restores
    what the room was, not "open"."""
    from schedule.live import room_status
    from schedule.live.models import RoomState, RoomStatusChange

    event = make_event()
    room = make_room(event, name="Janson")
    user = make_user("volunteer")
    barrier = threading.Barrier(2, timeout=2)
    original = room_status.locked_status

    def waiting(room, now):
        try:
            barrier.wait()  # both are about to read the room's state
        except threading.BrokenBarrierError:
            pass
        return original(room, now)

    monkeypatch.setattr(room_status, "locked_status", waiting)
    results = []

    def tap(state):
        try:
            results.append(room_status.set_state(room, state, user))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=tap, args=(state,))
        for state in (RoomState.FULL, RoomState.EVACUATE)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    first, second = RoomStatusChange.objects.order_by("pk")
    assert first.previous == RoomState.OPEN
    assert second.previous == first.state  # was "open" for both before
