"""Talks, their speakers in billing order and their links; the queries pages and exports use."""

import datetime as dt
import uuid
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format

from schedule.models import Devroom, Event, Room
from schedule.search.normalise import talk_search_text
from schedule.text import markdown_to_text
from talks.identity import LOCAL_ID_BASE
from talks.models.integrity import TalkIntegrity
from talks.models.speakers import PersonId, Speaker


class TalkQuerySet(models.QuerySet):
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
        return self.filter(status=Talk.Status.CONFIRMED)

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

    def export_list(
        self, series: str | None = None, *, links: bool = True, event=None
    ) -> list["Talk"]:
        """The talks with their speakers, links and the speakers' ids in `series`, attached
        in four flat queries. Like for_export(), without Django building a queryset
        per talk and per speaker for the prefetches (a third of a 1,000-talk export)."""
        talks = list(self.prefetch_related(None).select_related(None))
        ids = [talk.pk for talk in talks]
        attach_places(talks, event)
        speakers: dict[int, list] = {pk: [] for pk in ids}
        for entry in (
            TalkSpeaker.objects.filter(talk_id__in=ids)
            .select_related("speaker")
            .order_by("talk_id", "position", "id")
        ):
            speakers[entry.talk_id].append(entry.speaker)
        links_of: dict[int, list] = {pk: [] for pk in ids}
        for link in (
            TalkLink.objects.linkable()
            .filter(talk_id__in=ids if links else [])
            .order_by("talk_id", "position", "id")
        ):
            links_of[link.talk_id].append(link)
        speaker_ids = {speaker.pk for people in speakers.values() for speaker in people}
        numbers: dict[int, int] = {}
        for speaker_id, number in (
            PersonId.objects.filter(series=series, speaker_id__in=speaker_ids if series else [])
            .order_by("-number")
            .values_list("speaker_id", "number")
        ):
            numbers[speaker_id] = number  # the smallest wins
        for talk in talks:
            talk.__dict__["ordered_speakers"] = speakers[talk.pk]
            if links:
                talk.__dict__["ordered_links"] = links_of[talk.pk]
            for speaker in speakers[talk.pk]:
                speaker.series_number = numbers.get(speaker.pk)
        return talks


def attach_places(talks: list, event=None) -> None:
    """Give each talk its event, room and devroom objects, one query per table instead of a
    join per row (a 1,000-talk list builds 3,000 fewer model instances). A page that has
    its event already passes it."""
    for field, model in (("event", Event), ("room", Room), ("devroom", Devroom)):
        wanted = {getattr(talk, f"{field}_id") for talk in talks} - {None}
        if field == "event" and event is not None and wanted <= {event.pk}:
            found = {event.pk: event}
        else:
            found = model.objects.in_bulk(wanted)
        for talk in talks:
            key = getattr(talk, f"{field}_id")
            setattr(talk, field, found.get(key) if key is not None else None)


