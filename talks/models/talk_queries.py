"""How talks are queried (TalkQuerySet: what lists, grids and exports load, in a constant
number of queries) and the ids a new talk gets. Kept apart from programme.py (the model)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F

from schedule.marked import MarkedQuerySet
from schedule.models import Devroom, Event, Room
from schedule.search.normalise import talk_search_text
from schedule.text import markdown_to_text
from talks.identity import LOCAL_ID_BASE
from talks.models.light import id_list, light_instances
from talks.models.speakers import Speaker, credited
from talks.models.talk_parts import TalkLink, TalkSpeaker


class TalkQuerySet(MarkedQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Bulk creation skips save() and signals: give each new talk its calendar UID."""
        objs = list(objs)
        for talk in objs:
            if not talk.uid:
                talk.uid = talk_uid(talk)
            talk.abstract_text = markdown_to_text(talk.abstract)
            talk.search_text = talk_search_text(talk)
        created = super().bulk_create(objs, *args, **kwargs)
        numbered = [t for t in created if t.pk and t.frab_id is None]
        for talk in numbered:
            talk.frab_id = LOCAL_ID_BASE + talk.pk
        self.bulk_update(numbered, ["frab_id"], batch_size=500)
        return created

    def public(self):
        """What the public may see: everything but drafts. Every public query (pages, search,
        counts, speaker pages, now/next, feeds, exports, releases) starts here, through
        for_schedule() or directly."""
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
        return self.prefetch_related(
            models.Prefetch(
                "talk_speakers",
                queryset=TalkSpeaker.objects.select_related("speaker").order_by("position", "id"),
            )
        )

    def with_links(self):
        """Only links that may be links (http, https, mailto): a `javascript:` URL stored
        through any path never reaches a page or an export."""
        return self.prefetch_related(
            models.Prefetch(
                "links", queryset=TalkLink.objects.linkable().order_by("position", "id")
            )
        )

    def for_schedule(self):
        """Talks with everything lists, grids and exports touch; by start, then room order.

        Unscheduled talks come last (start is NULL).
        """
        return (
            self.public()
            .select_related("event", "room", "devroom")
            .with_speakers()
            .order_by(F("start").asc(nulls_last=True), "room__position", "room__name", "title")
        )

    def for_export(self):
        return self.for_schedule().with_links()

    def export_list(self, *, event=None, omit=(), bios=True) -> list:
        """The talks with their speakers, attached in three flat queries (the frab exports
        read theirs as rows: schedule.exports.frab_talks). Like for_schedule(), without
        Django building a queryset per talk for the prefetch (a third of a 1,000-talk list).

        `omit` names talk columns the caller never reads, and `bios=False` leaves out the
        speakers' biographies: the long texts are most of what a thousand rows weigh."""
        chosen = self.prefetch_related(None).select_related(None)
        talks = light_instances(chosen, omit)
        if not talks:
            return []
        ids = [talk.pk for talk in talks]
        attach_places(talks, event)
        # The related rows are chosen by the same conditions, as a subquery: a list of a
        # thousand ids would be prepared by Django value by value for each query (2-3 ms
        # each). Rows added meanwhile by another transaction are skipped (.get below): the
        # talk's stamp has moved, so its pieces are rebuilt on the next request.
        talk_ids = chosen.order_by().values("pk")
        billed = TalkSpeaker.objects.filter(talk_id__in=talk_ids)
        billing = list(
            billed.order_by("talk_id", "position", "id").values_list(
                "talk_id", "speaker_id", "credited_as"
            )
        )
        # One instance per person (a person with five talks is built once, not five times).
        people = {
            person.pk: person
            for person in light_instances(
                # The people read off the billing rows, not by a subquery nesting the talks'
                # (PostgreSQL planned that one as nested loops on stale statistics).
                Speaker.objects.filter(pk__in=id_list({row[1] for row in billing})),
                omit=() if bios else ("bio",),
            )
        }
        speakers: dict[int, list] = {pk: [] for pk in ids}
        for talk_id, speaker_id, credited_as in billing:
            if talk_id in speakers and speaker_id in people:
                speakers[talk_id].append(credited(people[speaker_id], credited_as))
        for talk in talks:
            talk.__dict__["ordered_speakers"] = speakers[talk.pk]
        return talks


def attach_places(talks: list, event=None) -> None:
    """Give each talk its event, room and devroom objects, one query per table instead of a
    join per row (a 1,000-talk list builds 3,000 fewer model instances). A page that has
    its event already passes it.

    The objects go straight into each talk's related-object cache, where the foreign
    key's own setter would put them after checks that cost more than the rest of this for
    a thousand talks (their ids are the talk's already)."""
    for field, model in (("event", Event), ("room", Room), ("devroom", Devroom)):
        attname = f"{field}_id"
        wanted = {talk.__dict__[attname] for talk in talks} - {None}
        if field == "event" and event is not None and wanted <= {event.pk}:
            found = {event.pk: event}
        else:
            found = model.objects.in_bulk(wanted)
        for talk in talks:
            talk._state.fields_cache[field] = found.get(talk.__dict__[attname])


def talk_uid(talk) -> str:
    """A new talk's calendar UID: its guid (from the file, or made here) at our domain."""
    return f"{talk.guid}@{settings.SCHEDULE_UID_DOMAIN}"


def free_talk_id(talk) -> int:
    """An app id from the local range, unused by any talk of the talk's series."""
    candidate = LOCAL_ID_BASE + talk.pk
    same_series = type(talk).objects.filter(event__series=talk.event.series)
    while same_series.filter(frab_id=candidate).exclude(pk=talk.pk).exists():
        candidate += 1
    return candidate
