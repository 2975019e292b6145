"""Personal agendas and room states. Not part of the schedule: saving them never moves a
change marker, so pages and feeds stay cached while attendees star talks."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Greatest

from schedule.models import Event, Room, whole_second_now


class Agenda(models.Model):
    """An attendee's chosen talks, for whoever holds its token (no account). Only the token's
    hash is stored: a copy of the database gives nobody the links."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agendas")
    token_hash = models.CharField(max_length=64, unique=True)
    version = models.PositiveIntegerField(default=1, help_text="Moves on every change.")
    created = models.DateTimeField(auto_now_add=True)
    changed = models.DateTimeField(default=whole_second_now)
    last_opened = models.DateField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["last_opened"])]

    def __str__(self):
        return f"Agenda {self.pk} ({self.event.slug})"

    def touch(self) -> int:
        """Moves version and change time in one UPDATE (two devices never share a version),
        the time by at least a second (If-Modified-Since never misses a change)."""
        return Agenda.objects.filter(pk=self.pk).update(**self.moved())

    @staticmethod
    def moved() -> dict:
        """The UPDATE's assignments for a new version (to add to a conditional UPDATE)."""
        later = models.F("changed") + dt.timedelta(seconds=1)
        return {
            "version": models.F("version") + 1,
            "changed": Greatest(later, Value(whole_second_now())),
        }


class AgendaItem(models.Model):
    """A chosen talk, with what it looked like when chosen (to say when it moved)."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="items")
    talk_guid = models.UUIDField()
    chosen_title = models.CharField(max_length=300)
    chosen_start = models.DateTimeField(null=True)
    chosen_end = models.DateTimeField(null=True)
    chosen_room = models.CharField(max_length=100, blank=True)
    chosen_cancelled = models.BooleanField(default=False)
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agenda", "talk_guid"], name="agenda_talk_once")
        ]

    def __str__(self):
        return self.chosen_title


class RoomState(models.TextChoices):
    """The values are what the FOSDEM companion apps read: "0", "1", "2"."""

    OPEN = "0", "Open"
    FULL = "1", "Full"
    EVACUATE = "2", "Evacuate"


class RoomStatus(models.Model):
    """A room's current state; a room without a row is open."""

    room = models.OneToOneField(
        Room, on_delete=models.CASCADE, primary_key=True, related_name="status"
    )
    state = models.CharField(max_length=1, choices=RoomState.choices, default=RoomState.OPEN)
    changed = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resets_at = models.DateTimeField(
        null=True, blank=True, help_text="When a “full” state goes back to open by itself."
    )

    class Meta:
        verbose_name_plural = "room statuses"

    def __str__(self):
        return f"{self.room.name}: {self.get_state_display()}"


class RoomStatusChange(models.Model):
    """Every state a room was put in, by whom and when (automatic resets have no person)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="status_changes")
    state = models.CharField(max_length=1, choices=RoomState.choices)
    previous = models.CharField(max_length=1, choices=RoomState.choices)
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.room.name}: {self.get_previous_display()} → {self.get_state_display()}"
