"""The rules a talk must keep, enforced by the admin through Talk.clean(): end after start,
inside the event's days, room and devroom of its event, no double-booked room or speaker.
Each message names the other talk."""

from django.core.exceptions import ValidationError
from django.utils.formats import date_format


class TalkIntegrity:
    """Mixed into Talk (kept apart so the model reads as fields and derived values)."""

    def clean(self):
        errors: dict[str, list[str]] = {}
        if (self.start is None) != (self.end is None):
            errors.setdefault("end", []).append(
                "Give both a start and an end, or neither (time to be announced)."
            )
        elif self.is_scheduled and self.end <= self.start:
            errors.setdefault("end", []).append("The end must be after the start.")
        if self.event_id:
            self._check_belongs_to_event(errors)
            if self.is_scheduled and not errors:
                self._check_within_event(errors)
        if errors:
            raise ValidationError(errors)
        if self.is_scheduled and not self.is_cancelled:
            room_clash = self.room_conflict()
            if room_clash:
                raise ValidationError({"room": room_clash})
            if self.pk and getattr(self, "check_saved_speakers", True):
                clashes = self.speaker_conflicts(self.speakers.all())
                if clashes:
                    raise ValidationError(clashes)

    def _check_belongs_to_event(self, errors):
        for field, label in (("room", "Room"), ("devroom", "Devroom")):
            other = getattr(self, field)
            if other is not None and other.event_id != self.event_id:
                errors.setdefault(field, []).append(
                    f"{label} “{other}” belongs to {other.event}, not to {self.event}."
                )

    def _check_within_event(self, errors):
        event = self.event
        if self.start < event.starts_at or self.end > event.ends_at:
            first, last = event.days[0], event.days[-1]
            errors.setdefault("start", []).append(
                f"The talk must take place during {event} "
                f"({date_format(first, 'j F Y')} to {date_format(last, 'j F Y')}, "
                f"{event.timezone} time)."
            )

    def _clash_time(self, other) -> str:
        tz = self.event.tzinfo
        start, end = other.start.astimezone(tz), other.end.astimezone(tz)
        return f"{date_format(start, 'D j M')} {start:%H:%M}–{end:%H:%M}"

    def room_conflict(self) -> str | None:
        """A message naming the confirmed talk already in this room at this time, if any."""
        if not (self.room_id and self.is_scheduled):
            return None
        other = (
            type(self)
            .objects.confirmed()
            .filter(room_id=self.room_id)
            .overlapping(self.start, self.end)
            .exclude(pk=self.pk)
            .order_by("start")
            .first()
        )
        if other is None:
            return None
        return (
            f"{self.room} is already booked at that time by “{other.title}” "
            f"({self._clash_time(other)})."
        )

    def speaker_conflicts(self, speakers) -> list[str]:
        """Messages for each speaker already in another overlapping confirmed talk."""
        if not self.is_scheduled or self.is_cancelled:
            return []
        speaker_ids = [s.pk for s in speakers if s is not None and s.pk]
        if not speaker_ids:
            return []
        clashes = (
            self.talk_speakers.model.objects.filter(
                speaker_id__in=speaker_ids,
                talk__status=self.Status.CONFIRMED,
                talk__start__lt=self.end,
                talk__end__gt=self.start,
            )
            .exclude(talk_id=self.pk)
            .select_related("speaker", "talk")
            .order_by("speaker__name", "talk__start")
        )
        return [
            f"{c.speaker} is already speaking in “{c.talk.title}” at that time "
            f"({self._clash_time(c.talk)})."
            for c in clashes
        ]
