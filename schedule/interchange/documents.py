"""What a schedule file says, as plain dataclasses, before anything touches the database."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field


class ScheduleFormatError(ValueError):
    """The file cannot be imported; the message names the element or line."""


@dataclass
class PersonDoc:
    name: str
    source_id: str = ""
    biography: str = ""

    @property
    def number(self) -> int | None:
        """The file's person id as an integer (what exports give back), if it is one."""
        text = (self.source_id or "").strip()
        return int(text) if text.isdigit() and 0 < int(text) < 2**63 else None


@dataclass
class LinkDoc:
    url: str
    title: str
    kind: str = "other"
    attachment: bool = False  # an uploaded file (frab <attachments>), not a link


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
    do_not_record: bool = False
    licence: str = ""
    feedback_url: str = ""
    logo: str = ""
    day: dt.date | None = None  # the conference day the file lists the talk under
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
    logo: str = ""
    version: str = ""  # the file's own <version>, kept in the import history
    day_change: dt.time | None = None  # when the file's conference days change
    day_dates: list[dt.date] = field(default_factory=list)  # the <day>s the file lists
    rooms: list[str] = field(default_factory=list)
    tracks: dict[str, dict] = field(default_factory=dict)  # name -> {"slug", "color"}
    talks: list[TalkDoc] = field(default_factory=list)
    repairs: Counter = field(default_factory=Counter)  # things fixed up or skipped, by kind
    notes: list[str] = field(default_factory=list)  # per-item remarks for the summary
