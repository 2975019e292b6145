"""How talks are queried (in a constant number of queries) and what a saved talk derives."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F

from schedule.marked import MarkedQuerySet
from schedule.models import Devroom, Event, Room
from schedule.text import markdown_to_text
from talks.identity import LOCAL_ID_BASE
from talks.models.speakers import Speaker, credited
from talks.models.talk_parts import TalkLink, TalkSpeaker
from talks.search_text import talk_search_text


class TalkQuerySet(MarkedQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Bulk creation skips save() and signals: fill in what the signals would."""
        objs = list(objs)
        for talk in objs:
            fill_derived(talk)
        created = super().bulk_create(objs, *args, **kwargs)
        numbered = [t for t in created if t.pk and t.frab_id is None]
        for talk in numbered:
            talk.frab_id = LOCAL_ID_BASE + talk.pk
        self.bulk_update(numbered, ["frab_id"], batch_size=500)
        return created

    def public(self):
        """Everything but drafts: every public query starts here (or at for_schedule())."""
        return self.filter(is_draft=False)

    def confirmed(self):
        return self.filter(status=self.model.Status.CONFIRMED)

    def scheduled(self):
        return self.filter(start__isnull=False)

    def unscheduled(self):
        return self.filter(start__isnull=True)

    def overlapping(self, start: dt.datetime, end: dt.datetime):
        return self.filter(start__lt=end, end__gt=start)

    def with_speakers(self):
        billing = TalkSpeaker.objects.select_related("speaker").order_by("position", "id")
        return self.prefetch_related(models.Prefetch("talk_speakers", queryset=billing))

    def for_schedule(self):
        """With all lists, grids and exports touch; by start (unscheduled last), then room."""
        return (
            self.public()
            .select_related("event", "room", "devroom")
            .with_speakers()
            .order_by(F("start").asc(nulls_last=True), "room__position", "room__name", "title")
        )

    def for_export(self):
        """With only the links that may be links (http, https, mailto): a `javascript:` URL
        stored through any path never reaches a page or an export."""
        links = TalkLink.objects.linkable().order_by("position", "id")
        return self.for_schedule().prefetch_related(models.Prefetch("links", queryset=links))

    def export_list(self, *, event=None, omit=(), bios=True) -> list:
        """Like for_schedule() in four flat queries (no join per row, no queryset per talk).
        `omit` (deferred columns) and `bios=False` leave out long texts the caller never reads."""
        chosen = self.prefetch_related(None).select_related(None)
        talks = list(chosen.defer(*omit) if omit else chosen)
        if not talks:
            return []
        attach_places(talks, event)
        # Rows added since are skipped below: the talk's stamp moved, the next request has them.
        billing = list(
            TalkSpeaker.objects.filter(talk_id__in=chosen.order_by().values("pk"))
            .order_by("talk_id", "position", "id")
            .values_list("talk_id", "speaker_id", "credited_as")
        )
        # One instance per person, however many talks they give.
        people = Speaker.objects.filter(pk__in={row[1] for row in billing})
        people = people.in_bulk() if bios else people.defer("bio").in_bulk()
        speakers: dict[int, list] = {talk.pk: [] for talk in talks}
        for talk_id, speaker_id, credited_as in billing:
            if talk_id in speakers and speaker_id in people:
                speakers[talk_id].append(credited(people[speaker_id], credited_as))
        for talk in talks:
            talk.ordered_speakers = speakers[talk.pk]
        return talks


def attach_places(talks: list, event=None) -> None:
    """Give each talk its event, room and devroom, one query per table (none for `event`)."""
    for field, model in (("event", Event), ("room", Room), ("devroom", Devroom)):
        attname = f"{field}_id"
        wanted = {getattr(talk, attname) for talk in talks} - {None}
        if field == "event" and event is not None and wanted <= {event.pk}:
            found = {event.pk: event}
        else:
            found = model.objects.in_bulk(wanted)
        for talk in talks:
            if (place := found.get(getattr(talk, attname))) is not None:
                setattr(talk, field, place)


def fill_derived(talk) -> None:
    """A new talk's calendar UID; the plain-text abstract (for calendars) and search text."""
    if not talk.uid:
        talk.uid = f"{talk.guid}@{settings.SCHEDULE_UID_DOMAIN}"
    talk.abstract_text = markdown_to_text(talk.abstract)
    talk.search_text = talk_search_text(talk)
