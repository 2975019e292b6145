"""Imports respect organisers' edits, give guid-less files stable identities, and can be
reverted."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from schedule.interchange.importers import import_bytes
from schedule.interchange.models import ImportRun
from schedule.interchange.revert import RevertRefused, last_import, revert_import
from schedule.models import Devroom, Event, Room
from talks.models import PersonId, Speaker, Talk, TalkLink, TalkSpeaker
from tests.factories import make_user
from tests.talks.test_admin import talk_form


def event_xml(eid, title, start="10:00", persons=(), room="Hall", duration="00:30", links=""):
    people = "".join(f'<person id="{pid}">{name}</person>' for pid, name in persons)
    return (
        f'<event id="{eid}"><start>{start}</start><duration>{duration}</duration>'
        f"<room>{room}</room><title>{title}</title><track>Main</track><type>devroom</type>"
        f"<persons>{people}</persons><links>{links}</links></event>"
    )


def schedule(*events, day="2020-02-01"):
    return (
        "<schedule><conference><acronym>fosdem-2020</acronym><title>FOSDEM 2020</title>"
        f"<start>{day}</start><end>{day}</end><time_zone_name>Europe/Brussels</time_zone_name>"
        f'</conference><day date="{day}" index="1"><room name="Hall">'
        + "".join(events)
        + "</room></day></schedule>"
    ).encode()


FILE = schedule(
    event_xml(11, "Kernel news", "10:00", [(1, "Ada Lovelace")]),
    event_xml(12, "Compilers", "11:00", [(2, "Grace Hopper")]),
    event_xml(13, "Databases", "12:00", [(3, "Edgar Codd")]),
)


def snapshot() -> dict:
    """The programme as attendees see it: talks, people, credits, links, places."""
    return {
        "talks": sorted(
            Talk.objects.values_list("guid", "title", "start", "end", "room__name", "status")
        ),
        "people": sorted(Speaker.objects.values_list("pk", "name", "slug", "bio")),
        "credits": sorted(
            TalkSpeaker.objects.values_list("talk__guid", "speaker_id", "credited_as", "position")
        ),
        "links": sorted(TalkLink.objects.values_list("talk__guid", "url", "title")),
        "ids": sorted(PersonId.objects.values_list("series", "number", "speaker_id")),
        "rooms": sorted(Room.objects.values_list("name", "slug")),
        "devrooms": sorted(Devroom.objects.values_list("name", "slug")),
    }


# -- stable identities -------------------------------------------------------------------


@pytest.mark.django_db
def test_two_fresh_databases_give_a_guidless_file_the_same_guids_and_uids(real_data):
    data = (real_data / "fosdem/fosdem-2007-schedule.xml").read_bytes()
    import_bytes(data)
    first = dict(Talk.objects.values_list("guid", "uid"))
    assert len(first) == 215
    Talk.objects.all().delete()  # as empty as a new database
    Event.objects.all().delete()
    Speaker.objects.all().delete()

    import_bytes(data)

    assert dict(Talk.objects.values_list("guid", "uid")) == first


@pytest.mark.django_db
def test_the_series_never_comes_from_an_ip_address():
    data = FILE.replace(b"</acronym>", b"</acronym><base_url>http://10.0.0.1/</base_url>")
    import_bytes(data)
    assert Event.objects.get().series == "fosdem"


# -- organisers' edits -----------------------------------------------------------------


@pytest.fixture
def organiser(client, db):
    client.force_login(make_user("organiser", superuser=True))
    return client


def admin_edit(client, talk, **changes):
    local = talk.local_start
    end = talk.local_end
    data = talk_form(
        talk.event,
        title=talk.title,
        slug=talk.slug,
        kind=talk.kind,
        room=talk.room_id,
        devroom=talk.devroom_id or "",
        start_0=f"{local:%Y-%m-%d}",
        start_1=f"{local:%H:%M}",
        end_0=f"{end:%Y-%m-%d}",
        end_1=f"{end:%H:%M}",
        opened_version=talk.updated.isoformat(),
    )
    entries = list(talk.talk_speakers.all())
    data["talk_speakers-TOTAL_FORMS"] = data["talk_speakers-INITIAL_FORMS"] = str(len(entries))
    for index, entry in enumerate(entries):
        data[f"talk_speakers-{index}-id"] = entry.pk
        data[f"talk_speakers-{index}-talk"] = talk.pk
        data[f"talk_speakers-{index}-speaker"] = entry.speaker_id
        data[f"talk_speakers-{index}-position"] = entry.position
        data[f"talk_speakers-{index}-credited_as"] = entry.credited_as
    data |= changes
    if data.get("is_draft") is False:
        del data["is_draft"]
    response = client.post(reverse("admin:talks_talk_change", args=[talk.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.django_db
def test_reimports_keep_organisers_edits_and_list_real_conflicts(organiser):
    import_bytes(FILE)
    kernel, compilers, databases = (Talk.objects.get(frab_id=i) for i in (11, 12, 13))
    admin_edit(organiser, kernel, start_1="10:30", end_1="11:00")  # moved by half an hour
    admin_edit(organiser, compilers, title="Compilers, revisited")
    admin_edit(organiser, databases, is_draft="on")

    unchanged = import_bytes(FILE)

    assert not unchanged.conflicts
    assert unchanged.updated["talks"] == 0
    kernel, compilers, databases = (Talk.objects.get(frab_id=i) for i in (11, 12, 13))
    assert f"{kernel.local_start:%H:%M}" == "10:30"
    assert compilers.title == "Compilers, revisited"
    assert databases.is_draft

    changed = FILE.replace(b"<start>10:00</start>", b"<start>09:30</start>")
    changed = changed.replace(b"<title>Compilers</title>", b"<title>Compilers today</title>")
    changed = changed.replace(b"Databases", b"Relational databases")
    report = import_bytes(changed)

    kernel, compilers, databases = (Talk.objects.get(frab_id=i) for i in (11, 12, 13))
    assert f"{kernel.local_start:%H:%M}" == "10:30"  # the organiser's time stays
    assert compilers.title == "Compilers, revisited"
    assert databases.title == "Relational databases"  # not edited here: the file's change
    assert databases.is_draft  # files carry no draft flag: never touched
    conflicts = {(c.talk_title, c.field) for c in report.conflicts}
    assert conflicts == {
        ("Kernel news", "start"),
        ("Kernel news", "end"),
        ("Compilers, revisited", "title"),
    }
    summary = "\n".join(report.lines())
    assert "“Kernel news” start: file says Sat 09:30, organiser set Sat 10:30" in summary
    assert summary.index("organiser edits kept") < summary.index("updated:")

    import_bytes(changed, prefer_file=True)
    assert Talk.objects.get(frab_id=12).title == "Compilers today"


# -- revert ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_reverting_an_import_restores_the_programme_and_moves_sequence_forward():
    import_bytes(FILE)
    before = snapshot()
    marker = Event.objects.get().changed
    sequences = dict(Talk.objects.values_list("frab_id", "sequence"))
    newer = schedule(
        event_xml(11, "Kernel news", "10:00", [(1, "Ada King")]),  # another person
        event_xml(12, "Compilers", "15:00", [(2, "Grace Hopper")], room="Annex"),  # moved
        event_xml(14, "Networks", "13:00", [(4, "Vint Cerf")]),  # new
        event_xml(
            13,
            "Databases",
            "12:00",
            [(3, "Edgar Codd")],
            links='<link href="https://x.org">X</link>',
        ),
    )
    import_bytes(newer, replace=True)
    assert snapshot() != before

    done = revert_import(last_import(Event.objects.get()))

    assert snapshot() == before
    assert done
    event = Event.objects.get()
    assert event.changed > marker
    moved = Talk.objects.get(frab_id=12)
    assert moved.sequence > sequences[12]  # calendar clients see it move back


@pytest.mark.django_db
def test_a_revert_restores_talks_deleted_and_speakers_renamed():
    import_bytes(schedule(event_xml(11, "Kernel news", persons=[(1, "Ada Lovelace")])))
    import_bytes(FILE)
    before = snapshot()
    import_bytes(
        schedule(event_xml(11, "Kernel news", persons=[(1, "ADA LOVELACE")])), replace=True
    )
    assert Speaker.objects.filter(name="ADA LOVELACE").exists()  # respelled by the newest
    assert Talk.objects.count() == 1

    revert_import(last_import(Event.objects.get()))

    assert snapshot() == before


@pytest.mark.django_db
def test_a_revert_after_later_edits_is_refused_and_names_them(organiser):
    import_bytes(FILE)
    import_bytes(FILE.replace(b"Compilers", b"Compilers today"))
    talk = Talk.objects.get(frab_id=12)
    admin_edit(organiser, talk, title="Compilers, by hand")

    with pytest.raises(RevertRefused, match="Compilers, by hand"):
        revert_import(last_import(Event.objects.get()))
    with pytest.raises(CommandError, match="Compilers, by hand"):
        call_command("revert_import", "fosdem-2020")

    assert Talk.objects.get(frab_id=12).title == "Compilers, by hand"


@pytest.mark.django_db
def test_reverting_the_first_import_removes_the_event_and_its_people():
    import_bytes(FILE)

    call_command("revert_import", "fosdem-2020", verbosity=0)

    assert (Event.objects.count(), Talk.objects.count(), Speaker.objects.count()) == (0, 0, 0)
    assert ImportRun.objects.count() == 0  # the history went with the event


@pytest.mark.django_db
def test_every_import_is_in_the_history_with_its_summary(real_data):
    import_bytes(FILE, file_name="schedule.xml")
    run = ImportRun.objects.get()
    assert run.file_name == "schedule.xml"
    assert run.summary.startswith("Imported FOSDEM 2020")
    assert len(run.file_sha256) == 64
    assert run.undo["created"]["talks"]
    assert dt.datetime.now(dt.UTC) - run.at < dt.timedelta(minutes=5)


@pytest.mark.django_db
def test_an_edit_saved_while_an_import_runs_is_decided_on_not_overwritten(monkeypatch):
    from schedule.interchange import sessions

    import_bytes(FILE)
    loaded = sessions.TalkMatcher.__init__

    def organiser_saves_after_the_import_read(self, *args, **kwargs):
        loaded(self, *args, **kwargs)
        # The organiser's save lands after the import read the talks, before it writes.
        talk = Talk.objects.get(frab_id=12)
        talk.title = "Compilers, by hand"
        talk.save()

    monkeypatch.setattr(sessions.TalkMatcher, "__init__", organiser_saves_after_the_import_read)
    report = import_bytes(FILE.replace(b"<title>Compilers</title>", b"<title>Compilers 2</title>"))

    assert Talk.objects.get(frab_id=12).title == "Compilers, by hand"
    assert [(c.field, c.kept) for c in report.conflicts] == [("title", "Compilers, by hand")]


@pytest.mark.django_db
def test_choosing_another_speaker_in_the_admin_drops_the_old_credit(organiser):
    import_bytes(FILE)
    talk = Talk.objects.get(frab_id=11)
    other = Speaker.objects.get(name="Grace Hopper")
    entry = talk.talk_speakers.get()

    admin_edit(organiser, talk, **{"talk_speakers-0-speaker": other.pk})

    entry.refresh_from_db()
    assert (entry.speaker_id, entry.credited_as) == (other.pk, "")
    assert [s.name for s in Talk.objects.get(pk=talk.pk).ordered_speakers] == ["Grace Hopper"]
