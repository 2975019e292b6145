"""frab/Pentabarf schedule.xml or schedule.json -> events, rooms, devrooms, speakers, talks.

One transaction: a file that cannot be imported changes nothing. Re-importing the same file
changes nothing; a newer version updates moved talks (their sequence increases through
Talk.save). Talks are matched by guid, then by the source file's numeric id, then by slug.
Speakers are matched by name slug across events, so one person keeps one page.
"""

import datetime as dt
import re
import uuid
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from schedule.interchange.frab_reader import (
    ScheduleDoc,
    ScheduleFormatError,
    TalkDoc,
    read_schedule,
    slug_for,
)
from schedule.models import RESERVED_EVENT_SLUGS, Devroom, Event, Room
from talks.models import Speaker, Talk, TalkLink, TalkSpeaker

KIND_WORDS = [
    ("lightning", Talk.Kind.LIGHTNING),
    ("workshop", Talk.Kind.WORKSHOP),
    ("hands-on", Talk.Kind.WORKSHOP),
    ("keynote", Talk.Kind.KEYNOTE),
    ("panel", Talk.Kind.PANEL),
    ("podium", Talk.Kind.PANEL),
    ("meeting", Talk.Kind.MEETING),
    ("bof", Talk.Kind.MEETING),
    ("talk", Talk.Kind.TALK),
    ("lecture", Talk.Kind.TALK),
    ("devroom", Talk.Kind.TALK),
    ("maintrack", Talk.Kind.TALK),
]
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


class ImportRefused(ValueError):
    """Raised before parsing, e.g. for a file over the size limit."""


@dataclass
class ImportReport:
    event: Event | None = None
    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    repairs: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        verb = "Would import" if self.dry_run else "Imported"
        lines = [f"{verb} {self.event.name} ({self.event.slug})." if self.event else verb]
        for label, counter in (
            ("created", self.created),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
            ("deleted", self.deleted),
        ):
            if counter:
                parts = ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items()))
                lines.append(f"  {label}: {parts}")
        if self.repairs:
            lines.append("Repairs and skips:")
            lines += [f"  {n} × {kind}" for kind, n in sorted(self.repairs.items())]
        return lines


def kind_for(text: str) -> tuple[str, bool]:
    """Our kind for a free-text frab type; second value says whether it was a guess."""
    lowered = text.lower()
    for word, kind in KIND_WORDS:
        if word in lowered:
            return kind, False
    return (Talk.Kind.TALK, False) if not lowered else (Talk.Kind.OTHER, True)


def import_file(path: str | Path, **options) -> ImportReport:
    path = Path(path)
    limit = settings.SCHEDULE_IMPORT_MAX_BYTES
    if path.stat().st_size > limit:
        raise ImportRefused(
            f"{path.name} is {path.stat().st_size:,} bytes; the limit is "
            f"{limit:,} (SCHEDULE_IMPORT_MAX_BYTES)."
        )
    return import_bytes(path.read_bytes(), **options)


def import_bytes(
    data: bytes,
    *,
    event_slug: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    progress=None,
) -> ImportReport:
    """Parse then apply in one transaction; dry runs roll back and report what would change."""
    if len(data) > settings.SCHEDULE_IMPORT_MAX_BYTES:
        raise ImportRefused(
            f"The file is {len(data):,} bytes; the limit is {settings.SCHEDULE_IMPORT_MAX_BYTES:,}."
        )
    document = read_schedule(data, default_timezone=settings.SCHEDULE_DEFAULT_TIMEZONE)
    report = ImportReport(dry_run=dry_run)
    report.repairs.update(document.repairs)
    with transaction.atomic():
        Importer(document, report, replace=replace, progress=progress).run(event_slug)
        if dry_run:
            transaction.set_rollback(True)
    return report


