"""Importing real schedule.xml / schedule.json files, leniently and atomically."""

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from schedule.interchange.frab_reader import ScheduleFormatError
from schedule.interchange.importers import ImportRefused, import_bytes, import_file
from schedule.models import Devroom, Event, Room
from talks.models import Speaker, Talk
from tests.factories import make_user
from tests.schedule.test_frab_export import assert_valid_json, assert_valid_xml

REAL_FILES = {
    # file: (event slug, zone, talks, rooms, devrooms, speakers). One speaker per person id:
    # FOSDEM 2007 gives each appearance its own id (244 ids for 204 names).
    "fosdem/fosdem-2007-schedule.xml": ("fosdem-2007", "Europe/Brussels", 215, 18, 25, 244),
    "fosdem/fosdem-2024-schedule.xml": ("fosdem-2024", "Europe/Brussels", 674, 32, 66, 738),
    "fosdem/fosdem-2025-schedule.xml": ("fosdem-2025", "Europe/Brussels", 943, 40, 74, 992),
    "fosdem/fosdem-2026-schedule.xml": ("fosdem-2026", "Europe/Brussels", 883, 30, 70, 927),
    "other/debconf23-schedule.xml": ("debconf23", "Asia/Kolkata", 117, 5, 12, 87),
    "ccc/camp2019-frab-schedule.json": ("camp2019", "Europe/Berlin", 79, 2, 7, 90),
    "ccc/rc3-2020-pretalx-schedule.json": ("rc3-channels-2020", "Europe/Brussels", 48, 5, 5, 56),
}


def counts():
    return (
        Event.objects.count(),
        Talk.objects.count(),
        Room.objects.count(),
        Devroom.objects.count(),
        Speaker.objects.count(),
    )


def row(talk):
    return (
        talk.title,
        talk.local_start.strftime("%Y-%m-%d %H:%M %Z"),
        talk.local_end.strftime("%H:%M"),
        talk.room.name if talk.room else None,
        talk.devroom.name if talk.devroom else None,
        [s.name for s in talk.ordered_speakers],
    )


@pytest.mark.parametrize("name", sorted(REAL_FILES))
@pytest.mark.django_db
def test_real_schedules_import_with_their_counts_and_export_valid_files(client, real_data, name):
    slug, zone, talks, rooms, devrooms, speakers = REAL_FILES[name]

    report = import_file(real_data / name)

    event = Event.objects.get()
    assert (event.slug, event.timezone) == (slug, zone)
    assert counts() == (1, talks, rooms, devrooms, speakers)
    assert report.created["talks"] == talks
    assert_valid_xml(client.get(reverse("exports:xml", args=[slug])).content)
    assert_valid_json(client.get(reverse("exports:json", args=[slug])).content)


def test_every_real_schedule_is_in_the_import_test(real_data):
    found = {
        str(path.relative_to(real_data))
        for path in real_data.glob("*/*")
        if path.suffix in (".xml", ".json")
    }

    assert found == set(REAL_FILES)


