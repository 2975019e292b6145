"""Import step: apply a read ScheduleDoc to the database (called inside one transaction).

Places first (event, rooms, devrooms), then each talk with its speakers and links, then the
ids learnt and the report. Matching lives in sessions.py (talks) and people.py (speakers).
"""

import datetime as dt

from django.utils import timezone

from schedule.interchange import places
from schedule.interchange.documents import ScheduleDoc, TalkDoc
from schedule.interchange.people import PeopleMatcher
from schedule.interchange.report import ImportReport
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
]


def kind_for(text: str) -> tuple[str, bool]:
    """Our kind for a free-text frab type; second value says whether it was a guess."""
    lowered = text.lower()
    for word, kind in KIND_WORDS:
        if word in lowered:
            return kind, False
    return (Talk.Kind.TALK, False) if not lowered else (Talk.Kind.OTHER, True)


class Importer:
    def __init__(self, doc: ScheduleDoc, report: ImportReport, *, replace: bool, progress):
        self.doc, self.report, self.replace = doc, report, replace
        self.progress = progress or (lambda items: items)

    def run(self, event_slug: str | None, series: str | None = None):
        self.event = places.upsert_event(self.doc, self.report, event_slug, series)
        self.report.event = self.event
        self.rooms = places.upsert_rooms(self.doc, self.report, self.event)
        self.devrooms = places.upsert_devrooms(self.doc, self.report, self.event)
        self.people = PeopleMatcher(self.doc, self.event.series, self.report)
        self.talks = TalkMatcher(self.doc, self.event, self.report)
        for talk_doc in self.progress(self.doc.talks):
            self.apply_talk(talk_doc)
        self.people.flush()
        if self.replace:
            gone = Talk.objects.filter(event=self.event).exclude(pk__in=self.talks.seen)
            count = gone.count()
            gone.delete()
            if count:
                self.report.deleted["talks"] += count
        flagged = flag_kept_clashes(self.event)
        if flagged:
            # Kept as the file says (the admin would refuse them), flagged for organisers.
            self.report.repairs["talks double-booked in the file, kept and flagged"] += len(flagged)
            self.report.notes.append(
                "Double-booked in the file (flagged “clash kept from the source” in the admin): "
                + "; ".join(flagged[:10])
                + (" …" if len(flagged) > 10 else "")
            )

    def talk_values(self, doc: TalkDoc) -> dict:
        kind, guessed = kind_for(doc.kind_text)
        if guessed:
            self.report.repairs["unknown type imported as “other”"] += 1
        return {
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

    def apply_talk(self, doc: TalkDoc):
        guid = self.talks.session_guid(doc)
        talk = self.talks.find(doc, guid)
        if talk is not None and talk.pk in self.talks.seen:
            self.report.repairs["event listed twice, later copy skipped"] += 1
            return
        values = self.talk_values(doc)
        app_id = self.talks.app_id(doc)
        if talk is None:
            slug, value = self.talks.new_identity(doc, guid)
            talk = Talk(event=self.event, slug=slug, guid=value, frab_id=app_id, **values)
            talk.skip_clash_check = True  # clashes are kept as the file says, then flagged
            talk.save(force_insert=True)
            talk._prefetched_objects_cache = {"talk_speakers": [], "links": []}  # none yet
            self.report.created["talks"] += 1
        else:
            if app_id and talk.frab_id != app_id:
                values["frab_id"] = app_id
            talk.skip_clash_check = True
            places.record(self.report, talk, values, "talks")
        self.talks.mark(talk)
        people_changed = self.set_speakers(talk, doc)
        links_changed = self.set_links(talk, doc)
        if people_changed or links_changed:
            # A new speaker or link is a change of the talk (its LAST-MODIFIED, its order).
            Talk.objects.filter(pk=talk.pk).update(updated=timezone.now())

    def set_speakers(self, talk: Talk, doc: TalkDoc) -> bool:
        current = [ts.speaker for ts in talk.talk_speakers.all()]  # prefetched, in order
        wanted = []
        for person in doc.persons:
            speaker = self.people.speaker_for(person, current)
            if speaker.pk not in [s.pk for s in wanted]:
                wanted.append(speaker)
        if [s.pk for s in current] == [s.pk for s in wanted]:
            return False
        TalkSpeaker.objects.filter(talk=talk).delete()
        TalkSpeaker.objects.bulk_create(
            TalkSpeaker(talk=talk, speaker=s, position=i) for i, s in enumerate(wanted)
        )
        return True

    def set_links(self, talk: Talk, doc: TalkDoc) -> bool:
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
