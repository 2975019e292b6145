"""Events (one edition of a conference), their rooms and devrooms (tracks).

This module never imports from `talks`; talks point at rooms and devrooms, not back.
"""

import datetime as dt
import zoneinfo
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not an IANA time zone name (for example Europe/Brussels).",
            params={"value": value},
            code="invalid_timezone",
        )


# Top-level URL segments that an event slug would shadow.
RESERVED_EVENT_SLUGS = {"admin", "events", "speakers", "static", "media"}


def validate_event_slug(value: str) -> None:
    if value in RESERVED_EVENT_SLUGS:
        raise ValidationError(
            "“%(value)s” is reserved for the site's own pages; choose another slug.",
            params={"value": value},
            code="reserved_slug",
        )


class EventQuerySet(models.QuerySet):
    def current_or_next(self, today: dt.date):
        """The running event, else the next one, else the latest past one (or None)."""
        upcoming = self.filter(end_date__gte=today).order_by("start_date").first()
        return upcoming or self.order_by("-start_date").first()


class Event(models.Model):
    """One edition of a conference, e.g. FOSDEM 2014. Days are derived from the dates."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[validate_event_slug],
        help_text="Used in URLs, e.g. fosdem-2014.",
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
    description = models.TextField(blank=True, help_text="Markdown.")
    base_url = models.URLField(blank=True, help_text="Public site of the event, used in exports.")
    updated = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_on_or_after_start",
                violation_error_message="The event must end on or after its first day.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schedule:event", args=[self.slug])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The event must end on or after its first day."})

    @cached_property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def days(self) -> list[dt.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=n) for n in range(max(count, 0))]

    def day_bounds(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """Local midnight to the next local midnight of `day`, as aware datetimes."""
        start = dt.datetime.combine(day, dt.time.min, tzinfo=self.tzinfo)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=self.tzinfo)
        return start, end

    @property
    def starts_at(self) -> dt.datetime:
        return self.day_bounds(self.start_date)[0]

    @property
    def ends_at(self) -> dt.datetime:
        return self.day_bounds(self.end_date)[1]


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    building = models.CharField(max_length=50, blank=True)
    floor = models.CharField(max_length=20, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Seats.")
    position = models.PositiveIntegerField(default=0, help_text="Display order (columns).")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"],
                name="room_slug_unique_per_event",
                violation_error_message="This event already has a room with this slug.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schedule:room", args=[self.event.slug, self.slug])

    @property
    def location(self) -> str:
        """Room with building and floor, for calendar LOCATION fields."""
        parts = [self.name]
        if self.building:
            parts.append(f"building {self.building}")
        if self.floor:
            parts.append(f"floor {self.floor}")
        return ", ".join(parts)


class Devroom(models.Model):
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

    class Meta:
        ordering = ["event", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"],
                name="devroom_slug_unique_per_event",
                violation_error_message="This event already has a devroom with this slug.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schedule:devroom", args=[self.event.slug, self.slug])