@pytest.mark.django_db
def test_fosdem_2026_spot_checks(real_data):
    import_file(real_data / "fosdem/fosdem-2026-schedule.xml")

    welcome = Talk.objects.for_schedule().get(guid="9c3ebb8c-7716-5130-b9fe-ff8544f5636d")
    assert row(welcome) == (
        "Welcome to FOSDEM 2026",
        "2026-01-31 09:30 CET",
        "09:50",
        "Janson",
        "Main Track",
        ["FOSDEM Staff"],
    )
    assert welcome.slug == "sfkntz-welcome_to_fosdem_2026"
    assert welcome.frab_id == 8376
    assert welcome.start == dt.datetime(2026, 1, 31, 8, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_fosdem_2007_without_room_wrappers_or_ids_gets_local_times(real_data):
    import_file(real_data / "fosdem/fosdem-2007-schedule.xml")

    aiglx = Talk.objects.for_schedule().get(title="AIGLX")
    assert row(aiglx) == (
        "AIGLX",
        "2007-02-25 15:00 CET",
        "15:45",
        "Chavanne",
        "Desktop Applications",
        ["Kristian Høgsberg"],
    )
    assert aiglx.links.get().url == "http://video.fosdem.org/2007/FOSDEM2007-AIGLX.ogg"


@pytest.mark.django_db
def test_debconf_days_given_in_utc_are_placed_in_kolkata_time(real_data):
    import_file(real_data / "other/debconf23-schedule.xml")

    opening = Talk.objects.for_schedule().get(title="Opening Ceremony")
    assert row(opening) == (
        "Opening Ceremony",
        "2023-09-10 10:30 IST",
        "10:50",
        "Anamudi",
        "Community, diversity, local outreach and social context",
        ["Sruthi Chandran"],
    )


@pytest.mark.django_db
def test_camp_json_relative_urls_are_made_absolute(real_data):
    report = import_file(real_data / "ccc/camp2019-frab-schedule.json")

    urls = [link.url for t in Talk.objects.all() for link in t.links.all()]
    assert all(url.startswith(("http://", "https://")) for url in urls)
    assert report.repairs["relative URL made absolute"] == 12 + 28  # attachments, logos
    assert report.repairs["upper-case slug lower-cased"] == 79


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(real_data):
    path = real_data / "fosdem/fosdem-2024-schedule.xml"
    import_file(path)
    before = list(
        Talk.objects.order_by("pk").values_list("pk", "slug", "start", "sequence", "updated")
    )

    report = import_file(path)

    after = list(
        Talk.objects.order_by("pk").values_list("pk", "slug", "start", "sequence", "updated")
    )
    assert after == before
    assert (dict(report.created), dict(report.updated)) == ({}, {})
    assert report.unchanged["talks"] == 674


@pytest.mark.django_db
def test_newer_version_moves_a_talk_and_bumps_its_sequence(real_data):
    original = (real_data / "fosdem/fosdem-2026-schedule.xml").read_bytes()
    import_file(real_data / "fosdem/fosdem-2026-schedule.xml")
    guid = "8ce3ffa3-2053-5f4d-8fc4-f223e5859a53"
    moved = original.replace(
        b'<event guid="8ce3ffa3-2053-5f4d-8fc4-f223e5859a53" id="7886">\n'
        b"        <date>2026-01-31T10:00:00+01:00</date>\n        <start>10:00</start>",
        b'<event guid="8ce3ffa3-2053-5f4d-8fc4-f223e5859a53" id="7886">\n'
        b"        <date>2026-01-31T16:00:00+01:00</date>\n        <start>16:00</start>",
    )
    assert moved != original

    report = import_bytes(moved)

    talk = Talk.objects.get(guid=guid)
    assert talk.local_start.strftime("%H:%M") == "16:00"
    assert talk.sequence == 1
    assert report.updated["talks"] == 1
    assert Talk.objects.exclude(guid=guid).filter(sequence__gt=0).count() == 0


@pytest.mark.django_db
def test_speakers_are_matched_across_events(real_data):
    import_file(real_data / "fosdem/fosdem-2025-schedule.xml")
    import_file(real_data / "fosdem/fosdem-2026-schedule.xml")

    both = (
        Speaker.objects.filter(talks__event__slug="fosdem-2025")
        .filter(talks__event__slug="fosdem-2026")
        .distinct()
    )
    assert both.count() > 100
    assert Speaker.objects.filter(slug="fosdem-staff").count() == 1


@pytest.mark.django_db
def test_round_trip_real_fosdem_export_import_gives_the_same_programme(client, real_data):
    import_file(real_data / "fosdem/fosdem-2025-schedule.xml")
    original = sorted(row(t) for t in Talk.objects.for_schedule())
    exported = client.get(reverse("exports:xml", args=["fosdem-2025"])).content
    exported_json = client.get(reverse("exports:json", args=["fosdem-2025"])).content
    assert_valid_xml(exported)
    assert_valid_json(exported_json)
    for model in (Talk, Speaker, Room, Devroom, Event):
        model.objects.all().delete()

    import_bytes(exported, event_slug="fosdem-2025")

    assert sorted(row(t) for t in Talk.objects.for_schedule()) == original
    assert len(original) == 943


@pytest.mark.django_db
def test_cancelled_talk_survives_export_and_reimport(client, real_data):
    import_file(real_data / "ccc/camp2019-frab-schedule.json")
    talk = Talk.objects.order_by("start").first()
    talk.set_status(Talk.Status.CANCELLED)
    exported = client.get(reverse("exports:json", args=["camp2019"])).content
    talk.set_status(Talk.Status.CONFIRMED)

    import_bytes(exported, event_slug="camp2019")

    talk.refresh_from_db()
    assert (talk.status, talk.title) == ("cancelled", "Opening Ceremony")


# -- broken input: a clear error and an unchanged database --------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<schedule><conference><title>&lol3;</title></conference></schedule>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE s [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<schedule><conference><title>&secret;</title></conference></schedule>"""


def xml_schedule(event: str) -> bytes:
    return f"""<schedule><version>1</version><conference><title>Broken Con</title>
    <acronym>broken</acronym><start>2014-02-01</start><end>2014-02-01</end></conference>
    <day date="2014-02-01" index="1"><room name="Hall">
    <event id="1"><start>10:00</start><duration>00:30</duration><room>Hall</room>
    <title>Fine talk</title></event>{event}</room></day></schedule>""".encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<schedule><conference><title>Cut", "The XML is not well-formed at line 1"),
        (BILLION_LAUGHS, "entities or external references, which are refused"),
        (EXTERNAL_ENTITY, "entities or external references, which are refused"),
        (
            b'{"schedule": {"conference": {"days": {"not": "a list"}}}}',
            "$.schedule.conference.days must be a JSON list, but it is a dict.",
        ),
        (b'{"schedule": []}', "$.schedule must be a JSON dict, but it is a list."),
        (b"[1, 2, 3]", "$ must be a JSON dict, but it is a list."),
        (b'{"schedule": ', "The JSON is not valid at line 1"),
        (b"BEGIN:VCALENDAR", "neither XML nor JSON"),
        (
            xml_schedule(
                '<event id="2"><start>25:99</start><duration>00:30</duration>'
                "<title>Bad start</title></event>"
            ),
            "<event id=2> (“Bad start”): start “25:99” is not a time.",
        ),
        (
            xml_schedule(
                '<event id="3"><date>not-a-date</date><duration>00:30</duration>'
                "<title>Bad date</title></event>"
            ),
            "<event id=3> (“Bad date”): date “not-a-date” is not a date-time.",
        ),
        (
            xml_schedule(
                '<event id="4"><start>11:00</start><duration>half an hour</duration>'
                "<title>Bad duration</title></event>"
            ),
            "<event id=4> (“Bad duration”): duration “half an hour” is not like 00:30.",
        ),
        (
            xml_schedule(
                '<event id="5"><start>11:00</start><duration>00:30</duration>'
                "<title> </title></event>"
            ),
            "<event id=5> (“”): the talk has no title.",
        ),
        (
            xml_schedule('<event id="6"><duration>00:30</duration><title>No start</title></event>'),
            "<event id=6> (“No start”): no usable start",
        ),
    ],
)
@pytest.mark.django_db
def test_broken_files_fail_with_a_clear_message_and_change_nothing(seeded_counts, data, message):
    with pytest.raises(ScheduleFormatError) as error:
        import_bytes(data)

    assert message in str(error.value)
    assert counts() == seeded_counts


