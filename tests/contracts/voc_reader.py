"""Reads a schedule.json with the c3voc video team's own library (c3voc-schedule-tools) and
prints what it understood as JSON. Runs in its own virtualenv (.venv-voc): the library pins
icalendar<6 and lxml<5, which our project does not use."""

import json
import sys

from voc.schedule import Schedule

with open(sys.argv[1], encoding="utf-8") as handle:
    schedule = Schedule(json=json.load(handle))
events = schedule.foreach_event(lambda event: [event["guid"], int(event["id"]), str(event.start)])
persons = schedule.foreach_event_raw(
    lambda event: [[p.get("name") or p.get("public_name"), int(p["id"])] for p in event["persons"]]
)
print(
    json.dumps(
        {
            "events_count": schedule.stats.events_count,
            "min_id": schedule.stats.min_id,
            "max_id": schedule.stats.max_id,
            "person_min_id": schedule.stats.person_min_id,
            "person_max_id": schedule.stats.person_max_id,
            "rooms": schedule.rooms(),
            "events": events,
            "persons": [person for group in persons for person in group],
        }
    )
)
