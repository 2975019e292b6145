"""Reads frab/Pentabarf schedule.xml and frab-style schedule.json into plain dataclasses:
repairs counted, refusals are ScheduleFormatErrors. Rules: docs/importing.md (leniency rules)"""

import re

from schedule.interchange.documents import ScheduleDoc, ScheduleFormatError
from schedule.interchange.json_reader import JsonReader
from schedule.interchange.xml_reader import XmlReader

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
XML_ENCODING = re.compile(rb"""^(<\?xml[^>]*?encoding=)(["'])[^"']*\2""")


def as_utf8(data: bytes) -> bytes:
    """UTF-16 files (with a byte order mark, or XML starting "<?" in UTF-16) become UTF-8,
    with the XML declaration's encoding changed to match; anything else is left as is."""
    if data.startswith(UTF16_BOMS):
        encoding = "utf-16"
    elif data.startswith(b"<\x00?\x00"):
        encoding = "utf-16-le"
    elif data.startswith(b"\x00<\x00?"):
        encoding = "utf-16-be"
    else:
        return data
    try:
        text = data.decode(encoding).lstrip("\ufeff").encode("utf-8")
    except UnicodeDecodeError as error:
        raise ScheduleFormatError(
            f"The file starts like UTF-16 but is not valid UTF-16 ({error.reason})."
        ) from None
    return XML_ENCODING.sub(rb'\1"UTF-8"', text, count=1)


def read_schedule(data: bytes, *, default_timezone: str) -> ScheduleDoc:
    """XML or JSON, detected from the first meaningful character (UTF-8 or UTF-16)."""
    data = as_utf8(data)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return XmlReader(data, default_timezone).read()
    if head in (b"{", b"["):
        return JsonReader(data, default_timezone).read()
    raise ScheduleFormatError("The file is neither XML nor JSON (it must start with < or {).")