@pytest.fixture
def seeded_counts(db):
    call_command("loaddata", "demo", verbosity=0)
    return counts()


@pytest.mark.django_db
def test_oversized_file_is_refused_before_parsing(settings, seeded_counts):
    settings.SCHEDULE_IMPORT_MAX_BYTES = 100

    with pytest.raises(ImportRefused, match="the limit is 100"):
        import_bytes(xml_schedule(""))

    assert counts() == seeded_counts


@pytest.mark.django_db
def test_lenient_repairs_are_reported(seeded_counts):
    data = xml_schedule(
        '<event id="2"><start>11:00</start><duration>0:05</duration><title>Short</title>'
        '<slug>UPPER-Case</slug><persons><person id="9"> </person></persons>'
        "<unknown_element/></event>"
    )

    report = import_bytes(data)

    short = Talk.objects.get(title="Short")
    assert (short.duration_minutes, short.slug) == (5, "upper-case")
    assert report.repairs["upper-case slug lower-cased"] == 1
    assert report.repairs["empty person skipped"] == 1
    assert report.repairs["start computed from day and local time (no <date>)"] == 2


@pytest.mark.django_db
def test_control_characters_in_an_imported_file_are_removed():
    data = mini_schedule("Nul\u0000 and bell\u0007 in a title").encode()

    report = import_bytes(data)

    assert Talk.objects.get().title == "Nul and bell in a title"
    assert report.repairs["control characters removed"] == 1


@pytest.mark.django_db
def test_overlapping_talks_in_a_room_are_kept_and_reported():
    data = mini_schedule("First", "Second").replace("T11:00", "T10:15").encode()

    report = import_bytes(data)

    assert Talk.objects.count() == 2
    assert report.repairs["talks double-booked in the file, kept and flagged"] == 2
    assert set(Talk.objects.filter(kept_clash=True).values_list("title", flat=True)) == {
        "First",
        "Second",
    }
    assert report.clashes == ["First", "Second"]
    assert any("“First”; “Second”" in line for line in report.lines())


