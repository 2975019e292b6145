"""Events (editions of a conference), their rooms and devrooms; `talks` point here, not back."""

import datetime as dt
import zoneinfo
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from schedule.event_names import (  # noqa: F401  (migrations name them here)
    RESERVED_EVENT_SLUGS,
    default_series,
    validate_event_slug,
    validate_timezone,
)
from schedule.marked import MarkedModel, MarkedQuerySet
from schedule.venue import rule_errors

YEARS = (1970, 2100)  # a sensible range for a conference's dates


def whole_second_now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


def slug_unique_per_event(kind: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["event", "slug"],
        name=f"{kind}_slug_unique_per_event",
        violation_error_message=f"This event already has a {kind} with this slug.",
    )


class EventQuerySet(MarkedQuerySet):
    event_path = "pk"
    spans_site = True  # the list of editions

    def current_or_next(self, today: dt.date):
        """The running event, else the next one, else the latest past one (or None)."""
        upcoming = self.filter(end_date__gte=today).order_by("start_date").first()
        return upcoming or self.order_by("-start_date").first()


class Event(MarkedModel):
    """One edition of a conference, e.g. FOSDEM 2014. Days are derived from the dates."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[validate_event_slug],
        help_text="Used in URLs, e.g. fosdem-2014: lower-case letters, digits and hyphens.",
    )
    series = models.CharField(
        max_length=100,
        blank=True,
        db_index=True,
        help_text="The conference this edition belongs to (e.g. fosdem.org). People's ids "
        "from imported files are remembered per series. Empty: from the site's host, else "
        "the slug without its year.",
    )
    start_date = models.DateField()
    end_date = models.DateField()
    timezone = models.CharField(
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_timezone],
        help_text="IANA time zone of the venue; every time is shown in this zone.",
    )
    venue = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    day_change = models.TimeField(
        default=dt.time(0, 0),
        help_text="When one conference day ends and the next begins (frab's day_change): a "
        "CCC night's 01:30 talk at 04:00 belongs to the day before. FOSDEM: 09:00.",
    )
    logo = models.URLField(max_length=500, blank=True, help_text="The conference's logo.")
    description = models.TextField(blank=True, help_text="Markdown.")
    base_url = models.URLField(blank=True, help_text="Public site of the event, used in exports.")
    building_rules = models.TextField(
        blank=True,
        help_text="How room names give building and floor: one Python regular expression a "
        "line, with a named group (?P<building>…) and optionally (?P<floor>…); the first "
        "that matches a room's name wins. Empty: the built-in rules for FOSDEM's ULB campus "
        "(H.1309 → H, floor 1; UB5.132 → U, floor 5; Janson → J).",
    )
    updated = models.DateTimeField(auto_now=True)
    changed = models.DateTimeField(
        default=whole_second_now,
        editable=False,
        help_text="Change marker: moves (strictly, in whole seconds) whenever anything shown "
        "for this event is added, changed or deleted. Feeds' Last-Modified and ETag.",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        permissions = [
            ("manage_programme", "Edit every devroom's programme (organisers)"),
            ("import_schedule", "Import schedule files"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_on_or_after_start",
                violation_error_message="The event must end on or after its first day.",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding and kwargs.get("update_fields") is None:
            # Only schedule.markers moves `changed`: a stale instance must not write it back.
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if f.name not in ("id", "changed")
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("schedule:event", args=[self.slug])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The event must end on or after its first day."})
        for name in ("start_date", "end_date"):
            value = getattr(self, name)
            if value and not YEARS[0] <= value.year <= YEARS[1]:
                raise ValidationError(
                    {name: f"{value.year} is outside {YEARS[0]}–{YEARS[1]}: is it a typo?"}
                )
        longest = settings.SCHEDULE_MAX_EVENT_DAYS
        if self.start_date and self.end_date and len(self.days) > longest:
            message = (
                f"The event would last {len(self.days)} days; at most {longest} are allowed "
                "(SCHEDULE_MAX_EVENT_DAYS). Is the end date a typo?"
            )
            raise ValidationError({"end_date": message})
        if problems := rule_errors(self.building_rules):
            raise ValidationError({"building_rules": problems})

    @cached_property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def days(self) -> list[dt.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=n) for n in range(max(count, 0))]

    def day_bounds(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """Aware start and end of conference day `day`: at the day change (a CCC night's 02:00
        talk stays in the day before), the first day from its midnight."""
        change = self.day_change or dt.time.min
        first = change if day != self.start_date else dt.time.min
        start = dt.datetime.combine(day, first, tzinfo=self.tzinfo)
        end = dt.datetime.combine(day + dt.timedelta(days=1), change, tzinfo=self.tzinfo)
        return start, end

    def conference_day(self, moment: dt.datetime) -> dt.date:
        """The conference day a moment belongs to (see day_bounds)."""
        local = moment.astimezone(self.tzinfo)
        change = self.day_change or dt.time.min
        day = local.date() - dt.timedelta(days=1) if local.time() < change else local.date()
        return max(day, self.start_date)

    @property
    def starts_at(self) -> dt.datetime:
        return self.day_bounds(self.start_date)[0]

    @property
    def ends_at(self) -> dt.datetime:
        return self.day_bounds(self.end_date)[1]


class Room(MarkedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    building = models.CharField(max_length=50, blank=True)
    floor = models.CharField(max_length=20, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Seats.")
    position = models.PositiveIntegerField(default=0, help_text="Display order (columns).")
    accessibility = models.TextField(
        blank=True, help_text="Step-free access, lifts, hearing loops, reserved seats…"
    )
    map_url = models.URLField(blank=True, help_text="A map or directions to the room.")
    stream_url = models.URLField(blank=True, help_text="The room's live stream.")
    updated = models.DateTimeField(auto_now=True)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        ordering = ["event", "position", "name"]
        permissions = [("set_room_status", "Mark rooms open, full or evacuated")]
        constraints = [slug_unique_per_event("room")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schedule:room", args=[self.event.slug, self.slug])

    @property
    def location(self) -> str:
        """Room with building and floor, for calendar LOCATION fields."""
        building = f", building {self.building}" if self.building else ""
        floor = f", floor {self.floor}" if self.floor else ""
        return f"{self.name}{building}{floor}"


class Devroom(MarkedModel):
    """A track: a topic-oriented room/programme with its own managers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="devrooms")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    description = models.TextField(blank=True, help_text="Markdown.")
    colour = models.CharField(
        max_length=7,
        default="#4b6cb7",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #4b6cb7.")],
    )
    default_rooms = models.ManyToManyField(Room, blank=True, related_name="default_devrooms")
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_devrooms",
        help_text="Staff users who may edit this devroom's talks.",
    )
    updated = models.DateTimeField(auto_now=True)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        ordering = ["event", "name"]
        constraints = [slug_unique_per_event("devroom")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schedule:devroom", args=[self.event.slug, self.slug])


class ChangeMarker(models.Model):
    """Site-wide change marker (key "site") for pages that span editions (speakers, events)."""

    key = models.CharField(max_length=50, unique=True)
    changed = models.DateTimeField(default=whole_second_now)

    def __str__(self):
        return f"{self.key} changed {self.changed:%Y-%m-%d %H:%M:%S}"
