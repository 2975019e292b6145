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

NIGHT_ENDS = 6  # a talk listed under the day before counts as that day's night until 06:00
PALETTE = "#3b7dd8 #2e8b57 #b5477a #c25e00 #8a6d00 #6a4fb3 #00838f #ad1457 #5d7c1f #7b5e57".split()


def record(report: ImportReport, obj, values: dict, label: str, undo) -> None:
    """Set changed values on obj and save only those columns (an edit saved meanwhile to
    others is not undone); counts it as updated or unchanged."""
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if not changed:
        report.unchanged[label] += 1
        return
    undo.changed(label, obj.pk, {name: getattr(obj, name) for name in changed})
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=[*changed, "updated"])
    report.updated[label] += 1


def day_change(doc: ScheduleDoc):
    """The file's day change, else one derived from a night's talks (a CCC night), else None.
    Rules: docs/importing.md#what-survives-the-round-trip"""
    if doc.day_change is not None:
        return doc.day_change
    zone = zoneinfo.ZoneInfo(doc.timezone)
    late = []
    for talk in doc.talks:
        local = talk.start.astimezone(zone)
        if talk.day and local.date() > talk.day:
            if local.date() - talk.day > dt.timedelta(days=1) or local.hour >= NIGHT_ENDS:
                return None
            late.append(local.time())
    if not late:
        return None
    return dt.time(max(late).hour + 1, 0)


def derived_event_slug(doc: ScheduleDoc) -> str:
    base = doc.acronym.replace("_", "-") or doc.title
    slug = slug_for(base.lower(), "event").strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    return f"{slug}-schedule" if slug in RESERVED_EVENT_SLUGS else slug


def event_dates(doc: ScheduleDoc, report: ImportReport) -> tuple[dt.date, dt.date]:
    """The file's conference days, widened to cover every talk (by conference day)."""
    zone = zoneinfo.ZoneInfo(doc.timezone)
    change = day_change(doc) or dt.time.min
    shift = dt.timedelta(hours=change.hour, minutes=change.minute)
    # A talk after midnight but before the day change belongs to the day before.
    local_days = [
        ((wall := t.start.astimezone(zone).replace(tzinfo=None)).date(), (wall - shift).date())
        for t in doc.talks
    ]
    first = min([d for d, _ in local_days], default=None)
    last = max([d for _, d in local_days], default=None)
    if doc.day_dates:  # the days the file lists (Camp 2019's <end> is the day after)
        start, end = min(doc.day_dates), max(doc.day_dates)
    else:
        start, end = doc.start or first, doc.end or last
    if start is None:
        raise ScheduleFormatError("The file has no conference dates and no talks.")
    end = end or start
    if first and first < start or last and last > end:
        report.repairs["event dates widened to cover its talks"] += 1
        start, end = min(start, first or start), max(end, last or end)
    return start, max(start, end)


def upsert_event(
    doc: ScheduleDoc, report: ImportReport, slug: str | None, series: str | None, undo
) -> Event:
    """Create or update the event, validated like an admin edit (slug, zone, dates)."""
    start, end = event_dates(doc, report)
    values = {
        "name": doc.title[:200],
        "start_date": start,
        "end_date": end,
        "timezone": doc.timezone,
    }
    for name, size in (("venue", 200), ("city", 100), ("logo", 500)):
        if getattr(doc, name):
            values[name] = getattr(doc, name)[:size]
    change = day_change(doc)
    if change is not None:
        values["day_change"] = change
    if doc.base_url:
        values["base_url"] = doc.base_url[:200]
    slug = slug or derived_event_slug(doc)
    # schedule.locks, step 1: the event's row first, held until the import commits.
    event = Event.objects.select_for_update().filter(slug=slug).first()
    if event is None:
        event = Event(slug=slug, **values)
        event.series = series or default_series(doc.base_url, doc.acronym or doc.title)
        validated(event)
        event.save()
        report.created["events"] += 1
        undo.event_created = True
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
        undo.changed("events", event.pk, before)
        event.save(update_fields=[*values, "updated"])
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


def upsert_rooms(doc: ScheduleDoc, report: ImportReport, event: Event, undo) -> dict[str, Room]:
    """Rooms by name; empty buildings and floors are derived from the names (schedule.venue)
    in the same save as the position; a building typed by hand is kept."""
    rules = venue.event_rules(event)

    def values(room: Room | None, name: str, index: int) -> dict:
        if room is not None:
            return {"position": index + 1} | venue.derived_values(room, rules)
        building, floor = venue.derive_location(name, rules) or ("", "")
        return {
            "name": name[:100],
            "slug": slug_for(name, "room"),
            "position": index + 1,
            "building": building,
            "floor": floor,
        }

    return upsert_named(Room, "rooms", doc.rooms, values, event, report, undo)


def upsert_devrooms(
    doc: ScheduleDoc, report: ImportReport, event: Event, undo
) -> dict[str, Devroom]:
    names = [n for n in dict.fromkeys([*doc.tracks, *(t.track for t in doc.talks)]) if n]

    def values(devroom: Devroom | None, name: str, index: int) -> dict | None:
        info = doc.tracks.get(name, {})
        colour = info.get("color") or ""
        colour = colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else None
        if devroom is not None:
            return {"colour": colour} if colour else None
        slug = slug_for(info.get("slug") or name, "track")
        return {"name": name[:200], "slug": slug, "colour": colour or PALETTE[index % len(PALETTE)]}

    return upsert_named(Devroom, "devrooms", names, values, event, report, undo)


def upsert_named(model, label: str, names: list[str], values, event: Event, report, undo) -> dict:
    """The event's rooms or devrooms by name, in `names` order: values(row, name, index) gives
    what to record on an existing row (None: nothing), or a new row's fields (row None), the
    slug made unique here. New rows are inserted in one query (no signals: the importer bumps
    the event's marker), counted in the report and recorded for a revert."""
    rows = {row.name: row for row in model.objects.filter(event=event)}
    slugs = {row.slug for row in rows.values()}
    created = []
    for index, name in enumerate(names):
        fields = values(rows.get(name), name, index)
        if name in rows:
            if fields:
                record(report, rows[name], fields, label, undo)
            continue
        fields["slug"] = unique_slug(fields["slug"], slugs)
        slugs.add(fields["slug"])
        rows[name] = model(event=event, **fields)
        created.append(rows[name])
    model.objects.bulk_create(created)
    if created:
        report.created[label] += len(created)
    for row in created:
        undo.created(label, row.pk)
    return rows