# -- command and admin ---------------------------------------------------------------------


@pytest.mark.django_db
def test_command_dry_run_reports_and_saves_nothing(real_data):
    out = StringIO()

    call_command(
        "import_schedule",
        str(real_data / "ccc/rc3-2020-pretalx-schedule.json"),
        "--dry-run",
        stdout=out,
    )

    assert counts() == (0, 0, 0, 0, 0)
    assert "Would import rC3 Channels (rc3-channels-2020), series rc3." in out.getvalue()
    assert "created: 5 devrooms, 1 events, 5 rooms, 56 speakers, 48 talks" in out.getvalue()


def mini_schedule(*titles) -> str:
    events = [
        {
            "guid": f"{n:08d}-1111-4111-8111-111111111111",
            "id": n,
            "title": title,
            "date": f"2014-02-01T{9 + n:02d}:00:00+01:00",
            "duration": "00:30",
            "room": "Hall",
        }
        for n, title in enumerate(titles, start=1)
    ]
    return json.dumps(
        {
            "schedule": {
                "version": "1",
                "conference": {
                    "acronym": "mini",
                    "title": "Mini",
                    "start": "2014-02-01",
                    "end": "2014-02-01",
                    "time_zone_name": "Europe/Brussels",
                    "days": [{"index": 1, "date": "2014-02-01", "rooms": {"Hall": events}}],
                },
            }
        }
    )


@pytest.mark.django_db
def test_command_replace_removes_talks_missing_from_the_file(tmp_path):
    path = tmp_path / "mini.json"
    path.write_text(mini_schedule("Keep", "Drop"))
    call_command("import_schedule", str(path), stdout=StringIO())
    path.write_text(mini_schedule("Keep"))
    out = StringIO()

    call_command("import_schedule", str(path), "--replace", stdout=out)

    assert list(Talk.objects.values_list("title", flat=True)) == ["Keep"]
    assert "deleted: 1 talks" in out.getvalue()


@pytest.mark.django_db
def test_command_names_the_problem_and_says_nothing_was_imported(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<schedule><conference>")

    with pytest.raises(CommandError, match="not well-formed.*Nothing was imported"):
        call_command("import_schedule", str(path))


@pytest.mark.django_db
def test_admin_upload_previews_then_imports(client, real_data):
    client.force_login(make_user("root", superuser=True))
    url = reverse("admin:schedule_event_import")
    path = real_data / "ccc/rc3-2020-pretalx-schedule.json"

    with path.open("rb") as upload:
        preview = client.post(url, {"file": upload, "dry_run": "on", "event_slug": "rc3"})
    assert counts() == (0, 0, 0, 0, 0)
    page = preview.content.decode()
    assert "Would import rC3 Channels" in page
    assert page.index("Would import") < page.index("Import this file")
    staged = preview.context["staged"]

    # "Import this file": no second upload, the preview's options kept.
    done = client.post(url, {"staged": staged.pk, "event_slug": "rc3"})

    assert done.status_code == 302
    assert Talk.objects.filter(event__slug="rc3").count() == 48
    assert not type(staged).objects.exists()  # the kept copy is gone once imported
    again = client.post(url, {"staged": staged.pk, "event_slug": "rc3"})
    assert "no longer kept" in again.content.decode()


@pytest.mark.django_db
def test_a_staged_file_is_only_its_uploaders(client, real_data):
    path = real_data / "ccc/rc3-2020-pretalx-schedule.json"
    client.force_login(make_user("first", superuser=True))
    with path.open("rb") as upload:
        preview = client.post(
            reverse("admin:schedule_event_import"), {"file": upload, "dry_run": "on"}
        )
    client.force_login(make_user("second", superuser=True))

    response = client.post(
        reverse("admin:schedule_event_import"), {"staged": preview.context["staged"].pk}
    )

    assert "no longer kept" in response.content.decode()
    assert Talk.objects.count() == 0


@pytest.mark.django_db
def test_admin_upload_is_for_superusers_only(client):
    client.force_login(make_user("staff", superuser=False))

    response = client.get(reverse("admin:schedule_event_import"))

    assert response.status_code == 403


@pytest.mark.django_db
def test_imported_times_show_in_the_event_zone(real_data, client):
    import_file(real_data / "other/debconf23-schedule.xml")
    talk = Talk.objects.get(title="Opening Ceremony")

    page = client.get(talk.get_absolute_url()).content.decode()

    assert "Sunday 10 September 2023, 10:30–10:50" in page
    assert talk.local_start.tzinfo == ZoneInfo("Asia/Kolkata")
