"""Whole-event exports joined from per-talk pieces (schedule.pieces): each talk's VEVENT,
frab JSON object and XML <event> is rendered once and kept while its stamp holds, so after
an edit only the affected talks are rendered again."""

import re
import uuid

import orjson

from schedule import clock
from schedule.exports import frab_talks, frab_xml, ical
from schedule.exports.frab import XML_ONLY
from schedule.pieces.stamps import talk_rows
from schedule.pieces.store import pieces, variant_of
from schedule.responses import base_url
from talks.models import Talk


def calendar_bytes(request, talks, *, name: str, events, kind: str) -> bytes:
    """A publishable calendar of a queryset's scheduled talks, from their pieces."""
    rows = talk_rows(talks.scheduled())
    root = base_url(request)

    def build(ids) -> dict[int, str]:
        chosen = Talk.objects.filter(pk__in=ids).export_list(
            omit=("abstract", "description", "search_text"), bios=False
        )
        return ical.talk_events(chosen, root)

    texts = pieces(rows, "ics", variant_of(root), build, as_bytes=True)
    vevents = [texts[row.pk] for row in rows]
    spans = [(row.timezone, row.start, row.end) for row in rows]
    return ical.assemble(vevents, spans, name=name, events=events, now=clock.now(), kind=kind)


def frab_entries(event, rows, kind: str, base_url: str) -> dict[int, bytes]:
    """Each talk's frab entry as UTF-8 text: compact JSON ("json") or an XML <event>
    ("xml")."""

    def build(ids) -> dict[int, str]:
        shaped = frab_talks.frab_entries(Talk.objects.filter(pk__in=ids), event, base_url)
        if kind == "xml":
            return {pk: frab_xml.event_xml(data) for pk, data in shaped.items()}
        return {pk: compact(data).decode() for pk, data in shaped.items()}

    return pieces(rows, kind, variant_of(base_url, event.series), build, as_bytes=True)


def compact(data) -> bytes:
    """Compact UTF-8 JSON as json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    writes it (tested), by orjson."""
    return orjson.dumps(data)


MARKER = re.compile(rb'"@@[0-9a-f]{32}@@"')  # as compact() writes a marker() key


def frab_json(data: dict) -> bytes:
    """The document with each talk's entry spliced in as ready JSON text, each room's list
    standing in as a one-off random marker, so nothing depends on key order or on what the
    texts contain; entries held as data (a stored release) are encoded. Joined as bytes: one
    emoji in a joined str would make Python store the document at four bytes a character."""
    data = {key: value for key, value in data.items() if key != XML_ONLY}
    conference = data["schedule"]["conference"]
    texts: dict[bytes, bytes] = {}

    def marker(entries) -> str:
        key = f"@@{uuid.uuid4().hex}@@"
        texts[b'"%s"' % key.encode()] = b"[%s]" % b",".join(
            e if isinstance(e, bytes) else compact(e) for e in entries
        )
        return key

    days = []
    for day in conference["days"]:
        rooms = {name: marker(entries) for name, entries in day["rooms"].items()}
        days.append({**day, "rooms": rooms})
    conference = {**conference, "days": days}
    skeleton = {**data, "schedule": {**data["schedule"], "conference": conference}}
    return MARKER.sub(lambda found: texts.get(found[0], found[0]), compact(skeleton))
