"""Reads frab/Pentabarf schedule.xml and frab-style schedule.json into plain dataclasses.

Lenient where real files are messy (missing guid/date/version, events without a <room>
wrapper, extra elements, relative URLs, upper-case slugs, durations like 0:05); strict where
guessing would corrupt data (no title, no start, unparseable duration). Every repair is
counted in `Repairs`; every refusal is a ScheduleFormatError naming the element.
XML goes through defusedxml: no DTD entities, no external entities.
"""

import datetime as dt
import json
import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.text import slugify

from schedule.text import clean_text

DURATION = re.compile(r"^\s*(\d{1,3}):(\d{1,2})(?::(\d{1,2}))?\s*$")
CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*$")
CANCELLED = re.compile(r"^\s*(?:\[\s*)?cancell?ed\s*(?:\]\s*)?[:\-–—]?\s*", re.IGNORECASE)


class ScheduleFormatError(ValueError):
    """The file cannot be imported; the message names the element or line."""


class Repairs(Counter):
    """Counts of things fixed up or skipped, by kind, for the import summary."""


@dataclass
class PersonDoc:
    name: str
    source_id: str = ""
    biography: str = ""


@dataclass
class LinkDoc:
    url: str
    title: str
    kind: str = "other"


@dataclass
class TalkDoc:
    where: str  # human description of the element, for messages
    title: str
    start: dt.datetime  # aware
    duration: dt.timedelta
    room: str = ""
    track: str = ""
    guid: str = ""
    source_id: int | None = None
    slug: str = ""
    subtitle: str = ""
    kind_text: str = ""
    language: str = ""
    abstract: str = ""
    description: str = ""
    cancelled: bool = False
    persons: list[PersonDoc] = field(default_factory=list)
    links: list[LinkDoc] = field(default_factory=list)


@dataclass
class ScheduleDoc:
    title: str
    acronym: str
    timezone: str
    start: dt.date | None
    end: dt.date | None
    base_url: str = ""
    venue: str = ""
    city: str = ""
    rooms: list[str] = field(default_factory=list)
    tracks: dict[str, dict] = field(default_factory=dict)  # name -> {"slug", "color"}
    talks: list[TalkDoc] = field(default_factory=list)
    repairs: Repairs = field(default_factory=Repairs)


