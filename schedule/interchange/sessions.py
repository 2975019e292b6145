"""Import step: which existing talk each event of a file is, and the identity of new ones.
Rules: docs/importing.md#which-talk-is-which"""

import datetime as dt
import re
import uuid
from collections import Counter

from django.db.models import Prefetch

from schedule.interchange.documents import ScheduleDoc, TalkDoc
from schedule.interchange.report import ImportReport
from schedule.interchange.values import slug_for
from schedule.models import Event
from talks.models import Talk, TalkSpeaker

# The namespace of guids derived for files without them (uuid5 of our project's name).
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://conference-schedule.invalid/guids")


def parse_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


class TalkMatcher:
    def __init__(self, doc: ScheduleDoc, event: Event, report: ImportReport):
        self.event, self.report = event, report
        # Current speakers and links come with the talks, so comparing costs no query.
        existing = list(
            Talk.objects.filter(event=event).prefetch_related(
                # Joined, not prefetched in a second step: SQLite refuses the prefetch of
                # 1,100 speakers ("Expression tree is too large").
                Prefetch("talk_speakers", TalkSpeaker.objects.select_related("speaker")),
                "links",
            )
        )
        self.by_guid = {str(t.guid): t for t in existing}
        self.by_id = {t.frab_id: t for t in existing if t.frab_id}
        self.by_slug = {t.slug: t for t in existing}
        self.used_slugs: set[str] = set()
        self.seen: set[int] = set()
        self.guid_repeats: Counter = Counter()
        self.derived_repeats: Counter = Counter()
        self.edition = (doc.start or event.start_date).isoformat()
        ids = Counter(t.source_id for t in doc.talks if t.source_id)
        # An id the file repeats belongs to its first use (docs, keyed by identity).
        self.first_use = {t.source_id: id(t) for t in reversed(doc.talks) if t.source_id}
        self.repeated = {i for i, n in ids.items() if n > 1}
        if self.repeated:
            later = sum(ids[i] - 1 for i in self.repeated)
            report.repairs["event id repeated in the file: kept by its first use"] += later
            report.notes.append(
                "Event ids used more than once (the first use keeps the id): "
                + ", ".join(str(i) for i in sorted(self.repeated)[:20])
                + (" …" if len(self.repeated) > 20 else "")
            )
        guids = [g for g in (parse_uuid(t.guid) for t in doc.talks) if g]
        elsewhere = Talk.objects.exclude(event=event).filter(guid__in=guids)
        self.foreign_guids = {str(g) for g in elsewhere.values_list("guid", flat=True)}
        self.series_ids = set(
            Talk.objects.filter(event__series=event.series, frab_id__in=list(ids))
            .exclude(event=event)
            .values_list("frab_id", flat=True)
        )

    def owns_id(self, doc: TalkDoc) -> bool:
        return bool(doc.source_id) and self.first_use.get(doc.source_id) == id(doc)

    def derived_guid(self, doc: TalkDoc) -> str:
        """A guid-less file's talk: a guid from what identifies it in its series."""
        if doc.source_id:
            what = f"id {doc.source_id}"
        else:
            what = f"{doc.title} at {doc.start.astimezone(dt.UTC):%Y-%m-%dT%H:%M}"
        base = f"{self.event.series}/{self.edition}/{what}"
        self.derived_repeats[base] += 1
        position = self.derived_repeats[base]
        name = base if position == 1 else f"{base} #{position}"
        return str(uuid.uuid5(GUID_NAMESPACE, name))

    def session_guid(self, doc: TalkDoc) -> str:
        """The file's guid, or for a repeat of it, one derived from the guid and position;
        without one, one derived from the talk's place in its series."""
        if not doc.guid:
            return self.derived_guid(doc)
        self.guid_repeats[doc.guid] += 1
        position = self.guid_repeats[doc.guid]
        if position == 1:
            return doc.guid
        base = parse_uuid(doc.guid) or uuid.uuid5(uuid.NAMESPACE_URL, doc.guid)
        self.report.repairs[
            "session repeated under one guid, imported as its own session (derived guid)"
        ] += 1
        self.report.notes.append(
            f"{doc.where}: guid {doc.guid} repeated (session {position}); imported as a "
            "separate session with a guid derived from it."
        )
        return str(uuid.uuid5(base, f"session-{position}"))

    def find(self, doc: TalkDoc, guid: str) -> Talk | None:
        """By guid, else the file's id (its first use), else slug (x, x-2, …): the first not yet
        matched. Rules: docs/importing.md#which-talk-is-which"""
        if guid and guid in self.by_guid:
            return self.by_guid[guid]
        if self.owns_id(doc):
            talk = self.by_id.get(doc.source_id)
            if talk is not None and talk.pk not in self.seen:
                return talk
        base = candidate = self.wanted_slug(doc)
        n = 2
        while candidate in self.by_slug:
            if self.by_slug[candidate].pk not in self.seen:
                return self.by_slug[candidate]
            candidate, n = f"{base[:190]}-{n}", n + 1
        return None

    @staticmethod
    def wanted_slug(doc: TalkDoc) -> str:
        """The file's slug without a frab "<acronym>-<id>-" prefix, else from the title."""
        slug = doc.slug
        if slug and doc.source_id:
            slug = re.sub(rf"^.*?-{doc.source_id}-", "", slug, count=1)
        return (slug_for(slug, "") or slug_for(doc.title, "talk"))[:200]

    def app_id(self, doc: TalkDoc) -> int | None:
        """The file's id for the talk, unless repeated in the file or used in the series."""
        if not self.owns_id(doc):
            return None
        if doc.source_id in self.series_ids:
            self.report.repairs["event id used by another edition of the series, new id"] += 1
            return None
        return doc.source_id

    def new_identity(self, doc: TalkDoc, guid: str) -> tuple[str, uuid.UUID]:
        """A free slug and the guid a new talk gets."""
        slug = self.wanted_slug(doc)
        taken = self.used_slugs | set(self.by_slug)
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug[:190]}-{n}", n + 1
        value = parse_uuid(guid)
        if guid and value is None:
            self.report.repairs["invalid guid replaced"] += 1
        elif value and str(value) in self.foreign_guids:
            self.report.repairs["guid used by another event, new guid given"] += 1
            value = None
        return candidate, value or uuid.uuid4()
