"""Reads frab/Pentabarf schedule.xml and frab-style schedule.json into plain dataclasses.

Lenient where real files are messy (missing guid/date/version, events without a <room>
wrapper, extra elements, relative URLs, upper-case slugs, durations like 0:05); strict where
guessing would corrupt data (no title, no start, unparseable duration). Every repair is
counted in `Repairs`; every refusal is a ScheduleFormatError naming the element.
XML goes through defusedxml: no DTD entities, no external entities.
"""

from schedule.interchange.documents import (  # noqa: F401 (the reader's public names)
    LinkDoc,
    PersonDoc,
    Repairs,
    ScheduleDoc,
    ScheduleFormatError,
    TalkDoc,
)
from schedule.interchange.json_reader import JsonReader
from schedule.interchange.values import slug_for  # noqa: F401
from schedule.interchange.xml_reader import XmlReader


def read_schedule(data: bytes, *, default_timezone: str) -> ScheduleDoc:
    """XML or JSON, detected from the first meaningful character."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return XmlReader(data, default_timezone).read()
    if head in (b"{", b"["):
        return JsonReader(data, default_timezone).read()
    raise ScheduleFormatError("The file is neither XML nor JSON (it must start with < or {).")