def read_schedule(data: bytes, *, default_timezone: str) -> ScheduleDoc:
    """XML or JSON, detected from the first meaningful character."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return XmlReader(data, default_timezone).read()
    if head in (b"{", b"["):
        return JsonReader(data, default_timezone).read()
    raise ScheduleFormatError("The file is neither XML nor JSON (it must start with < or {).")


# -- shared value parsing ------------------------------------------------------------------


class BaseReader:
    def __init__(self, data: bytes, default_timezone: str):
        self.data = data
        self.default_timezone = default_timezone
        self.repairs = Repairs()
        self.base_url = ""

    def zone(self, name: str) -> str:
        name = (name or "").strip()
        if name in zoneinfo.available_timezones():
            return name
        self.repairs[f"time zone missing or unknown, assumed {self.default_timezone}"] += 1
        return self.default_timezone

    def date(self, value: str, where: str) -> dt.date | None:
        value = (value or "").strip()
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            raise ScheduleFormatError(f"{where}: “{value}” is not a date.") from None

    def duration(self, value, where: str) -> dt.timedelta:
        text = str(value or "").strip()
        match = DURATION.match(text)
        if match:
            hours, minutes, seconds = (int(g or 0) for g in match.groups())
            delta = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
        elif text.isdigit():
            delta = dt.timedelta(minutes=int(text))
            self.repairs["duration given in plain minutes"] += 1
        else:
            raise ScheduleFormatError(f"{where}: duration “{text}” is not like 00:30.")
        if delta <= dt.timedelta(0):
            self.repairs["zero duration set to 5 minutes"] += 1
            delta = dt.timedelta(minutes=5)
        return delta

    def start(
        self, date_text: str, clock_text: str, day: dt.date | None, tz: str, where: str
    ) -> dt.datetime:
        """The talk's aware start: its full <date> when present, else day + local clock."""
        date_text = (date_text or "").strip()
        if date_text:
            try:
                moment = dt.datetime.fromisoformat(date_text.replace("Z", "+00:00"))
            except ValueError:
                raise ScheduleFormatError(
                    f"{where}: date “{date_text}” is not a date-time."
                ) from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(tz))
            return moment
        self.repairs["start computed from day and local time (no <date>)"] += 1
        match = CLOCK.match(clock_text or "")
        if not match or day is None:
            raise ScheduleFormatError(
                f"{where}: no usable start (start “{(clock_text or '').strip()}”, "
                f"day {day or 'unknown'})."
            )
        hours, minutes = int(match.group(1)), int(match.group(2))
        if hours > 23 or minutes > 59:
            raise ScheduleFormatError(f"{where}: start “{clock_text.strip()}” is not a time.")
        return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=zoneinfo.ZoneInfo(tz))

    def url(self, value: str) -> str:
        value = (value or "").strip()
        if not value:
            return ""
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc:
            return value
        if not parts.scheme and value.startswith("/") and self.base_url:
            self.repairs["relative URL made absolute"] += 1
            return urljoin(self.base_url, value)
        if not parts.scheme and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", value, re.I):
            self.repairs["URL without scheme given https://"] += 1
            return "https://" + value
        self.repairs["unusable URL skipped"] += 1
        return ""

    def finish_talk(self, talk: TalkDoc) -> TalkDoc:
        # NUL and other control characters break XML exports and PostgreSQL text columns.
        for name in ("title", "subtitle", "abstract", "description", "slug", "room", "track"):
            value = getattr(talk, name)
            cleaned = clean_text(value)
            if cleaned != value:
                self.repairs["control characters removed"] += 1
                setattr(talk, name, cleaned)
        for person in talk.persons:
            person.name, person.biography = clean_text(person.name), clean_text(person.biography)
        if talk.slug and talk.slug != talk.slug.lower():
            self.repairs["upper-case slug lower-cased"] += 1
            talk.slug = talk.slug.lower()
        match = CANCELLED.match(talk.title)
        if match and talk.title[match.end() :].strip():
            talk.title = talk.title[match.end() :].strip()
            talk.cancelled = True
        kept = [p for p in talk.persons if p.name.strip()]
        if len(kept) != len(talk.persons):
            self.repairs["empty person skipped"] += len(talk.persons) - len(kept)
        talk.persons = kept
        talk.links = [link for link in talk.links if link.url]
        return talk

    def require_title(self, title: str, where: str) -> str:
        title = (title or "").strip()
        if not title:
            raise ScheduleFormatError(f"{where}: the talk has no title.")
        return title


def link_kind(text: str) -> str:
    text = (text or "").lower()
    if "slide" in text:
        return "slides"
    if "video" in text or "media" in text or ".webm" in text or ".mp4" in text:
        return "video"
    if "record" in text:
        return "recording"
    return "other"


# -- XML -----------------------------------------------------------------------------------


def text_of(element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "") if child is not None else ""