class Talk(TalkIntegrity, models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", "Talk"
        LIGHTNING = "lightning", "Lightning talk"
        WORKSHOP = "workshop", "Workshop"
        PANEL = "panel", "Panel"
        MEETING = "meeting", "Meeting"
        KEYNOTE = "keynote", "Keynote"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey("schedule.Event", on_delete=models.CASCADE, related_name="talks")
    devroom = models.ForeignKey(
        "schedule.Devroom", on_delete=models.PROTECT, related_name="talks", null=True, blank=True
    )
    room = models.ForeignKey(
        "schedule.Room", on_delete=models.PROTECT, related_name="talks", null=True, blank=True
    )
    start = models.DateTimeField(
        null=True, blank=True, help_text="In the event's time zone. Empty: time to be announced."
    )
    end = models.DateTimeField(null=True, blank=True, help_text="In the event's time zone.")
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(max_length=200, help_text="Unique within the event; used in URLs.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TALK)
    language = models.CharField(
        max_length=16, default="en", blank=True, help_text="Language code, e.g. en."
    )
    abstract = models.TextField(blank=True, help_text="Markdown; shown sanitised.")
    abstract_text = models.TextField(
        blank=True,
        editable=False,
        help_text="The abstract as plain text (for calendars), kept in step on save.",
    )
    description = models.TextField(blank=True, help_text="Markdown; shown sanitised.")
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Title, subtitle and abstract folded for search (schedule.search), kept in "
        "step on save.",
    )
    speakers = models.ManyToManyField(Speaker, through="TalkSpeaker", related_name="talks")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    kept_clash = models.BooleanField(
        "clash kept from the source",
        default=False,
        editable=False,
        help_text="Overlaps another talk in the same room or with the same speaker in the "
        "schedule file it was imported from; kept as the file says (imports with --strict "
        "refuse it). Only edits that resolve or keep that clash are accepted.",
    )
    is_draft = models.BooleanField(
        "draft",
        default=False,
        help_text="A draft is visible in the admin only, never on the public site, feeds or "
        "exports. Untick to publish it.",
    )
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uid = models.CharField(
        max_length=255,
        unique=True,
        editable=False,
        help_text="Calendar UID; never changes, whatever database the talk is in.",
    )
    frab_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="App id (frab event id): the imported file's, else one from "
        f"{LOCAL_ID_BASE:,} up. Never changes.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Increases whenever time, room or status changes (iCalendar SEQUENCE).",
    )

    objects = TalkQuerySet.as_manager()

    # Fields whose change calendar clients must notice.
    SEQUENCED_FIELDS = ("start", "end", "room_id", "status")

    class Meta:
        ordering = ["start", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"],
                name="talk_slug_unique_per_event",
                violation_error_message="This event already has a talk with this slug.",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end__isnull=False, end__gt=F("start")),
                name="talk_end_after_start",
                violation_error_message="The end must be after the start.",
            ),
        ]
        indexes = [models.Index(fields=["event", "start"]), models.Index(fields=["room", "start"])]

    def __str__(self):
        return self.title

    # -- change tracking -------------------------------------------------------------------

    def save(self, *args, **kwargs):
        """Saves refuse a double-booked room atomically: the check and the write happen in
        one transaction that holds the room's lock (PostgreSQL: the room row FOR UPDATE;
        SQLite: the database write lock, taken at BEGIN IMMEDIATE), so two people saving
        at the same moment cannot both get the slot. Imports skip it (they keep clashes
        as the file says and flag them)."""
        if not self.checks_clashes():
            return self._save_tracked(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            self.lock_for_clash_check()
            clash = self.room_conflict()
            if clash:
                raise ValidationError({"room": clash})
            return self._save_tracked(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("talks:detail", args=[self.event.slug, self.slug])

    def _save_tracked(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"abstract", "title", "subtitle"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "abstract_text", "search_text"}
        if self.pk and not self._state.adding:
            before = (
                Talk.objects.filter(pk=self.pk).values(*self.SEQUENCED_FIELDS, "sequence").first()
                or {}
            )
            if before and any(before[f] != getattr(self, f) for f in self.SEQUENCED_FIELDS):
                self.sequence = before["sequence"] + 1
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "sequence", "updated"}
        super().save(*args, **kwargs)

    # -- derived values (no queries once event/room are selected) ---------------------------

    @property
    def is_scheduled(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def local_start(self):
        return self.start.astimezone(self.event.tzinfo) if self.start else None

    @property
    def local_end(self):
        return self.end.astimezone(self.event.tzinfo) if self.end else None

    @property
    def local_day(self):
        return self.local_start.date() if self.start else None

    @property
    def duration(self) -> dt.timedelta | None:
        return self.end - self.start if self.is_scheduled else None

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60) if self.is_scheduled else 0

    @cached_property
    def ordered_speakers(self) -> list[Speaker]:
        """Speakers in their billing order; uses the with_speakers() prefetch when present."""
        return [ts.speaker for ts in self.talk_speakers.all()]

    @cached_property
    def ordered_links(self) -> list["TalkLink"]:
        """Links in their order; uses the with_links() prefetch when present."""
        return list(self.links.all())

    def when(self) -> str:
        """“Sat 1 Feb 2014, 12:20–13:00 CET” in the event's zone, or TBA."""
        if not self.is_scheduled:
            return "Time to be announced"
        start, end = self.local_start, self.local_end
        return f"{date_format(start, 'D j M Y')}, {start:%H:%M}–{end:%H:%M} {start.tzname()}"

    def set_status(self, status: str) -> bool:
        """Cancel or reinstate; returns whether anything changed."""
        if self.status == status:
            return False
        self.status = status
        self.save()
        return True


def talk_uid(talk: Talk) -> str:
    """A new talk's calendar UID: its guid (from the file, or made here) at our domain."""
    return f"{talk.guid}@{settings.SCHEDULE_UID_DOMAIN}"


def free_talk_id(talk: Talk) -> int:
    """An app id from the local range, unused by any talk of the talk's series."""
    candidate = LOCAL_ID_BASE + talk.pk
    same_series = Talk.objects.filter(event__series=talk.event.series)
    while same_series.filter(frab_id=candidate).exclude(pk=talk.pk).exists():
        candidate += 1
    return candidate


class TalkSpeaker(models.Model):
    """Orders a talk's speakers (the first is listed first everywhere)."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="talk_speakers")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="talk_speakers")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["talk", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["talk", "speaker"],
                name="speaker_once_per_talk",
                violation_error_message="This speaker is already listed for this talk.",
            )
        ]

    def __str__(self):
        return f"{self.speaker} in {self.talk}"

    def save(self, *args, **kwargs):
        """A speaker cannot be added to two overlapping confirmed talks, even by two
        people at once: the speaker's row is locked while checking (see Talk.save)."""
        talk = self.talk
        if talk.checks_clashes(speakers=True):
            with transaction.atomic(using=kwargs.get("using")):
                talk.lock_for_clash_check(speaker_ids=[self.speaker_id])
                clashes = talk.speaker_conflicts([self.speaker])
                if clashes:
                    raise ValidationError(clashes)
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)


class TalkLinkQuerySet(models.QuerySet):
    def linkable(self):
        return self.filter(
            Q(url__istartswith="http://")
            | Q(url__istartswith="https://")
            | Q(url__istartswith="mailto:")
        )


class TalkLink(models.Model):
    class Kind(models.TextChoices):
        SLIDES = "slides", "Slides"
        VIDEO = "video", "Video"
        RECORDING = "recording", "Recording"
        OTHER = "other", "Link"

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    objects = TalkLinkQuerySet.as_manager()

    class Meta:
        ordering = ["talk", "position", "id"]

    def __str__(self):
        return self.title
