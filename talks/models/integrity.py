"""The rules a talk keeps (Talk.clean()): end after start, within the event, room and
devroom of its event, no double-booked room or speaker (naming the other talk)."""

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils.formats import date_format

from schedule import local_time
from schedule.models import Room
from talks.models.speakers import Speaker


class TalkIntegrity:
    """Mixed into Talk (kept apart so the model reads as fields and derived values)."""

    def clean(self):
        errors = {}
        if (self.start is None) != (self.end is None):
            errors["end"] = "Give both a start and an end, or neither (time to be announced)."
        elif self.is_scheduled and self.end <= self.start:
            errors["end"] = "The end must be after the start."
        for field in ("room", "devroom") if self.event_id else ():
            other = getattr(self, field)
            if other is not None and other.event_id != self.event_id:
                elsewhere = f"belongs to {other.event}, not to {self.event}."
                errors[field] = f"{field.capitalize()} “{other}” {elsewhere}"
        if self.event_id and self.is_scheduled and not errors:
            event = self.event
            if self.start < event.starts_at or self.end > event.ends_at:
                first, last = event.days[0], event.days[-1]
                errors["start"] = (
                    f"The talk must take place during {event} "
                    f"({date_format(first, 'j F Y')} to {date_format(last, 'j F Y')}, "
                    f"{event.timezone} time)."
                )
        if errors:
            raise ValidationError(errors)
        if self.is_scheduled and not self.is_cancelled:
            db = router.db_for_write(type(self))
            if connections[db].in_atomic_block:  # the admin: hold the locks until saved
                self.lock_for_clash_check()
            if room_clash := self.room_conflict():
                raise ValidationError({"room": room_clash})
            if self.pk and getattr(self, "check_saved_speakers", True):
                if clashes := self.speaker_conflicts(self.speakers.all()):
                    raise ValidationError(clashes)

    def checks_clashes(self, *, speakers: bool = False) -> bool:
        """Whether saving must check for double bookings (imports opt out per talk)."""
        if getattr(self, "skip_clash_check", False) or not self.is_scheduled:
            return False
        return not self.is_cancelled and (speakers or bool(self.room_id))

    def lock_for_clash_check(self, speaker_ids=None) -> None:
        """Serialise bookings of this room and these speakers until the transaction ends:
        PostgreSQL locks their rows; SQLite's BEGIN IMMEDIATE already holds the write lock."""
        db = router.db_for_write(type(self))
        if not connections[db].features.has_select_for_update:
            return
        if self.room_id:
            list(Room.objects.using(db).select_for_update().filter(pk=self.room_id).values("pk"))
        if speaker_ids is None and self.pk:
            speaker_ids = list(self.talk_speakers.values_list("speaker_id", flat=True))
        if speaker_ids:
            rows = Speaker.objects.using(db).select_for_update().filter(pk__in=speaker_ids)
            list(rows.order_by("pk").values("pk"))

    def _kept_clashes(self, queryset, prefix=""):
        """A clash kept from an imported file may stay between the talks it concerns."""
        if getattr(self, "kept_clash", False):
            return queryset.exclude(**{f"{prefix}kept_clash": True})
        return queryset

    def _clash_time(self, other) -> str:
        tz = self.event.tzinfo
        return local_time.short_span(other.start.astimezone(tz), other.end.astimezone(tz))

    def room_conflict(self) -> str | None:
        """A message naming the confirmed talk already in this room at this time, if any."""
        if not (self.room_id and self.is_scheduled):
            return None
        others = type(self).objects.confirmed().filter(room_id=self.room_id)
        others = others.overlapping(self.start, self.end).exclude(pk=self.pk)
        if (other := self._kept_clashes(others).order_by("start").first()) is None:
            return None
        when = self._clash_time(other)
        return f"{self.room} is already booked at that time by “{other.title}” ({when})."

    def speaker_conflicts(self, speakers) -> list[str]:
        """Messages for each speaker already in another overlapping confirmed talk."""
        if not self.is_scheduled or self.is_cancelled:
            return []
        speaker_ids = [s.pk for s in speakers if s is not None and s.pk]
        if not speaker_ids:
            return []
        clashes = self.talk_speakers.model.objects.filter(
            speaker_id__in=speaker_ids,
            talk__status=self.Status.CONFIRMED,
            talk__start__lt=self.end,
            talk__end__gt=self.start,
        ).exclude(talk_id=self.pk)
        clashes = self._kept_clashes(clashes, "talk__").select_related("speaker", "talk")
        return [
            f"{c.speaker} is already speaking in “{c.talk.title}” at that time "
            f"({self._clash_time(c.talk)})."
            for c in clashes.order_by("speaker__name", "talk__start")
        ]