class XmlReader(BaseReader):
    def read(self) -> ScheduleDoc:
        try:
            root = SafeET.fromstring(
                self.data, forbid_dtd=False, forbid_entities=True, forbid_external=True
            )
        except DefusedXmlException as error:
            raise ScheduleFormatError(
                f"The XML uses entities or external references, which are refused for "
                f"safety ({type(error).__name__})."
            ) from None
        except SafeET.ParseError as error:
            line, column = error.position
            raise ScheduleFormatError(
                f"The XML is not well-formed at line {line}, column {column}: {error.msg}."
            ) from None
        if root.tag != "schedule":
            raise ScheduleFormatError(f"The root element is <{root.tag}>, not <schedule>.")
        conference = root.find("conference")
        if conference is None:
            raise ScheduleFormatError("<schedule> has no <conference> element.")
        if root.find("version") is None:
            self.repairs["missing <version>"] += 1
        tz = self.zone(text_of(conference, "time_zone_name"))
        self.base_url = text_of(conference, "base_url").strip()
        doc = ScheduleDoc(
            title=text_of(conference, "title").strip() or "Imported schedule",
            acronym=text_of(conference, "acronym").strip(),
            timezone=tz,
            start=self.date(text_of(conference, "start"), "<conference><start>"),
            end=self.date(text_of(conference, "end"), "<conference><end>"),
            base_url=self.url(self.base_url),
            venue=text_of(conference, "venue").strip(),
            city=text_of(conference, "city").strip(),
            repairs=self.repairs,
        )
        self.read_tracks(root, conference, doc)
        bios = {
            p.get("id", ""): text_of(p, "biography").strip() for p in root.findall("persons/person")
        }
        for room in root.findall("day/room"):  # rooms in display order, even when empty
            name = (room.get("name") or "").strip()
            if name and name not in doc.rooms:
                doc.rooms.append(name)
        for day_index, day in enumerate(root.findall("day"), start=1):
            day_date = self.date(day.get("date", ""), f"<day index={day_index}>")
            for room, event in self.events_of(day):
                where = (
                    f"<day date={day.get('date', '?')}> <event id={event.get('id', '?')}> "
                    f"(“{text_of(event, 'title').strip()[:60]}”)"
                )
                talk = self.read_event(event, room, day_date, tz, where, bios)
                if talk.room and talk.room not in doc.rooms:
                    doc.rooms.append(talk.room)
                doc.talks.append(talk)
        return doc

    def read_tracks(self, root, conference, doc):
        for track in [*root.findall("tracks/track"), *conference.findall("track")]:
            name = (track.get("name") or track.text or "").strip()
            if name:
                doc.tracks.setdefault(
                    name, {"slug": track.get("slug", ""), "color": track.get("color", "")}
                )

    def events_of(self, day):
        """(room name, event) pairs, with or without <room> wrappers."""
        for child in day:
            if child.tag == "room":
                for event in child.findall("event"):
                    yield child.get("name", ""), event
            elif child.tag == "event":
                self.repairs["event without a <room> wrapper"] += 1
                yield "", child

    def read_event(self, event, room_name, day_date, tz, where, bios) -> TalkDoc:
        title = self.require_title(text_of(event, "title"), where)
        duration = self.duration(text_of(event, "duration"), where)
        start = self.start(text_of(event, "date"), text_of(event, "start"), day_date, tz, where)
        raw_id = (event.get("id") or "").strip()
        track = event.find("track")
        talk = TalkDoc(
            where=where,
            title=title,
            start=start,
            duration=duration,
            room=(text_of(event, "room").strip() or room_name.strip()),
            track=(track.text or "").strip() if track is not None else "",
            guid=(event.get("guid") or "").strip(),
            source_id=int(raw_id) if raw_id.isdigit() and int(raw_id) > 0 else None,
            slug=text_of(event, "slug").strip(),
            subtitle=text_of(event, "subtitle").strip(),
            kind_text=text_of(event, "type").strip(),
            language=text_of(event, "language").strip(),
            abstract=text_of(event, "abstract").strip(),
            description=text_of(event, "description").strip(),
        )
        for person in event.findall("persons/person"):
            pid = person.get("id", "")
            talk.persons.append(PersonDoc((person.text or "").strip(), pid, bios.get(pid, "")))
        for link in event.findall("links/link"):
            talk.links.append(
                LinkDoc(
                    self.url(link.get("href", "")),
                    (link.text or "").strip() or "Link",
                    link_kind(f"{link.get('type', '')} {link.text or ''}"),
                )
            )
        return self.finish_talk(talk)


# -- JSON ----------------------------------------------------------------------------------


