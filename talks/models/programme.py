"""The Talk: its fields, its save (the room clash check) and the values pages derive."""

import uuid
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse

from schedule import local_time
from schedule.local_time import LocalTime
from schedule.marked import MarkedModel
from talks.identity import LOCAL_ID_BASE
from talks.languages import language_name
from talks.models.integrity import TalkIntegrity
from talks.models.speakers import Speaker, credited
from talks.models.talk_queries import TalkQuerySet


class Talk(TalkIntegrity, MarkedModel):
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
    source_type = models.CharField(
        "type in the file",
        max_length=50,
        blank=True,
        help_text="The event type as the schedule file gives it (FOSDEM's devroom, maintrack, "
        "lightningtalk; CCC's lecture), exported as given. Empty: the kind.",
    )
    do_not_record = models.BooleanField(
        "do not record",
        default=False,
        help_text="The speakers refused recording and streaming (frab's recording optout).",
    )
    licence = models.CharField(
        max_length=100, blank=True, help_text="Licence of the recording, e.g. CC BY 4.0."
    )
    feedback_url = models.URLField(max_length=500, blank=True)
    logo = models.URLField(max_length=500, blank=True, help_text="An image for the talk.")
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
    imported = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="The values the last import of its file wrote, by field: a re-import only "
        "writes fields whose value in the file changed since, and keeps organisers' edits.",
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
        indexes = [
            models.Index(fields=["room", "start"]),
            # Covers what every cold list, grid, feed and the event home read, so they
            # never touch the wide rows with their abstracts.
            models.Index(
                fields=[
                    *("event", "start", "end", "is_draft", "devroom", "room"),
                    *("status", "updated", "guid", "slug", "title"),
                ],
                name="talk_event_rows",
            ),
            # The filter's language choices (DISTINCT over the index).
            models.Index(fields=["event", "is_draft", "language"], name="talk_event_languages"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Refuses a double-booked room: the check and the write share a transaction holding
        the room's lock. Imports skip it (they keep and flag the file's clashes)."""
        if not self.checks_clashes():
            return self._save_tracked(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            self.lock_for_clash_check()
            if clash := self.room_conflict():
                raise ValidationError({"room": clash})
            return self._save_tracked(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("talks:detail", args=[self.event.slug, self.slug])

    def _save_tracked(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is not None and {"abstract", "title", "subtitle"} & set(fields):
            fields = kwargs["update_fields"] = {*fields, "abstract_text", "search_text"}
        if self.pk and not self._state.adding:
            before = Talk.objects.filter(pk=self.pk).values(*self.SEQUENCED_FIELDS, "sequence")
            before = before.first()
            if before and any(before[f] != getattr(self, f) for f in self.SEQUENCED_FIELDS):
                self.sequence = before["sequence"] + 1
                if fields is not None:
                    kwargs["update_fields"] = {*fields, "sequence", "updated"}
        super().save(*args, **kwargs)

    @property
    def is_scheduled(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def kind_label(self) -> str:
        """get_kind_display() without rebuilding the choices per call (lists of a thousand)."""
        return KIND_LABELS.get(self.kind, self.kind)

    # The times in the event's zone, and ready-made strings for pages listing hundreds of talks.
    local_start = LocalTime("start")
    local_end = LocalTime("end")
    start_hm = LocalTime("start", local_time.hm)
    end_hm = LocalTime("end", local_time.hm)
    start_iso = LocalTime("start", local_time.iso)  # with its offset, what browsers compare
    day_label = LocalTime("start", local_time.day_label)  # “Sat 1 Feb 2025”

    @property
    def local_day(self):
        """The conference day (a night talk before the day change stays in the day before)."""
        return self.event.conference_day(self.start) if self.start else None

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60) if self.is_scheduled else 0

    @cached_property
    def ordered_speakers(self) -> list[Speaker]:
        """Speakers in billing order, named as this talk credits them (with_speakers() helps)."""
        return [credited(ts.speaker, ts.credited_as) for ts in self.talk_speakers.all()]

    def when(self) -> str:
        """“Sat 1 Feb 2014, 12:20–13:00 CET” in the event's zone, or TBA."""
        if not self.is_scheduled:
            return "Time to be announced"
        return local_time.span(self.local_start, self.local_end)

    def set_status(self, status: str) -> bool:
        """Cancel or reinstate; returns whether anything changed."""
        if self.status == status:
            return False
        self.status = status
        self.save()
        return True


KIND_LABELS = {value: str(label) for value, label in Talk.Kind.choices}
