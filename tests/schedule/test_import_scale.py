"""Big files import and re-import on SQLite and PostgreSQL, in a number of queries that
does not grow with the talks (speed itself is measured by make bench)."""

import pytest

from schedule.interchange.importers import import_bytes
from talks.models import Speaker, Talk, TalkSpeaker


def big_schedule(talks: int, people: int) -> bytes:
    """`talks` talks over two days and 40 rooms, credited to `people` people."""
    events = []
    for i in range(talks):
        persons = "".join(
            f'<person id="{n}">Person {n}</person>'
            for n in sorted({(i * 7 + k * 311) % people + 1 for k in range(1 + i % 3)})
        )
        hour, minute = 9 + (i % 40) // 4 % 10, (i % 4) * 15
        day = "2025-02-01" if i < talks // 2 else "2025-02-02"
        events.append(
            f'<room name="R{i % 40}"><event id="{i + 1}" '
            f'guid="00000000-0000-4000-8000-{i + 1:012d}"><date>{day}T{hour:02d}:{minute:02d}'
            f":00+01:00</date><start>{hour:02d}:{minute:02d}</start><duration>00:10</duration>"
            f"<room>R{i % 40}</room><title>Talk {i}</title><track>T{i % 30}</track>"
            f"<type>devroom</type><persons>{persons}</persons></event></room>"
        )
    half = talks // 2
    return (
        "<schedule><version>1</version><conference><acronym>big-2025</acronym><title>Big"
        "</title><start>2025-02-01</start><end>2025-02-02</end><time_zone_name>Europe/Brussels"
        f'</time_zone_name></conference><day date="2025-02-01" index="1">{"".join(events[:half])}'
        f'</day><day date="2025-02-02" index="2">{"".join(events[half:])}</day></schedule>'
    ).encode()


@pytest.mark.django_db
def test_a_file_with_1500_speakers_imports_and_reimports(django_assert_max_num_queries):
    data = big_schedule(2000, 1500)

    with django_assert_max_num_queries(200):
        first = import_bytes(data)
    with django_assert_max_num_queries(40):
        again = import_bytes(data)

    assert Speaker.objects.count() == 1500
    assert Talk.objects.count() == 2000
    assert first.created["talks"] == 2000
    assert again.unchanged["talks"] == 2000
    assert not again.created
    assert not again.updated
    assert TalkSpeaker.objects.exclude(credited_as="").count() == TalkSpeaker.objects.count()


@pytest.mark.django_db
def test_import_queries_do_not_grow_with_the_talks(django_assert_max_num_queries):
    import_bytes(big_schedule(100, 80))
    # A tenfold bigger file costs a few queries more on its first import (SQLite takes bulk
    # inserts 999 parameters at a time: 30 talks a query) and no more to re-import.
    with django_assert_max_num_queries(90):
        import_bytes(big_schedule(1000, 800).replace(b"big-2025", b"bigger-2025"))
    with django_assert_max_num_queries(40):
        import_bytes(big_schedule(1000, 800).replace(b"big-2025", b"bigger-2025"))