class JsonReader(BaseReader):
    def read(self) -> ScheduleDoc:
        try:
            document = json.loads(self.data.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ScheduleFormatError(f"The JSON is not UTF-8 ({error.reason}).") from None
        except json.JSONDecodeError as error:
            raise ScheduleFormatError(
                f"The JSON is not valid at line {error.lineno}, column {error.colno}: {error.msg}."
            ) from None
        schedule = self.expect(document, dict, "$").get("schedule")
        schedule = self.expect(schedule, dict, "$.schedule")
        conference = self.expect(schedule.get("conference"), dict, "$.schedule.conference")
        if "version" not in schedule:
            self.repairs["missing version"] += 1
        tz = self.zone(conference.get("time_zone_name") or "")
        self.base_url = str(schedule.get("base_url") or conference.get("base_url") or "")
        doc = ScheduleDoc(
            title=str(conference.get("title") or "Imported schedule").strip(),
            acronym=str(conference.get("acronym") or "").strip(),
            timezone=tz,
            start=self.date(str(conference.get("start") or ""), "$.schedule.conference.start"),
            end=self.date(str(conference.get("end") or ""), "$.schedule.conference.end"),
            base_url=self.url(self.base_url),
            repairs=self.repairs,
        )
        for room in conference.get("rooms") or []:
            if isinstance(room, dict) and room.get("name") and room["name"] not in doc.rooms:
                doc.rooms.append(str(room["name"]))
        for track in conference.get("tracks") or []:
            if isinstance(track, dict) and track.get("name"):
                doc.tracks.setdefault(
                    str(track["name"]),
                    {"slug": str(track.get("slug") or ""), "color": str(track.get("color") or "")},
                )
        days = self.expect(conference.get("days"), list, "$.schedule.conference.days")
        for d, day in enumerate(days):
            path = f"$.schedule.conference.days[{d}]"
            day = self.expect(day, dict, path)
            day_date = self.date(str(day.get("date") or ""), f"{path}.date")
            rooms = self.expect(day.get("rooms", {}), dict, f"{path}.rooms")
            for room_name, events in rooms.items():
                events = self.expect(events, list, f"{path}.rooms[{room_name!r}]")
                for e, event in enumerate(events):
                    where = f"{path}.rooms[{room_name!r}][{e}]"
                    event = self.expect(event, dict, where)
                    talk = self.read_event(event, room_name, day_date, tz, where)
                    if talk.room and talk.room not in doc.rooms:
                        doc.rooms.append(talk.room)
                    doc.talks.append(talk)
        return doc

    @staticmethod
    def expect(value, kind, path):
        if not isinstance(value, kind):
            shown = "missing" if value is None else f"a {type(value).__name__}"
            raise ScheduleFormatError(f"{path} must be a JSON {kind.__name__}, but it is {shown}.")
        return value

    def read_event(self, event, room_name, day_date, tz, where) -> TalkDoc:
        where = f"{where} (“{str(event.get('title') or '')[:60]}”)"
        title = self.require_title(str(event.get("title") or ""), where)
        raw_id = event.get("id")
        talk = TalkDoc(
            where=where,
            title=title,
            start=self.start(
                str(event.get("date") or ""), str(event.get("start") or ""), day_date, tz, where
            ),
            duration=self.duration(event.get("duration"), where),
            room=str(event.get("room") or room_name or "").strip(),
            track=str(event.get("track") or "").strip(),
            guid=str(event.get("guid") or "").strip(),
            source_id=raw_id if isinstance(raw_id, int) and raw_id > 0 else None,
            slug=str(event.get("slug") or "").strip(),
            subtitle=str(event.get("subtitle") or "").strip(),
            kind_text=str(event.get("type") or "").strip(),
            language=str(event.get("language") or "").strip(),
            abstract=str(event.get("abstract") or "").strip(),
            description=str(event.get("description") or "").strip(),
        )
        for person in event.get("persons") or []:
            if not isinstance(person, dict):
                self.repairs["person that is not an object skipped"] += 1
                continue
            name = str(person.get("name") or person.get("public_name") or "")
            talk.persons.append(
                PersonDoc(
                    name.strip(),
                    str(person.get("id") or ""),
                    str(person.get("biography") or "").strip(),
                )
            )
        for link in [*(event.get("links") or []), *(event.get("attachments") or [])]:
            if isinstance(link, dict):
                title = str(link.get("title") or "Link").strip()
                talk.links.append(
                    LinkDoc(
                        self.url(str(link.get("url") or "")),
                        title,
                        link_kind(f"{link.get('type', '')} {title}"),
                    )
                )
        return self.finish_talk(talk)


def slug_for(text: str, fallback: str = "item") -> str:
    return (slugify(text) or fallback)[:100]
