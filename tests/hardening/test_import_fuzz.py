"""The importer against a corpus of damaged real files: FOSDEM 2007's schedule.xml and the
camp 2019 frab schedule.json, each mutated a few dozen ways (NUL bytes, cuts, swapped and
junk values, values of the wrong JSON type), plus a file crediting 100,000 speakers. Every
file is either imported or refused with a clear message; nothing else escapes, and a
refused file changes nothing in the database."""

import json
import os
import random
import time

import pytest

from schedule.interchange.frab_reader import ScheduleFormatError
from schedule.interchange.importers import ImportRefused, import_bytes
from schedule.models import Devroom, Event, Room
from talks.models import Speaker, Talk, TalkSpeaker
from tests.schedule.conftest import shared_data_dir

pytestmark = pytest.mark.django_db
CASES = int(os.environ.get("FUZZ_CASES", 30))  # more for a longer hunt
JUNK = ["", "\x00", "-1", "99:99", "2025-13-45", "NaN", "x" * 5000, "<", "&amp;", "\u202e", "0"]


def source(name: str) -> bytes:
    data = shared_data_dir()
    if data is None:
        pytest.skip("Real schedules not found (set SCHEDULE_TEST_DATA to shared/data)")
    return (data / "real" / name).read_bytes()


def state() -> tuple:
    models = (Event, Room, Devroom, Talk, Speaker, TalkSpeaker)
    counts = tuple(model.objects.count() for model in models)
    titles = tuple(Talk.objects.order_by("pk").values_list("title", "start", "room_id"))
    return counts, hash(titles)


def outcome(data: bytes) -> str:
    """Imported or refused; any other exception fails the test (naming the case)."""
    before = state()
    try:
        import_bytes(data, event_slug="fuzzed")
    except (ImportRefused, ScheduleFormatError) as error:
        message = str(error).strip()
    else:
        return "imported"
    assert message, "a refusal must say why"
    assert state() == before, "a refused file changed the database"
    return "refused"


def xml_mutations(data: bytes, rng: random.Random):
    text = data.decode()
    yield "nul", (text[: (at := rng.randrange(len(text)))] + "\x00" + text[at:]).encode()
    yield "cut", data[: rng.randrange(len(data))]
    tags = ["start", "duration", "date", "title", "room", "slug", "type", "person", "abstract"]
    tag = rng.choice(tags)
    opening = f"<{tag}>"
    if opening in text:
        at = text.index(opening, rng.randrange(text.index(opening) + 1))
        end = text.index("<", at + len(opening))
        junk = rng.choice(JUNK).replace("<", "&lt;")
        yield (
            f"junk {tag}",
            (text[: at + len(opening)] + junk + text[end:]).encode("utf-8", "surrogatepass"),
        )
    yield (
        "swapped",
        text.replace("<start>", "<duration>", 1).replace("</start>", "</duration>", 1).encode(),
    )


def json_paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from json_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            yield from json_paths(item, (*path, index))


def json_mutation(document, rng: random.Random) -> bytes:
    paths = [p for p in json_paths(document) if p]
    path = rng.choice(paths)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = rng.choice([None, 7, -1.5, "", "junk", [], {}, [1, 2], {"a": 1}, True])
    return json.dumps(document).encode()


def test_damaged_schedule_xml_files_are_imported_or_refused_clearly():
    original = source("fosdem/fosdem-2007-schedule.xml")
    assert outcome(original) == "imported"
    rng = random.Random(2007)
    seen = {"imported": 0, "refused": 0}
    for case in range(CASES):
        for kind, data in xml_mutations(original, rng):
            try:
                seen[outcome(data)] += 1
            except AssertionError as error:
                raise AssertionError(f"case {case}, {kind}: {error}") from error
    assert seen["refused"] >= CASES  # every cut and NUL file at least


def test_damaged_schedule_json_files_are_imported_or_refused_clearly():
    original = source("ccc/camp2019-frab-schedule.json")
    assert outcome(original) == "imported"
    rng = random.Random(2019)
    for case in range(CASES * 2):
        document = json.loads(original)
        data = json_mutation(document, rng)
        try:
            outcome(data)
        except AssertionError as error:
            raise AssertionError(f"case {case}: {error}") from error


def test_a_file_crediting_100000_speakers_is_refused_quickly():
    persons = "".join(f'<person id="{n}">Person {n}</person>' for n in range(100_000))
    data = f"""<?xml version="1.0"?><schedule><conference><title>Crowd</title>
<start>2025-03-01</start><end>2025-03-01</end><time_zone_name>Europe/Brussels</time_zone_name>
</conference><day index="1" date="2025-03-01"><room name="Hall"><event id="1">
<date>2025-03-01T10:00:00+01:00</date><start>10:00</start><duration>00:30</duration>
<room>Hall</room><title>Everyone</title><persons>{persons}</persons></event></room></day>
</schedule>""".encode()
    started = time.monotonic()
    with pytest.raises(ImportRefused, match="100,000 speakers"):
        import_bytes(data)
    assert time.monotonic() - started < 20
    assert not Event.objects.exists()
    assert not Speaker.objects.exists()
