"""Each talk's frab entry (an <event> of schedule.xml, an object of schedule.json; the
frab/c3voc contract) from plain value tuples, one query per table: model instances would
cost more than the shaping itself."""

import uuid

from django.urls import reverse

from schedule import local_time
from schedule.exports.frab import CANCELLED_PREFIX, LINK_TYPES, acronym, export_slug
from schedule.models import Event
from schedule.place_rows import devroom_rows, room_rows
from schedule.text import clean_text, exported_markup
from talks.identity import LOCAL_ID_BASE
from talks.models import PersonId, Talk, TalkLink, TalkSpeaker

TALK_COLUMNS = ("pk", "guid", "frab_id", "slug", "title", "subtitle", "status", "kind")
TALK_COLUMNS += ("language", "abstract", "description", "room_id", "devroom_id")
TALK_COLUMNS += ("source_type", "do_not_record", "licence", "feedback_url", "logo")
CANCELLED = Talk.Status.CANCELLED


def frab_entries(talks, event: Event, base_url: str) -> dict[int, dict]:
    """Talk id -> its frab entry, for the talks of `talks` (a queryset of the event's
    talks; those without a time are left out, as the exports leave them out)."""
    scheduled = talks.filter(start__isnull=False, end__isnull=False)
    chosen = scheduled.select_related(None).prefetch_related(None).order_by()
    rows = chosen.values_list(*TALK_COLUMNS, "start", "end")
    talk_ids = chosen.values("pk")
    rooms = {row[0]: row[2] for row in room_rows(event.pk)}  # pk -> name
    devrooms = {row[0]: row[2] for row in devroom_rows(event.pk)}
    persons = persons_of(talk_ids, event.series)
    links = links_of(talk_ids)
    local = local_time.formatter(event.tzinfo, local_time.iso, local_time.hm)
    prefix = f"{acronym(event)}-"
    entries = {}
    for (pk, guid, frab_id, slug, title, subtitle, status, kind, language, abstract,
         description, room_id, devroom_id, source_type, do_not_record, licence, feedback_url,
         logo, start, end) in rows:  # fmt: skip
        date, start_hm = local(start)  # the date: ISO, with the event's offset
        title = clean_text(title)
        entries[pk] = {
            "guid": str(uuid.UUID(str(guid))),  # SQLite gives the hex digits
            "id": frab_id,
            "date": date,
            "start": start_hm,
            "duration": local_time.duration(start, end),
            "room": rooms.get(room_id, ""),
            "slug": export_slug(prefix, frab_id, slug),
            "url": base_url + reverse("talks:detail", args=[event.slug, slug]),
            "title": CANCELLED_PREFIX + title if status == CANCELLED else title,
            "subtitle": clean_text(subtitle),
            "track": devrooms.get(devroom_id, ""),
            "type": clean_text(source_type) or kind,
            "language": language,
            "abstract": exported_markup(abstract),
            "description": exported_markup(description),
            "logo": logo,
            "do_not_record": do_not_record,
            "recording_license": clean_text(licence),
            "persons": persons.get(pk, []),
            "links": links.get(pk, {}).get(False, []),
            "attachments": links.get(pk, {}).get(True, []),
        }
        if feedback_url:
            entries[pk]["feedback_url"] = feedback_url
    return entries


def persons_of(talk_ids, series: str) -> dict[int, list[dict]]:
    """Talk id -> its speakers in billing order, each named as the talk credits them and
    with the id its file gave them, else the id the person has in the event's series (the
    smallest, if several), else one from the local range."""
    billed = TalkSpeaker.objects.filter(talk_id__in=talk_ids)
    ids = PersonId.objects.filter(series=series, speaker_id__in=billed.values("speaker_id"))
    # By descending number: the smallest is the last one kept.
    numbers = dict(ids.order_by("-number").values_list("speaker_id", "number")) if series else {}
    # One entry per person and credit, shared by their talks.
    people: dict[tuple, dict] = {}
    persons: dict[int, list[dict]] = {}
    rows = billed.order_by("talk_id", "position", "id").values_list(
        "talk_id", "speaker_id", "speaker__name", "speaker__bio", "credited_as", "person_number"
    )
    for talk_id, speaker_id, name, bio, credited_as, number in rows:
        person = people.get((speaker_id, credited_as, number))
        if person is None:
            person = people[speaker_id, credited_as, number] = {
                "id": number or numbers.get(speaker_id, LOCAL_ID_BASE + speaker_id),
                "name": clean_text(credited_as or name),
                "biography": exported_markup(bio),
            }
        persons.setdefault(talk_id, []).append(person)
    return persons


def links_of(talk_ids) -> dict[int, dict[bool, list[dict]]]:
    """Talk id -> its links (False) and attachments (True) that may be links (http, https,
    mailto), in their order."""
    links: dict[int, dict[bool, list[dict]]] = {}
    for talk_id, kind, url, title, attachment in (
        TalkLink.objects.linkable()
        .filter(talk_id__in=talk_ids)
        .order_by("talk_id", "position", "id")
        .values_list("talk_id", "kind", "url", "title", "attachment")
    ):
        links.setdefault(talk_id, {}).setdefault(attachment, []).append(
            {"type": LINK_TYPES.get(kind, "web"), "url": url, "title": clean_text(title)}
        )
    return links
