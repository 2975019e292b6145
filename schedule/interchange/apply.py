"""Import step: apply a read ScheduleDoc to the database (called inside one transaction).

Places first (event, rooms, devrooms), then each talk with its speakers and links, then the
ids learnt and the report. Matching lives in sessions.py (talks) and people.py (speakers).
"""

import datetime as dt

from django.utils import timezone

from schedule.interchange import places
from schedule.interchange.documents import ScheduleDoc, TalkDoc
from schedule.interchange.history import UndoLog
from schedule.interchange.people import PeopleMatcher
from schedule.interchange.report import CLASHES_KEPT, ImportReport
from schedule.interchange.sessions import TalkMatcher
from talks.models import Talk, TalkLink, TalkSpeaker

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
    ("junior", Talk.Kind.WORKSHOP),  # FOSDEM Junior: hands-on sessions for children
    ("certification", Talk.Kind.OTHER),
    ("other", Talk.Kind.OTHER),
]

# The talk fields a schedule file carries. A re-import writes only those whose value in the
# file changed since the previous import of it, and keeps an organiser's edit of them.
FILE_FIELDS = (
    *("title", "subtitle", "kind", "source_type", "language", "abstract", "description"),
    *("room_id", "devroom_id", "start", "end", "status"),
    *("do_not_record", "licence", "feedback_url", "logo"),
)


def kind_for(text: str) -> tuple[str, bool]:
    """Our kind for a free-text frab type; second value says whether it was a guess."""
    lowered = text.lower()
    for word, kind in KIND_WORDS:
        if word in lowered:
            return kind, False
    return (Talk.Kind.TALK, False) if not lowered else (Talk.Kind.OTHER, True)


