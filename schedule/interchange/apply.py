"""Import step: apply a ScheduleDoc inside the import's transaction: places, then each talk
with its speakers and links, then double bookings the file contains are kept and flagged."""

import datetime as dt

from django.db.models import F

from schedule import markers
from schedule.interchange import places
from schedule.interchange.documents import ScheduleDoc, TalkDoc
from schedule.interchange.history import UndoLog
from schedule.interchange.people import PeopleMatcher, ref
from schedule.interchange.report import CLASHES_KEPT, ImportReport
from schedule.interchange.rows import PendingRows
from schedule.interchange.sessions import TalkMatcher
from talks.models import Talk, TalkSpeaker

# Checked in this order, the first word found wins ("Lightning talk" is lightning).
KIND_WORDS = [
    (Talk.Kind.LIGHTNING, ("lightning",)),
    (Talk.Kind.WORKSHOP, ("workshop", "hands-on")),
    (Talk.Kind.KEYNOTE, ("keynote",)),
    (Talk.Kind.PANEL, ("panel", "podium")),
    (Talk.Kind.MEETING, ("meeting", "bof")),
    (Talk.Kind.TALK, ("talk", "lecture", "devroom", "maintrack")),
    (Talk.Kind.WORKSHOP, ("junior",)),  # FOSDEM Junior: hands-on sessions for children
    (Talk.Kind.OTHER, ("certification", "other")),
]


def kind_for(text: str) -> tuple[str, bool]:
    """Our kind for a free-text frab type; second value says whether it was a guess."""
    lowered = text.lower()
    for kind, words in KIND_WORDS:
        if any(word in lowered for word in words):
            return kind, False
    return (Talk.Kind.TALK, False) if not lowered else (Talk.Kind.OTHER, True)


