"""Several editions of one series in one database, imported in several orders: every talk
names exactly the people its own file names, spelled as its file spells them.

FOSDEM's person ids restarted when it moved from Pentabarf to pretalx (2024): id 123 of
2007 and id 123 of 2025 are different people. The rule "same id in a series = same person"
renamed the speakers of newer editions when an older file was imported.
"""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from schedule.interchange.importers import import_bytes
from schedule.models import Event
from talks.identity import name_key
from talks.models import Speaker, Talk, TalkSpeaker

EDITIONS = {2007: "fosdem-2007", 2024: "fosdem-2024", 2025: "fosdem-2025", 2026: "fosdem-2026"}


def file_credits(path) -> dict[tuple, list[str]]:
    """(day, local start, room, title) -> the names the file credits, in order, each person
    (id and name) once."""
    root = ET.parse(path).getroot()
    credits = {}
    for day in root.iter("day"):
        for event in day.iter("event"):
            room = (event.findtext("room") or "").strip()
            if not room:
                parent = next((r for r in day.iter("room") if event in list(r)), None)
                room = parent.get("name", "") if parent is not None else ""
            key = (
                day.get("date"),
                (event.findtext("start") or "").strip()[:5].zfill(5),
                room,
                (event.findtext("title") or "").strip(),
            )
            seen, names = set(), []
            for person in event.iter("person"):
                name = (person.text or "").strip()
                who = (person.get("id"), name_key(name))
                if name and who not in seen:
                    seen.add(who)
                    names.append(name)
            credits[key] = names
    return credits


def shown_credits(event: Event) -> dict[tuple, list[str]]:
    """The same, as the talk pages show them."""
    shown = {}
    for talk in Talk.objects.filter(event=event).select_related("room").with_speakers():
        start = talk.local_start
        key = (f"{start:%Y-%m-%d}", f"{start:%H:%M}", talk.room.name, talk.title)
        shown[key] = [speaker.name for speaker in talk.ordered_speakers]
    return shown


def assert_every_talk_credits_its_files_people(real_data, years):
    for year in years:
        event = Event.objects.get(slug=EDITIONS[year])
        expected = file_credits(real_data / f"fosdem/fosdem-{year}-schedule.xml")
        shown = shown_credits(event)
        wrong = {key: (shown.get(key), names) for key, names in expected.items()
                 if shown.get(key) != names}  # fmt: skip
        assert not wrong, f"{year}: {len(wrong)} talks, e.g. {list(wrong.items())[:3]}"


def import_year(real_data, year):
    data = (real_data / f"fosdem/fosdem-{year}-schedule.xml").read_bytes()
    return import_bytes(data, event_slug=EDITIONS[year], series="fosdem")


@pytest.mark.django_db
@pytest.mark.parametrize("order", [(2025, 2026, 2007, 2024), (2007, 2024, 2026, 2025)])
def test_editions_in_any_order_keep_every_talks_own_speakers(real_data, order):
    reports = {}
    for year in order:
        reports[year] = import_year(real_data, year)
        assert_every_talk_credits_its_files_people(real_data, reports)

    # Ids shared across the Pentabarf/pretalx eras are other people: listed, never linked.
    later_pentabarf = [y for y in order if y < 2024 and order.index(y) > 0]
    for year in later_pentabarf:
        conflicts = reports[year].id_conflicts
        if any(order.index(y) < order.index(year) for y in (2025, 2026)):
            assert conflicts, f"{year} after a pretalx edition lists no id conflicts"
            for item in conflicts:
                assert name_key(item.name) != item.holder.name_key
                assert item.speaker.pk != item.holder.pk
        summary = "\n".join(reports[year].lines())
        assert "belong to someone else here" in summary.split("created:")[0]

    # A person's page uses the newest spelling; no speaker is named unlike every credit.
    for speaker in Speaker.objects.filter(talk_speakers__isnull=False).distinct()[:2000]:
        credited = set(
            TalkSpeaker.objects.filter(speaker=speaker).values_list("credited_as", flat=True)
        )
        assert speaker.name_key in {name_key(c) for c in credited}, (speaker, credited)


@pytest.mark.django_db
def test_an_older_edition_never_renames_a_newer_editions_speaker(real_data):
    import_year(real_data, 2025)
    before = dict(Speaker.objects.values_list("pk", "name"))

    report = import_year(real_data, 2007)

    after = dict(Speaker.objects.filter(pk__in=before).values_list("pk", "name"))
    assert after == before
    assert report.updated["speakers"] == 0
    assert len(report.id_conflicts) == 17  # 2007 ∩ 2025: every shared id is someone else