def stored(value):
    """A field's value as Talk.imported keeps it (JSON)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value


class Importer:
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
        for talk_doc in self.progress(self.doc.talks):
            self.apply_talk(talk_doc)
        self.people.flush()
        self.report.id_conflicts = self.people.conflicts
        if self.replace:
            gone = list(Talk.objects.filter(event=self.event).exclude(pk__in=self.talks.seen))
            if gone:
                self.undo.deleting(gone)
                Talk.objects.filter(pk__in=[t.pk for t in gone]).delete()
                self.report.deleted["talks"] += len(gone)
        flagged = flag_kept_clashes(self.event)
        if flagged:
            # Kept as the file says (the admin would refuse them), flagged for organisers.
            self.report.clashes = flagged
            self.report.repairs[CLASHES_KEPT] += len(flagged)

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
        in_file["links"] = [[k, t, u, a] for k, t, u, a in self.wanted_links(doc)]
        app_id = self.talks.app_id(doc)
        if talk is None:
            slug, value = self.talks.new_identity(doc, guid)
            talk = Talk(event=self.event, slug=slug, guid=value, frab_id=app_id, **values)
            talk.imported = in_file
            talk.skip_clash_check = True  # clashes are kept as the file says, then flagged
            talk.save(force_insert=True)
            talk._prefetched_objects_cache = {"talk_speakers": [], "links": []}  # none yet
            self.undo.created("talks", talk.pk)
            self.report.created["talks"] += 1
            previous = {}
        else:
            previous = talk.imported or {}
            self.update_talk(talk, values, in_file, app_id)
        self.talks.mark(talk)
        people_changed = links_changed = False
        if self.prefer_file or previous.get("persons") != in_file["persons"]:
            people_changed = self.set_speakers(talk, doc, previous)
        if self.prefer_file or previous.get("links") != in_file["links"]:
            links_changed = self.set_links(talk, doc, previous)
        if people_changed or links_changed:
            # A new speaker or link is a change of the talk (its LAST-MODIFIED, its order).
            Talk.objects.filter(pk=talk.pk).update(updated=timezone.now())

    def update_talk(self, talk: Talk, values: dict, in_file: dict, app_id) -> None:
        """Write the fields whose value in the file changed since its previous import; an
        organiser's edit of such a field is kept and listed as a conflict. An import that
        prefers the file writes every field that differs from it."""
        previous = talk.imported or {}
        changes = {}
        for name, value in values.items():
            now = stored(getattr(talk, name))
            if now == in_file[name]:
                continue
            if name in previous and not self.prefer_file:
                if previous[name] == in_file[name]:
                    continue  # the file did not change: an organiser's edit stays
                if now != previous[name]:
                    self.report.conflict(talk, name, in_file[name], now)
                    continue
            changes[name] = value
        if app_id and talk.frab_id != app_id:
            changes["frab_id"] = app_id
        if not changes:
            self.report.unchanged["talks"] += 1
            if talk.imported != in_file:
                Talk.objects.filter(pk=talk.pk).update(imported=in_file)
                talk.imported = in_file
            return
        self.undo.changed(
            "talks",
            talk.pk,
            {name: getattr(talk, name) for name in changes} | {"imported": talk.imported},
        )
        for name, value in changes.items():
            setattr(talk, name, value)
        talk.imported = in_file
        talk.skip_clash_check = True
        # Only these columns: an organiser's edit saved meanwhile to others is not undone.
        talk.save(update_fields=[*changes, "imported", "updated"])
        self.report.updated["talks"] += 1

    def set_speakers(self, talk: Talk, doc: TalkDoc, previous: dict) -> bool:
        entries = list(talk.talk_speakers.all())  # prefetched, in order
        now = [[e.person_number, e.credited_as or e.speaker.name] for e in entries]
        if "persons" in previous and now != previous["persons"] and not self.prefer_file:
            if now != [[p.number, p.name[:200]] for p in doc.persons]:
                self.report.conflict(talk, "speakers", previous["persons"], now)
                return False
        current = [e.speaker for e in entries]
        wanted, credits = [], []
        for person in doc.persons:
            speaker = self.people.speaker_for(person, current)
            if speaker.pk not in [s.pk for s in wanted]:
                wanted.append(speaker)
                credits.append(person)
        rows = [(s.pk, p.name[:200], p.number) for s, p in zip(wanted, credits, strict=True)]
        if [(e.speaker_id, e.credited_as, e.person_number) for e in entries] == rows:
            return False
        self.undo.credits(talk, [[e.speaker_id, e.credited_as, e.person_number] for e in entries])
        TalkSpeaker.objects.filter(talk=talk).delete()
        TalkSpeaker.objects.bulk_create(
            TalkSpeaker(
                talk=talk, speaker_id=pk, credited_as=name, person_number=number, position=i
            )
            for i, (pk, name, number) in enumerate(rows)
        )
        return True

    @staticmethod
    def wanted_links(doc: TalkDoc) -> list[tuple]:
        return [(ln.kind, ln.title[:200], ln.url[:500], ln.attachment) for ln in doc.links]

    def set_links(self, talk: Talk, doc: TalkDoc, previous: dict) -> bool:
        wanted = self.wanted_links(doc)
        current = [(ln.kind, ln.title, ln.url, ln.attachment) for ln in talk.links.all()]
        if current == wanted:
            return False
        if "links" in previous and [list(c) for c in current] != previous["links"]:
            if not self.prefer_file:
                self.report.conflict(talk, "links", previous["links"], current)
                return False
        self.undo.links(talk, [list(c) for c in current])
        TalkLink.objects.filter(talk=talk).delete()
        TalkLink.objects.bulk_create(
            TalkLink(talk=talk, kind=k, title=t, url=u, attachment=a, position=i)
            for i, (k, t, u, a) in enumerate(wanted)
        )
        return True


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
    Talk.objects.filter(event=event, kept_clash=True).exclude(pk__in=clashing).update(
        kept_clash=False
    )
    Talk.objects.filter(pk__in=clashing, kept_clash=False).update(kept_clash=True)
    return list(
        Talk.objects.filter(pk__in=clashing).order_by("start").values_list("title", flat=True)
    )