def stored(value):
    """A field's value as Talk.imported keeps it (JSON)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value


def overlapping_pairs(rows) -> set[int]:
    """Ids of rows overlapping another row of the same key; rows are (key, start, end, id)
    sorted by key then start."""
    clashing, current = set(), []
    for key, start, end, pk in rows:
        current = [row for row in current if row[0] == key and row[2] > start]
        for row in current:
            clashing.update((row[3], pk))
        current.append((key, start, end, pk))
    return clashing


def flag_kept_clashes(event) -> list[str]:
    """Flag the event's confirmed talks that overlap another in the same room or with the
    same speaker (and unflag the rest); returns their titles. Two queries."""
    talks = Talk.objects.confirmed().scheduled().filter(event=event)
    by_room = talks.filter(room__isnull=False).order_by("room_id", "start")
    clashing = overlapping_pairs(by_room.values_list("room_id", "start", "end", "pk"))
    by_speaker = TalkSpeaker.objects.filter(talk__in=talks).order_by("speaker_id", "talk__start")
    clashing |= overlapping_pairs(
        by_speaker.values_list("speaker_id", "talk__start", "talk__end", "talk_id")
    )
    # Admin-only flag: `updated` stays, so pieces and LAST-MODIFIED do not move.
    keep = F("updated")
    Talk.objects.filter(event=event, kept_clash=True).exclude(pk__in=clashing).update(
        kept_clash=False, updated=keep
    )
    Talk.objects.filter(pk__in=clashing, kept_clash=False).update(kept_clash=True, updated=keep)
    return list(
        Talk.objects.filter(pk__in=clashing).order_by("start").values_list("title", flat=True)
    )


class Importer:
    """Existing talks are updated as they come; new rows are written in bulk at the end
    (rows.py), so a whole FOSDEM takes a few queries."""

    def __init__(
        self, doc: ScheduleDoc, report: ImportReport, *, replace: bool, progress, prefer_file
    ):
        self.doc, self.report, self.replace = doc, report, replace
        self.prefer_file = prefer_file
        self.progress = progress or (lambda items: items)
        self.undo = UndoLog()

    def run(self, event_slug: str | None, series: str | None = None):
        self.event = places.upsert_event(self.doc, self.report, event_slug, series, self.undo)
        self.report.event = self.event
        self.rooms = places.upsert_rooms(self.doc, self.report, self.event, self.undo)
        self.devrooms = places.upsert_devrooms(self.doc, self.report, self.event, self.undo)
        self.people = PeopleMatcher(self.doc, self.event, self.report, self.undo)
        self.talks = TalkMatcher(self.doc, self.event, self.report)
        self.pending = PendingRows(self.undo)
        for talk_doc in self.progress(self.doc.talks):
            self.apply_talk(talk_doc)
        self.people.flush()
        created = self.pending.flush()
        self.talks.seen.update(created)
        self.report.id_conflicts = self.people.conflicts
        if self.replace:
            gone = list(Talk.objects.filter(event=self.event).exclude(pk__in=self.talks.seen))
            if gone:
                self.undo.deleting(gone)
                Talk.objects.filter(pk__in=[t.pk for t in gone]).delete()
                self.report.deleted["talks"] += len(gone)
        if flagged := flag_kept_clashes(self.event):
            # Kept as the file says (the admin would refuse them), flagged for organisers.
            self.report.clashes = flagged
            self.report.repairs[CLASHES_KEPT] += len(flagged)
        if self.report.created or self.report.updated or self.report.deleted:
            markers.bump_events([self.event.pk])  # bulk writes send no signals

    def talk_values(self, doc: TalkDoc) -> dict:
        kind, guessed = kind_for(doc.kind_text)
        if guessed:
            self.report.repairs["unknown type kept as given, shown as “other”"] += 1
        return {
            "title": doc.title[:300],
            "subtitle": doc.subtitle[:300],
            "kind": kind,
            "source_type": doc.kind_text[:50],
            "language": doc.language[:16],
            "abstract": doc.abstract,
            "description": doc.description,
            # Ids, not objects: comparing talk.room would load each talk's room.
            "room_id": getattr(self.rooms.get(doc.room), "pk", None),
            "devroom_id": getattr(self.devrooms.get(doc.track), "pk", None),
            "start": doc.start.astimezone(dt.UTC),
            "end": (doc.start + doc.duration).astimezone(dt.UTC),
            "status": Talk.Status.CANCELLED if doc.cancelled else Talk.Status.CONFIRMED,
            "do_not_record": doc.do_not_record,
            "licence": doc.licence[:100],
            "feedback_url": doc.feedback_url[:500],
            "logo": doc.logo[:500],
        }

    def apply_talk(self, doc: TalkDoc):
        guid = self.talks.session_guid(doc)
        talk = self.talks.find(doc, guid)
        if talk is not None and talk.pk in self.talks.seen:
            self.report.repairs["event listed twice, later copy skipped"] += 1
            return
        values = self.talk_values(doc)
        in_file = {name: stored(value) for name, value in values.items()}
        in_file["persons"] = [[p.number, p.name[:200]] for p in doc.persons]
        in_file["links"] = [list(link) for link in wanted_links(doc)]
        app_id = self.talks.app_id(doc)
        if talk is None:
            slug, value = self.talks.new_identity(doc, guid)
            talk = Talk(event=self.event, slug=slug, guid=value, frab_id=app_id, **values)
            talk.imported = in_file
            self.pending.talks.append(talk)
            self.talks.used_slugs.add(slug)
            self.report.created["talks"] += 1
            self.pending.replace("credits", talk, self.credits(doc, []), [])
            self.pending.replace("links", talk, wanted_links(doc), [])
            return
        previous = talk.imported or {}
        self.update_talk(talk, values, in_file, app_id)
        self.talks.used_slugs.add(talk.slug)
        self.talks.seen.add(talk.pk)
        if self.prefer_file or previous.get("persons") != in_file["persons"]:
            self.set_speakers(talk, doc, previous)
        if self.prefer_file or previous.get("links") != in_file["links"]:
            self.set_links(talk, doc, previous)

    def update_talk(self, talk: Talk, values: dict, in_file: dict, app_id) -> None:
        """Write the fields the file changed since its last import (prefer_file: every differing
        field). Rules: docs/importing.md#re-imports-keep-organisers-edits"""
        changes, conflicts = self.changed_fields(talk, values, in_file)
        if changes:
            # Re-read under a lock held to commit: an organiser's save since the import read
            # the row is decided on, not overwritten.
            rows = Talk.objects.select_for_update().filter(pk=talk.pk)
            fresh = rows.values(*values, "imported").first() or {}
            if any(fresh[name] != getattr(talk, name) for name in [*values, "imported"]):
                for name, value in fresh.items():
                    setattr(talk, name, value)
                changes, conflicts = self.changed_fields(talk, values, in_file)
        for name, kept in conflicts:
            self.report.conflict(talk, name, in_file[name], kept)
        if app_id and talk.frab_id != app_id:
            changes["frab_id"] = app_id
        if not changes:
            self.report.unchanged["talks"] += 1
            if talk.imported != in_file:
                # Bookkeeping nobody sees: the talk's stamp (pieces, LAST-MODIFIED) stays.
                Talk.objects.filter(pk=talk.pk).update(imported=in_file, updated=F("updated"))
                talk.imported = in_file
            return
        before = {name: getattr(talk, name) for name in changes}
        self.undo.changed("talks", talk.pk, before | {"imported": talk.imported})
        for name, value in changes.items():
            setattr(talk, name, value)
        talk.imported = in_file
        talk.skip_clash_check = True
        # Only these columns: an organiser's edit saved meanwhile to others is not undone.
        talk.save(update_fields=[*changes, "imported", "updated"])
        self.report.updated["talks"] += 1

    def changed_fields(self, talk: Talk, values: dict, in_file: dict) -> tuple[dict, list]:
        """Three-way per field (file now, file at last import, talk now): the fields to write,
        and the organisers' edits kept against the file."""
        previous = talk.imported or {}
        changes, conflicts = {}, []
        for name, value in values.items():
            now = stored(getattr(talk, name))
            if now == in_file[name]:
                continue
            if name in previous and not self.prefer_file:
                if previous[name] == in_file[name]:
                    continue  # the file did not change: an organiser's edit stays
                if now != previous[name]:
                    conflicts.append((name, now))
                    continue
            changes[name] = value
        return changes, conflicts

    def credits(self, doc: TalkDoc, current: list) -> list[tuple]:
        """(speaker, name as credited, the file's id) for each person, each speaker once."""
        rows, seen = [], set()
        for person in doc.persons:
            speaker = self.people.speaker_for(person, current)
            if ref(speaker) not in seen:
                seen.add(ref(speaker))
                rows.append((speaker, person.name[:200], person.number))
        return rows

    def set_speakers(self, talk: Talk, doc: TalkDoc, previous: dict) -> None:
        entries = list(talk.talk_speakers.all())  # prefetched, in order
        now = [[e.person_number, e.credited_as or e.speaker.name] for e in entries]
        if "persons" in previous and now != previous["persons"] and not self.prefer_file:
            if now != [[p.number, p.name[:200]] for p in doc.persons]:
                self.report.conflict(talk, "speakers", previous["persons"], now)
                return
        rows = self.credits(doc, [e.speaker for e in entries])
        wanted = [(s.pk, name, number) for s, name, number in rows]
        if [(e.speaker_id, e.credited_as, e.person_number) for e in entries] != wanted:
            before = [[e.speaker_id, e.credited_as, e.person_number] for e in entries]
            self.pending.replace("credits", talk, rows, before)

    def set_links(self, talk: Talk, doc: TalkDoc, previous: dict) -> None:
        wanted = wanted_links(doc)
        current = [(ln.kind, ln.title, ln.url, ln.attachment) for ln in talk.links.all()]
        if current == wanted:
            return
        before = [list(c) for c in current]
        if not self.prefer_file and "links" in previous and before != previous["links"]:
            self.report.conflict(talk, "links", previous["links"], current)
            return
        self.pending.replace("links", talk, wanted, before)


def wanted_links(doc: TalkDoc) -> list[tuple]:
    return [(ln.kind, ln.title[:200], ln.url[:500], ln.attachment) for ln in doc.links]