@pytest.mark.django_db
def test_a_merged_file_with_one_id_for_two_names_gives_two_people():
    data = MERGED.encode()

    report = import_bytes(data)

    alice, bob = (
        Talk.objects.get(title=title).ordered_speakers for title in ("Alice's talk", "Bob's talk")
    )
    assert [s.name for s in alice] == ["Alice Example"]
    assert [s.name for s in bob] == ["Bob Example"]
    assert alice[0].pk != bob[0].pk
    assert Speaker.objects.count() == 2
    # Re-importing changes nobody's name.
    again = import_bytes(data)
    assert again.updated["speakers"] == 0
    assert set(Speaker.objects.values_list("name", flat=True)) == {"Alice Example", "Bob Example"}
    assert report.created["speakers"] == 2


MERGED = """<schedule><version>1</version><conference><acronym>merged-2019</acronym>
<title>Merged</title><start>2019-12-27</start><end>2019-12-27</end>
<time_zone_name>Europe/Berlin</time_zone_name></conference>
<day date="2019-12-27" index="1"><room name="A">
<event id="1" guid="7b0e2f5e-0c47-4b9a-9d0e-7c5a6a3d0001"><date>2019-12-27T11:00:00+01:00</date>
<start>11:00</start><duration>00:30</duration><room>A</room><title>Alice's talk</title>
<persons><person id="42">Alice Example</person></persons></event>
<event id="2" guid="7b0e2f5e-0c47-4b9a-9d0e-7c5a6a3d0002"><date>2019-12-27T12:00:00+01:00</date>
<start>12:00</start><duration>00:30</duration><room>A</room><title>Bob's talk</title>
<persons><person id="42">Bob Example</person></persons></event>
</room></day></schedule>"""


@pytest.mark.django_db
def test_a_database_corrupted_by_the_old_rule_is_repaired_by_reimporting(real_data):
    import_year(real_data, 2025)
    import_year(real_data, 2007)
    # What the old rule did: the 2007 import renamed the 2025 speakers who shared an id,
    # and credited its talks to them.
    newer = Event.objects.get(slug="fosdem-2025")
    older = Event.objects.get(slug="fosdem-2007")
    corrupted = 0
    for entry in TalkSpeaker.objects.filter(talk__event=older, person_number__isnull=False):
        victim = TalkSpeaker.objects.filter(
            talk__event=newer, person_number=entry.person_number
        ).first()
        if victim is None:
            continue
        Speaker.objects.filter(pk=victim.speaker_id).update(name=entry.credited_as)
        entry.speaker_id = victim.speaker_id
        TalkSpeaker.objects.filter(pk=entry.pk).update(speaker_id=victim.speaker_id)
        corrupted += 1
    assert corrupted == 17
    TalkSpeaker.objects.update(credited_as="")
    Talk.objects.update(imported={})
    with pytest.raises(AssertionError):
        assert_every_talk_credits_its_files_people(real_data, [2025])

    import_year(real_data, 2025)
    import_year(real_data, 2007)

    assert_every_talk_credits_its_files_people(real_data, [2025, 2007])
    for speaker in Speaker.objects.filter(talks__event=newer).distinct():
        assert speaker.talks.filter(event=newer).exists()
    assert date(2025, 2, 1) == newer.start_date


@pytest.mark.django_db
def test_importing_two_editions_in_turn_flips_no_names(real_data):
    import_year(real_data, 2024)
    import_year(real_data, 2025)
    names = dict(Speaker.objects.values_list("pk", "name"))

    again_2024 = import_year(real_data, 2024)
    again_2025 = import_year(real_data, 2025)

    assert (again_2024.updated["speakers"], again_2025.updated["speakers"]) == (0, 0)
    assert dict(Speaker.objects.values_list("pk", "name")) == names
    assert not again_2024.created
    assert not again_2025.created


@pytest.mark.django_db
def test_a_fosdem_2026_summary_fits_on_one_screen_with_problems_first(real_data):
    import_year(real_data, 2025)

    lines = import_year(real_data, 2026).lines()

    assert len(lines) <= 24
    text = "\n".join(lines)
    assert (
        text.index("Check first:") < text.index("belong to someone else") < text.index("created:")
    )
    assert text.index("created:") < text.index("Routine:")
    assert "883 × upper-case slug lower-cased" in text.split("Routine:")[1]  # one line
    # At most 24 lines of a terminal 160 characters wide once long lines wrap.
    assert sum(1 + len(line) // 160 for line in lines) <= 24
