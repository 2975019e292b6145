"""People and talks stay themselves across imports: person ids per series, readable slugs,
names as written, every session of a repeated guid, links without href, DST hours."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from schedule.interchange.importers import ImportRefused, import_bytes
from schedule.models import Event
from talks.models import PersonId, Speaker, Talk
from tests.factories import make_speaker

GUID = "11111111-2222-4333-8444-555555555555"


def person(pid, name):
    return f'<person id="{pid}">{name}</person>' if pid else f"<person>{name}</person>"


def event_xml(
    eid, title, *, start="10:00", date="", guid="", persons=(), links="", room="Hall"
) -> str:
    date_element = f"<date>{date}</date>" if date else ""
    guid_attr = f' guid="{guid}"' if guid else ""
    people = "".join(person(pid, name) for pid, name in persons)
    return (
        f'<event id="{eid}"{guid_attr}>{date_element}<start>{start}</start>'
        f"<duration>00:30</duration><room>{room}</room><title>{title}</title>"
        f"<track>Main</track><persons>{people}</persons><links>{links}</links></event>"
    )


def schedule_xml(*events, day="2025-02-01", acronym="fosdem-2025", base_url="", tz=""):
    base = f"<base_url>{base_url}</base_url>" if base_url else ""
    zone = f"<time_zone_name>{tz}</time_zone_name>" if tz else ""
    return (
        f"<schedule><version>1</version><conference><acronym>{acronym}</acronym>"
        f"<title>{acronym.upper()}</title><start>{day}</start><end>{day}</end>{base}{zone}"
        f'</conference><day date="{day}" index="1"><room name="Hall">'
        + "".join(events)
        + "</room></day></schedule>"
    ).encode()


@pytest.mark.django_db
def test_names_in_any_script_keep_their_spelling_and_get_readable_distinct_slugs(client):
    data = schedule_xml(
        event_xml(
            1,
            "Scripts",
            persons=[(1, "Дмитрий Иванов"), (2, "李雷"), (3, "Gábor Szárnyas"), (4, "Ελένη")],
        )
    )

    import_bytes(data)

    speakers = {s.name: s.slug for s in Speaker.objects.all()}
    assert speakers == {
        "Дмитрий Иванов": "dmitriy-ivanov",
        "李雷": "lilei",
        "Gábor Szárnyas": "gabor-szarnyas",
        "Ελένη": "eleni",
    }
    page = client.get(reverse("talks:speaker", args=["dmitriy-ivanov"]))
    assert "Дмитрий Иванов" in page.content.decode()
    talk_page = client.get(Talk.objects.get().get_absolute_url()).content.decode()
    assert all(name in talk_page for name in speakers)


@pytest.mark.django_db
def test_two_people_with_one_name_and_two_ids_stay_two_speakers():
    data = schedule_xml(
        event_xml(10, "One", persons=[(101, "Jane Doe")]),
        event_xml(11, "Two", start="11:00", persons=[(102, "Jane Doe")]),
    )

    import_bytes(data)

    janes = list(Speaker.objects.order_by("slug").values_list("slug", "name"))
    assert janes == [("jane-doe", "Jane Doe"), ("jane-doe-2", "Jane Doe")]
    ids = dict(PersonId.objects.values_list("number", "speaker__slug"))
    assert ids == {101: "jane-doe", 102: "jane-doe-2"}


@pytest.mark.django_db
def test_same_person_id_in_two_editions_with_other_urls_and_acronyms_is_one_speaker():
    import_bytes(
        schedule_xml(
            event_xml(1, "Graphs 2024", persons=[(4744, "Gabor Szarnyas")]),
            day="2024-02-03",
            acronym="fosdem-2024",
        )
    )

    report = import_bytes(
        schedule_xml(
            event_xml(2, "Graphs 2025", persons=[(4744, "Gábor Szárnyas")]),
            acronym="fosdem-2025",
            base_url="https://fosdem.org/2025/schedule/",
        )
    )

    assert list(Event.objects.values_list("series", flat=True)) == ["fosdem", "fosdem"]
    [speaker] = Speaker.objects.all()
    assert (speaker.name, speaker.slug) == ("Gábor Szárnyas", "gabor-szarnyas")
    assert sorted(speaker.talks.values_list("title", flat=True)) == ["Graphs 2024", "Graphs 2025"]
    assert "  “Gabor Szarnyas” (gabor-szarnyas) is now spelled “Gábor Szárnyas”." in report.lines()


@pytest.mark.django_db
def test_an_older_file_without_accents_does_not_undo_the_persons_spelling():
    import_bytes(schedule_xml(event_xml(2, "New", persons=[(7, "Dan Čermák")])))

    import_bytes(
        schedule_xml(
            event_xml(1, "Old", persons=[(7, "Dan Cermak")]),
            acronym="fosdem-2024",
            day="2024-02-03",
        )
    )

    assert list(Speaker.objects.values_list("name", flat=True)) == ["Dan Čermák"]
    old = Talk.objects.get(title="Old")
    assert [ts.shown_name for ts in old.talk_speakers.all()] == ["Dan Cermak"]  # as printed


@pytest.mark.django_db
def test_a_person_without_id_links_by_name_only_when_exactly_one_speaker_matches():
    existing = make_speaker(name="Dan Cermak", slug="dan-cermak")

    report = import_bytes(schedule_xml(event_xml(1, "Packaging", persons=[("", "DAN ČERMÁK")])))

    assert list(Talk.objects.get().speakers.all()) == [existing]
    assert report.repairs["person linked to an existing speaker by name"] == 1


@pytest.mark.django_db
def test_an_ambiguous_name_creates_a_new_speaker_and_says_so():
    make_speaker(name="Alex Smith", slug="alex-smith")
    make_speaker(name="Alex Smith", slug="alex-smith-2")

    report = import_bytes(schedule_xml(event_xml(1, "Talk", persons=[("", "Alex Smith")])))

    [speaker] = Talk.objects.get().speakers.all()
    assert speaker.slug == "alex-smith-3"
    assert report.repairs["person name matches several speakers, new speaker created"] == 1
    assert (
        "  “Alex Smith” matches 2 speakers (alex-smith, alex-smith-2); a new speaker was "
        "created. Merge in the admin if it is one of them."
    ) in report.lines()

    import_bytes(schedule_xml(event_xml(1, "Talk", persons=[("", "Alex Smith")])))

    assert Speaker.objects.count() == 3  # the re-import keeps the talk's speaker


@pytest.mark.django_db
def test_links_without_href_take_the_url_from_their_text_or_are_reported():
    links = (
        "<link>https://example.org/slides.pdf</link>"
        "<link>Slides on the wiki</link>"
        '<link href="https://example.org/video">Video</link>'
    )

    report = import_bytes(schedule_xml(event_xml(1, "Links", links=links)))

    urls = list(Talk.objects.get().links.values_list("url", flat=True))
    assert urls == ["https://example.org/slides.pdf", "https://example.org/video"]
    assert report.repairs["link without href: URL taken from its text"] == 1
    assert report.repairs["link without a usable URL skipped"] == 1
    assert any("link “Slides on the wiki” has no URL; skipped." in line for line in report.lines())


@pytest.mark.django_db
def test_a_guid_repeated_at_two_times_imports_both_sessions_with_stable_guids():
    data = schedule_xml(
        event_xml(5, "Workshop", guid=GUID, start="10:00"),
        event_xml(5, "Workshop", guid=GUID, start="14:00"),
    )

    report = import_bytes(data)

    sessions = list(Talk.objects.order_by("start").values_list("guid", "slug"))
    derived = uuid.uuid5(uuid.UUID(GUID), "session-2")
    assert sessions == [(uuid.UUID(GUID), "workshop"), (derived, "workshop-2")]
    assert (
        report.repairs[
            "session repeated under one guid, imported as its own session (derived guid)"
        ]
        == 1
    )

    moved = schedule_xml(
        event_xml(5, "Workshop", guid=GUID, start="10:00"),
        event_xml(5, "Workshop", guid=GUID, start="16:00"),
    )
    import_bytes(moved)

    second = Talk.objects.get(guid=derived)
    assert (Talk.objects.count(), second.uid, second.sequence) == (
        2,
        f"{derived}@schedule.test",
        1,
    )


@pytest.mark.django_db
def test_a_time_in_the_repeated_dst_hour_uses_the_files_offset_or_is_reported(client):
    day = "2025-10-26"  # clocks go back at 03:00 CEST in Brussels
    data = schedule_xml(
        event_xml(1, "Given with offset", date=f"{day}T02:30:00+01:00", start="02:30"),
        event_xml(2, "Without offset", start="02:30", room="Other"),
        day=day,
        tz="Europe/Brussels",
    )

    report = import_bytes(data)

    talks = dict(Talk.objects.values_list("title", "start"))
    assert talks["Given with offset"] == dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)
    assert talks["Without offset"] == dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC)
    kind = "ambiguous local time (clocks went back) without offset, read as the first occurrence"
    assert report.repairs[kind] == 1

    ics = client.get(reverse("exports:ics", args=[Event.objects.get().slug])).content.decode()
    assert "DTSTART:20251026T013000Z" in ics  # the second 02:30, unambiguous in UTC
    assert "DTSTART:20251026T003000Z" in ics  # the first 02:30: clients read it differently


@pytest.mark.django_db
def test_strict_refuses_any_repair_and_changes_nothing():
    data = schedule_xml(event_xml(1, "Links", links="<link>Nowhere</link>"))

    with pytest.raises(ImportRefused, match=r"--strict: the file needed repairs \(1 × link"):
        import_bytes(data, strict=True)

    assert (Event.objects.count(), Talk.objects.count(), Speaker.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Bad Slug!", "“Bad Slug!” is not a usable event slug"),
        ("UPPER", "“UPPER” is not a usable event slug"),
        ("admin", "“admin” is reserved for the site's own pages"),
        ("speakers", "“speakers” is reserved for the site's own pages"),
    ],
)
@pytest.mark.django_db
def test_bad_event_slugs_are_refused_on_import(slug, message):
    with pytest.raises(ImportRefused, match=message):
        import_bytes(schedule_xml(event_xml(1, "Talk")), event_slug=slug)

    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_series_option_puts_an_edition_with_another_name_in_the_same_series():
    import_bytes(schedule_xml(event_xml(1, "A", persons=[(9, "Ann")]), acronym="fosdem-2025"))

    import_bytes(
        schedule_xml(event_xml(2, "B", persons=[(9, "Ann")]), acronym="fd-summer"),
        series="fosdem",
    )

    assert Speaker.objects.count() == 1
    assert Event.objects.get(slug="fd-summer").series == "fosdem"


@pytest.mark.django_db
def test_strict_refuses_a_person_id_that_belongs_to_someone_else():
    import_bytes(schedule_xml(event_xml(1, "New", persons=[(7, "Daniel Stenberg")])))
    older = schedule_xml(
        event_xml(1, "Old", persons=[(7, "Jean-Michel Friedt")]),
        acronym="fosdem-2020",
        day="2020-02-01",
    )

    with pytest.raises(ImportRefused, match="person id held by someone else"):
        import_bytes(older, strict=True)

    assert list(Speaker.objects.values_list("name", flat=True)) == ["Daniel Stenberg"]
    assert Event.objects.count() == 1