class Importer:
    def __init__(self, doc: ScheduleDoc, report: ImportReport, *, replace: bool, progress):
        self.doc, self.report, self.replace = doc, report, replace
        self.progress = progress or (lambda items: items)

    def run(self, event_slug: str | None):
        self.event = self.upsert_event(event_slug)
        self.report.event = self.event
        self.rooms = self.upsert_rooms()
        self.devrooms = self.upsert_devrooms()
        wanted_slugs = {
            slug_for(p.name, "speaker")[:200] for t in self.doc.talks for p in t.persons
        }
        self.speakers = {s.slug: s for s in Speaker.objects.filter(slug__in=wanted_slugs)}
        # Current speakers and links come with the talks, so comparing costs no query.
        existing = list(
            Talk.objects.filter(event=self.event).prefetch_related("talk_speakers", "links")
        )
        self.by_guid = {str(t.guid): t for t in existing}
        self.by_id = {t.frab_id: t for t in existing if t.frab_id}
        self.by_slug = {t.slug: t for t in existing}
        self.used_slugs: set[str] = set()
        self.seen: set[int] = set()
        ids = Counter(t.source_id for t in self.doc.talks if t.source_id)
        self.duplicate_ids = {i for i, n in ids.items() if n > 1}
        if self.duplicate_ids:
            self.report.repairs["duplicate id ignored for matching"] += sum(
                ids[i] for i in self.duplicate_ids
            )
        guids = [g for g in (_uuid(t.guid) for t in self.doc.talks) if g]
        self.foreign_guids = {
            str(g)
            for g in Talk.objects.exclude(event=self.event)
            .filter(guid__in=guids)
            .values_list("guid", flat=True)
        }
        seen_guids: set[str] = set()
        for talk_doc in self.progress(self.doc.talks):
            if talk_doc.guid and talk_doc.guid in seen_guids:
                self.report.repairs["duplicate guid skipped"] += 1
                continue
            seen_guids.add(talk_doc.guid)
            self.upsert_talk(talk_doc)
        if self.replace:
            gone = Talk.objects.filter(event=self.event).exclude(pk__in=self.seen)
            count = gone.count()
            gone.delete()
            if count:
                self.report.deleted["talks"] += count
        clashes = self.count_room_clashes()
        if clashes:
            # Kept as the file says (the admin would refuse them); organisers should look.
            self.report.repairs["overlapping talks in one room, kept as in the file"] += clashes

    def count_room_clashes(self) -> int:
        slots = (
            Talk.objects.confirmed()
            .scheduled()
            .filter(event=self.event, room__isnull=False)
            .order_by("room_id", "start")
            .values_list("room_id", "start", "end")
        )
        clashes, previous = 0, None
        for room_id, start, end in slots:
            if previous and previous[0] == room_id and start < previous[1]:
                clashes += 1
            if not previous or previous[0] != room_id or end > previous[1]:
                previous = (room_id, end)
        return clashes

    # -- event, rooms, devrooms ------------------------------------------------------------

    def event_slug(self) -> str:
        base = self.doc.acronym.replace("_", "-") or self.doc.title
        slug = slug_for(base, "event")
        return f"{slug}-schedule" if slug in RESERVED_EVENT_SLUGS else slug

    def event_dates(self) -> tuple[dt.date, dt.date]:
        zone = zoneinfo.ZoneInfo(self.doc.timezone)
        last_second = dt.timedelta(seconds=1)
        local_days = [
            (
                t.start.astimezone(zone).date(),
                (t.start + t.duration - last_second).astimezone(zone).date(),
            )
            for t in self.doc.talks
        ]
        first = min([d for d, _ in local_days], default=None)
        last = max([d for _, d in local_days], default=None)
        start, end = self.doc.start or first, self.doc.end or last
        if start is None:
            raise ScheduleFormatError("The file has no conference dates and no talks.")
        end = end or start
        if first and first < start or last and last > end:
            self.report.repairs["event dates widened to cover its talks"] += 1
            start, end = min(start, first or start), max(end, last or end)
        return start, max(start, end)

    def upsert_event(self, slug: str | None) -> Event:
        start, end = self.event_dates()
        values = {
            "name": self.doc.title[:200],
            "start_date": start,
            "end_date": end,
            "timezone": self.doc.timezone,
        }
        for name in ("venue", "city"):
            if getattr(self.doc, name):
                values[name] = getattr(self.doc, name)[:200]
        if self.doc.base_url:
            values["base_url"] = self.doc.base_url[:200]
        return self.upsert(Event, {"slug": slug or self.event_slug()}, values, "events")

    def upsert_rooms(self) -> dict[str, Room]:
        rooms = {room.name: room for room in Room.objects.filter(event=self.event)}
        slugs = {room.slug for room in rooms.values()}
        for position, name in enumerate(self.doc.rooms, start=1):
            if name in rooms:
                self.update(rooms[name], {"position": position}, "rooms")
                continue
            slug = unique(slug_for(name, "room"), slugs)
            rooms[name] = Room.objects.create(
                event=self.event, name=name[:100], slug=slug, position=position
            )
            self.report.created["rooms"] += 1
        return rooms

    def upsert_devrooms(self) -> dict[str, Devroom]:
        devrooms = {d.name: d for d in Devroom.objects.filter(event=self.event)}
        slugs = {d.slug for d in devrooms.values()}
        names = list(dict.fromkeys([*self.doc.tracks, *(t.track for t in self.doc.talks)]))
        for index, name in enumerate(n for n in names if n):
            info = self.doc.tracks.get(name, {})
            colour = info.get("color") or ""
            colour = colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else None
            if name in devrooms:
                if colour:
                    self.update(devrooms[name], {"colour": colour}, "devrooms")
                continue
            slug = unique(slug_for(info.get("slug") or name, "track"), slugs)
            devrooms[name] = Devroom.objects.create(
                event=self.event,
                name=name[:200],
                slug=slug,
                colour=colour or PALETTE[index % len(PALETTE)],
            )
            self.report.created["devrooms"] += 1
        return devrooms

    # -- talks -----------------------------------------------------------------------------

    def find_talk(self, doc: TalkDoc) -> Talk | None:
        """By guid, else by the file's id (when unique in the file), else by slug.

        Several talks may share a title-derived slug (x, x-2, …): the first not yet matched
        in this import is taken, so re-importing the same file stays idempotent.
        """
        if doc.guid and doc.guid in self.by_guid:
            return self.by_guid[doc.guid]
        if doc.source_id and doc.source_id not in self.duplicate_ids:
            talk = self.by_id.get(doc.source_id)
            if talk is not None and talk.pk not in self.seen:
                return talk
        base = candidate = self.wanted_slug(doc)
        n = 2
        while candidate in self.by_slug:
            if self.by_slug[candidate].pk not in self.seen:
                return self.by_slug[candidate]
            candidate, n = f"{base[:190]}-{n}", n + 1
        return None

    def wanted_slug(self, doc: TalkDoc) -> str:
        """The file's slug without a frab "<acronym>-<id>-" prefix, else from the title."""
        slug = doc.slug
        if slug and doc.source_id:
            slug = re.sub(rf"^.*?-{doc.source_id}-", "", slug, count=1)
        return (slug_for(slug, "") or slug_for(doc.title, "talk"))[:200]

    def upsert_talk(self, doc: TalkDoc):
        talk = self.find_talk(doc)
        if talk is not None and talk.pk in self.seen:
            self.report.repairs["event listed twice, later copy skipped"] += 1
            return
        kind, guessed = kind_for(doc.kind_text)
        if guessed:
            self.report.repairs["unknown type imported as “other”"] += 1
        values = {
            "title": doc.title[:300],
            "subtitle": doc.subtitle[:300],
            "kind": kind,
            "language": doc.language[:16],
            "abstract": doc.abstract,
            "description": doc.description,
            # Ids, not objects: comparing talk.room would load each talk's room.
            "room_id": getattr(self.rooms.get(doc.room), "pk", None),
            "devroom_id": getattr(self.devrooms.get(doc.track), "pk", None),
            "start": doc.start.astimezone(dt.UTC),
            "end": (doc.start + doc.duration).astimezone(dt.UTC),
            "status": Talk.Status.CANCELLED if doc.cancelled else Talk.Status.CONFIRMED,
        }
        if doc.source_id and doc.source_id not in self.duplicate_ids:
            values["frab_id"] = doc.source_id
        if talk is None:
            slug = unique(self.wanted_slug(doc), self.used_slugs | set(self.by_slug))
            guid = _uuid(doc.guid)
            if doc.guid and guid is None:
                self.report.repairs["invalid guid replaced"] += 1
            elif guid and str(guid) in self.foreign_guids:
                self.report.repairs["guid used by another event, new guid given"] += 1
                guid = None
            talk = Talk.objects.create(
                event=self.event, slug=slug, guid=guid or uuid.uuid4(), **values
            )
            talk._prefetched_objects_cache = {"talk_speakers": [], "links": []}  # none yet
            self.report.created["talks"] += 1
        else:
            self.update(talk, values, "talks")
        self.used_slugs.add(talk.slug)
        self.seen.add(talk.pk)
        people_changed = self.set_speakers(talk, doc)
        links_changed = self.set_links(talk, doc)
        if people_changed or links_changed:
            # Feeds' ETags follow Talk.updated: a new speaker or link must change them.
            Talk.objects.filter(pk=talk.pk).update(updated=timezone.now())

    def set_speakers(self, talk: Talk, doc: TalkDoc):
        wanted = []
        for person in doc.persons:
            speaker = self.speaker(person.name, person.biography)
            if speaker.pk not in [s.pk for s in wanted]:
                wanted.append(speaker)
        current = [ts.speaker_id for ts in talk.talk_speakers.all()]  # prefetched, in order
        if current == [s.pk for s in wanted]:
            return False
        TalkSpeaker.objects.filter(talk=talk).delete()
        TalkSpeaker.objects.bulk_create(
            TalkSpeaker(talk=talk, speaker=s, position=i) for i, s in enumerate(wanted)
        )
        return True

    def speaker(self, name: str, biography: str) -> Speaker:
        slug = slug_for(name, "speaker")[:200]
        speaker = self.speakers.get(slug)
        if speaker is None:
            speaker = self.speakers[slug] = Speaker.objects.create(slug=slug, name=name[:200])
            self.report.created["speakers"] += 1
        if biography and not speaker.bio:
            speaker.bio = biography
            speaker.save(update_fields=["bio", "updated"])  # feeds' ETags follow `updated`
        return speaker

    def set_links(self, talk: Talk, doc: TalkDoc):
        wanted = [(link.kind, link.title[:200], link.url[:500]) for link in doc.links]
        current = [(link.kind, link.title, link.url) for link in talk.links.all()]  # prefetched
        if current == wanted:
            return False
        TalkLink.objects.filter(talk=talk).delete()
        TalkLink.objects.bulk_create(
            TalkLink(talk=talk, kind=k, title=t, url=u, position=i)
            for i, (k, t, u) in enumerate(wanted)
        )
        return True

    # -- helpers ---------------------------------------------------------------------------

    def upsert(self, model, lookup: dict, values: dict, label: str):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            self.report.created[label] += 1
            return model.objects.create(**lookup, **values)
        self.update(obj, values, label)
        return obj

    def update(self, obj, values: dict, label: str):
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if not changed:
            self.report.unchanged[label] += 1
            return
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        self.report.updated[label] += 1


def unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug[:190]}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _uuid(text: str):
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None
