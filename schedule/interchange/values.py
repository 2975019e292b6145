"""Value parsing shared by the XML and JSON readers (leniency rules: see frab_reader)."""

import datetime as dt
import re
import zoneinfo
from collections import Counter
from urllib.parse import urljoin, urlsplit

from django.utils.text import slugify

from schedule.interchange.documents import LinkDoc, ScheduleDoc, ScheduleFormatError, TalkDoc
from schedule.text import clean_text

DURATION = re.compile(r"^\s*(\d{1,3}):(\d{1,2})(?::(\d{1,2}))?\s*$")
CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*$")
CANCELLED = re.compile(r"^\s*(?:\[\s*)?cancell?ed\s*(?:\]\s*)?[:\-–—]?\s*", re.IGNORECASE)
SKIPPED_TIME = "local time that does not exist (clocks went forward), read as the later time"
REPEATED_TIME = (
    "ambiguous local time (clocks went back) without offset, read as the first occurrence"
)


class BaseReader:
    def __init__(self, data: bytes, default_timezone: str):
        self.data = data
        self.default_timezone = default_timezone
        self.repairs = Counter()
        self.notes: list[str] = []
        self.base_url = ""
        self.timezone = default_timezone  # the file's, once its conference is read

    def conference(self, get, title: str, base_url: str, version: str, labels) -> ScheduleDoc:
        """The file's conference (get(name): its text, stripped); labels: how refusals name
        its dates ("{}": start or end) and repairs its day change, in the format's words."""
        self.base_url = base_url
        self.timezone = self.zone(get("time_zone_name"))
        return ScheduleDoc(
            title=title,
            acronym=get("acronym"),
            timezone=self.timezone,
            start=self.date(get("start"), labels[0].format("start")),
            end=self.date(get("end"), labels[0].format("end")),
            base_url=self.url(base_url),
            venue=get("venue"),
            city=get("city"),
            logo=self.url(get("logo")),
            version=version,
            day_change=self.clock(get("day_change"), labels[1]),
            repairs=self.repairs,
            notes=self.notes,
        )

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

    def day_date(self, date_text: str, start_text: str, where: str) -> dt.date | None:
        """A <day>'s conference date: the local date of its start when given, else its date."""
        start_text = (start_text or "").strip()
        if start_text:
            try:
                start = dt.datetime.fromisoformat(start_text.replace("Z", "+00:00"))
            except ValueError:
                start = None
            if start is not None and start.tzinfo is not None:
                return start.astimezone(zoneinfo.ZoneInfo(self.timezone)).date()
        return self.date(date_text, where)

    def clock(self, value: str, where: str) -> dt.time | None:
        """A time of day such as 09:00 or 09:00:00 (frab's day_change), or None."""
        if not (value or "").strip():
            return None
        match = CLOCK.match(value)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            self.repairs[f"unreadable {where} ignored"] += 1
            return None
        return dt.time(int(match.group(1)), int(match.group(2)))

    @staticmethod
    def flag(value) -> bool:
        """frab's booleans: true/false, 1/0, or JSON's own."""
        if isinstance(value, bool):
            return value
        return str(value or "").strip().lower() in ("true", "1", "yes")

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
        self, date_text: str, clock_text: str, day: dt.date | None, where: str
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
                moment = self.local(moment, where)
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
        return self.local(dt.datetime.combine(day, dt.time(hours, minutes)), where)

    def local(self, wall_clock: dt.datetime, where: str) -> dt.datetime:
        """A wall-clock time in the file's zone (repeated and skipped hours: docs/importing.md)."""
        zone = zoneinfo.ZoneInfo(self.timezone)
        moment = wall_clock.replace(tzinfo=zone, fold=0)
        if moment.utcoffset() != moment.replace(fold=1).utcoffset():
            shown = f"{wall_clock:%Y-%m-%d %H:%M}"
            there = moment.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
            if there != wall_clock:
                self.repairs[SKIPPED_TIME] += 1
                self.notes.append(
                    f"{where}: {shown} does not exist in {zone}; read as {there:%H:%M}."
                )
            else:
                self.repairs[REPEATED_TIME] += 1
                self.notes.append(
                    f"{where}: {shown} happens twice in {zone}; the first ({moment:%H:%M %Z}) "
                    "was taken. Give the time with its UTC offset to choose."
                )
        return moment

    def talk(self, get, where: str, **fields) -> TalkDoc:
        """A TalkDoc with the fields both formats name alike (get(name): the event's text,
        stripped) and the given ones."""
        return TalkDoc(
            where=where,
            track=get("track"),
            slug=get("slug"),
            subtitle=get("subtitle"),
            kind_text=get("type"),
            language=get("language"),
            abstract=get("abstract"),
            description=get("description"),
            feedback_url=self.url(get("feedback_url")),
            logo=self.url(get("logo")),
            **fields,
        )

    def link_url(self, href: str, text: str) -> str:
        """A link's URL: its href, else its text when that is a URL (CCC-style files)."""
        if (href or "").strip():
            return self.url(href, counted=False)  # a skipped link is counted as such
        if re.match(r"^https?://\S+$", (text or "").strip()):
            self.repairs["link without href: URL taken from its text"] += 1
            return self.url(text)
        return ""

    def url(self, value: str, *, counted: bool = True) -> str:
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
        if counted:
            self.repairs["unusable URL skipped"] += 1
        return ""

    def finish_talk(self, talk: TalkDoc, video: str) -> TalkDoc:
        """video: the file's recording (c3voc's video_download_url: deprecated, still written)."""
        if video.strip():
            talk.links.append(LinkDoc(self.url(video), "Recording", "recording"))
        # NUL and other control characters break XML exports and PostgreSQL text columns.
        for name in (
            *("title", "subtitle", "abstract", "description", "slug", "room", "track"),
            *("kind_text", "licence"),
        ):
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
        usable = [link for link in talk.links if link.url]
        if len(usable) != len(talk.links):
            self.repairs["link without a usable URL skipped"] += len(talk.links) - len(usable)
            for link in talk.links:
                if not link.url:
                    self.notes.append(f"{talk.where}: link “{link.title}” has no URL; skipped.")
        talk.links = usable
        return talk

    def require_title(self, title: str, where: str) -> str:
        title = (title or "").strip()
        if not title:
            raise ScheduleFormatError(f"{where}: the talk has no title.")
        return title


RECORDING_HOSTS = ("video.fosdem.org", "media.ccc.de", "meetings-archive.debian.net")
VIDEO_HOSTS = ("youtube.com", "www.youtube.com", "youtu.be", "vimeo.com", "peertube")
VIDEO_FILES = (".webm", ".mp4", ".mkv", ".ogv", ".ogg")
SLIDE_HOSTS = ("speakerdeck.com", "www.slideshare.net", "slides.com")


def link_kind(text: str, url: str) -> str:
    """slides, recording, video or other. Rules: docs/importing.md#what-survives-the-round-trip"""
    text = (text or "").lower()
    if "slide" in text:
        return "slides"
    if "record" in text:
        return "recording"
    if "video" in text or "media" in text or ".webm" in text or ".mp4" in text:
        return "video"
    parts = urlsplit((url or "").strip())
    host, path = (parts.hostname or "").lower(), parts.path.lower()
    if host in RECORDING_HOSTS or path.endswith(VIDEO_FILES):
        return "recording"
    if host in VIDEO_HOSTS or host.startswith("peertube."):
        return "video"
    if host in SLIDE_HOSTS or "/slides" in path:
        return "slides"
    return "other"


def slug_for(text: str, fallback: str) -> str:
    return (slugify(text) or fallback)[:100]
