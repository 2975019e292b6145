"""A generated FOSDEM-sized schedule, as a Pentabarf/frab schedule.xml.

    python bench/generate.py [--talks 950 --rooms 70 --tracks 35 --speakers 1100] > big.xml

The same file for the same arguments (seeded): two days, each room filled from 09:00 with
talks of 20 to 50 minutes, each track kept to two rooms, one to three speakers a talk drawn
from the pool, abstracts of a few paragraphs with a link. bench/run.py imports it to measure
whole-event exports on a schedule the size #24 compares with pretalx.
"""

import argparse
import datetime as dt
import random
import sys
import uuid
from xml.sax.saxutils import escape

WORDS = (
    "open source kernel cloud rust python compiler network storage browser database "
    "community security embedded graphics audio mobile distribution package build test "
    "observability hardware firmware identity federation matrix scheduler memory"
).split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(talks=950, rooms=70, tracks=35, speakers=1100, seed=2026) -> str:
    rng = random.Random(seed)
    people = [(5000 + n, f"{rng.choice(WORDS).title()} Speaker {n}") for n in range(speakers)]
    track_names = [f"Track {n} {rng.choice(WORDS).title()}" for n in range(tracks)]
    room_names = [f"U{chr(65 + n % 4)}{n // 4 % 3}.{100 + n}" for n in range(rooms)]
    days = [dt.date(2027, 2, 6), dt.date(2027, 2, 7)]
    slots = {(day, room): dt.time(9, 0) for day in days for room in room_names}
    by_day_room: dict = {}
    credits = 0
    for number in range(talks):
        day = days[number % 2]
        track = number % tracks
        room = room_names[(2 * track + number // tracks % 2) % rooms]
        start = slots[(day, room)]
        minutes = rng.choice((20, 25, 30, 40, 50))
        begin = dt.datetime.combine(day, start)
        slots[(day, room)] = (begin + dt.timedelta(minutes=minutes + 5)).time()
        count = rng.choice((1, 1, 1, 2, 3))  # everyone in the pool speaks, in turn
        talk_people = [people[(credits + n) % speakers] for n in range(count)]
        credits += count
        title = sentence(rng, rng.randint(3, 8))[:-1]
        abstract = "\n".join(f"<p>{sentence(rng, rng.randint(12, 30))}</p>" for _ in range(3))
        abstract += f"<p>https://example.org/talk/{number}</p>"
        by_day_room.setdefault((day, room), []).append(
            f"""      <event guid="{uuid.UUID(int=rng.getrandbits(128))}" id="{10000 + number}">
        <date>{begin.isoformat()}+01:00</date>
        <start>{start:%H:%M}</start>
        <duration>00:{minutes:02d}</duration>
        <room>{room}</room>
        <slug>talk-{number}</slug>
        <title>{escape(title)}</title>
        <subtitle></subtitle>
        <track>{track_names[track]}</track>
        <type>devroom</type>
        <language>en</language>
        <abstract>{escape(abstract)}</abstract>
        <description></description>
        <persons>
{chr(10).join(f'          <person id="{pid}">{escape(name)}</person>' for pid, name in talk_people)}
        </persons>
        <links>
          <link href="https://example.org/slides/{number}.pdf">Slides</link>
        </links>
      </event>"""
        )
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<schedule>",
        "  <version>generated</version>",
        "  <conference>",
        "    <acronym>generated-2027</acronym>",
        "    <title>Generated 2027</title>",
        f"    <start>{days[0]}</start>",
        f"    <end>{days[-1]}</end>",
        f"    <days>{len(days)}</days>",
        "    <timeslot_duration>00:05:00</timeslot_duration>",
        "    <time_zone_name>Europe/Brussels</time_zone_name>",
        "  </conference>",
    ]
    for index, day in enumerate(days, start=1):
        out.append(f'  <day index="{index}" date="{day}">')
        for room in room_names:
            out.append(f'    <room name="{room}">')
            out.extend(by_day_room.get((day, room), []))
            out.append("    </room>")
        out.append("  </day>")
    out.append("</schedule>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in (("talks", 950), ("rooms", 70), ("tracks", 35), ("speakers", 1100)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    sys.stdout.write(generate(args.talks, args.rooms, args.tracks, args.speakers))


if __name__ == "__main__":
    main()
