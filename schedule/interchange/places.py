"""Import step: the event (validated like an admin edit), its rooms and its devrooms."""

import datetime as dt
import re
import zoneinfo

from django.core.exceptions import ValidationError

from schedule import venue
from schedule.interchange.documents import ScheduleDoc, ScheduleFormatError
from schedule.interchange.report import ImportRefused, ImportReport
from schedule.interchange.values import slug_for
from schedule.models import RESERVED_EVENT_SLUGS, Devroom, Event, Room, default_series
from talks.identity import unique_slug

PALETTE = [
    "#3b7dd8",
    "#2e8b57",
    "#b5477a",
    "#c25e00",
    "#8a6d00",
    "#6a4fb3",
    "#00838f",
    "#ad1457",
    "#5d7c1f",
    "#7b5e57",
]


def record(report: ImportReport, obj, values: dict, label: str) -> bool:
    """Set changed values on obj and save it; counts it as updated or unchanged."""
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if not changed:
        report.unchanged[label] += 1
        return False
    for name in changed:
        setattr(obj, name, values[name])
    obj.save()
    report.updated[label] += 1
    return True


def derived_event_slug(doc: ScheduleDoc) -> str:
    base = doc.acronym.replace("_", "-") or doc.title
    slug = slug_for(base.lower(), "event").strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    return f"{slug}-schedule" if slug in RESERVED_EVENT_SLUGS else slug


def event_dates(doc: ScheduleDoc, report: ImportReport) -> tuple[dt.date, dt.date]:
    """The file's conference dates, widened to cover every talk (in the event's zone)."""
    zone = zoneinfo.ZoneInfo(doc.timezone)
    last_second = dt.timedelta(seconds=1)
    local_days = [
        (
            t.start.astimezone(zone).date(),
            (t.start + t.duration - last_second).astimezone(zone).date(),
        )
        for t in doc.talks
    ]
    first = min([d for d, _ in local_days], default=None)
    last = max([d for _, d in local_days], default=None)
    start, end = doc.start or first, doc.end or last
    if start is None:
        raise ScheduleFormatError("The file has no conference dates and no talks.")
    end = end or start
    if first and first < start or last and last > end:
        report.repairs["event dates widened to cover its talks"] += 1
        start, end = min(start, first or start), max(end, last or end)
    return start, max(start, end)


def upsert_event(
    doc: ScheduleDoc, report: ImportReport, slug: str | None, series: str | None
) -> Event:
    """Create or update the event, validated like an admin edit (slug, zone, dates)."""
    start, end = event_dates(doc, report)
    values = {
        "name": doc.title[:200],
        "start_date": start,
        "end_date": end,
        "timezone": doc.timezone,
    }
    for name in ("venue", "city"):
        if getattr(doc, name):
            values[name] = getattr(doc, name)[:200]
    if doc.base_url:
        values["base_url"] = doc.base_url[:200]
    slug = slug or derived_event_slug(doc)
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        event = Event(slug=slug, **values)
        event.series = series or default_series(doc.base_url, doc.acronym or doc.title)
        validated(event)
        event.save()
        report.created["events"] += 1
        return event
    if series:
        values["series"] = series[:100]
    before = {name: getattr(event, name) for name in values}
    for name, value in values.items():
        setattr(event, name, value)
    validated(event)
    if before == {name: getattr(event, name) for name in values}:
        report.unchanged["events"] += 1
    else:
        event.save()
        report.updated["events"] += 1
    return event


def validated(event: Event) -> None:
    try:
        # base_url was checked by the reader (it may be a host without a dot, like localhost).
        event.full_clean(exclude=["base_url"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = " ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
        raise ImportRefused(f"The event cannot be saved as given. {problems}") from None


def upsert_rooms(doc: ScheduleDoc, report: ImportReport, event: Event) -> dict[str, Room]:
    """Rooms by name. Empty buildings and floors are derived from the names by the event's
    rules (schedule.venue) in the same save as the position, so it costs no extra query;
    a building typed by hand is kept."""
    rooms = {room.name: room for room in Room.objects.filter(event=event)}
    slugs = {room.slug for room in rooms.values()}
    rules = venue.event_rules(event)
    for position, name in enumerate(doc.rooms, start=1):
        if name in rooms:
            values = {"position": position} | venue.derived_values(rooms[name], rules)
            record(report, rooms[name], values, "rooms")
            continue
        slug = unique_slug(slug_for(name, "room"), slugs)
        slugs.add(slug)
        place = venue.derive_location(name, rules) or ("", "")
        rooms[name] = Room.objects.create(
            event=event,
            name=name[:100],
            slug=slug,
            position=position,
            building=place[0],
            floor=place[1],
        )
        report.created["rooms"] += 1
    return rooms


def upsert_devrooms(doc: ScheduleDoc, report: ImportReport, event: Event) -> dict[str, Devroom]:
    devrooms = {d.name: d for d in Devroom.objects.filter(event=event)}
    slugs = {d.slug for d in devrooms.values()}
    names = list(dict.fromkeys([*doc.tracks, *(t.track for t in doc.talks)]))
    for index, name in enumerate(n for n in names if n):
        info = doc.tracks.get(name, {})
        colour = info.get("color") or ""
        colour = colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else None
        if name in devrooms:
            if colour:
                record(report, devrooms[name], {"colour": colour}, "devrooms")
            continue
        slug = unique_slug(slug_for(info.get("slug") or name, "track"), slugs)
        slugs.add(slug)
        devrooms[name] = Devroom.objects.create(
            event=event,
            name=name[:200],
            slug=slug,
            colour=colour or PALETTE[index % len(PALETTE)],
        )
        report.created["devrooms"] += 1
    return devrooms
