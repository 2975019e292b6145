"""The admin's talk form: its event is fixed before it is built, so room and devroom
choices are that event's (a manager's own devrooms only) and times are its wall-clock times."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from schedule.edit_guard import LostEditGuardForm
from schedule.models import Devroom, Room
from talks.admin_filters import with_event_name
from talks.models import Talk, TalkSpeaker

LOCAL_TIME_FIELDS = ("start", "end")


class EventChoiceField(forms.ModelChoiceField):
    """A room or devroom among the form's choices, named with its edition; any other (a forged
    POST, a stale page) is refused by name rather than "not available". The form sets `event`."""

    event = None

    def label_from_instance(self, obj):
        return with_event_name(obj)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            rows = self.queryset.model.objects.select_related("event")
            other = rows.filter(pk=value).first() if str(value).isdigit() else None
            if other is None:
                raise
        kind = other._meta.verbose_name
        if self.event is not None and other.event_id != self.event.pk:
            refusal = f"{kind} “{other.name}” belongs to {other.event}, not to {self.event}."
        else:
            refusal = f"{kind} “{other.name}” is not one of yours."
        raise ValidationError(f"Select a valid choice: {refusal}", code="invalid_choice")


class TalkAdminForm(LostEditGuardForm):
    """Built per request by TalkAdmin.get_form with `event` (never None) and `devroom_ids`
    (None: every devroom of the event; a set: a devroom manager's own)."""

    event = None
    devroom_ids: set[int] | None = None

    feedback_url = forms.URLField(
        assume_scheme="https", required=False, max_length=500, label="Feedback URL"
    )
    logo = forms.URLField(
        assume_scheme="https", required=False, max_length=500, help_text="An image for the talk."
    )

    class Meta:
        model = Talk
        fields = "__all__"  # the admin narrows them to TalkAdmin.fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The inline formset checks the submitted speakers; don't check the stored ones too.
        self.instance.check_saved_speakers = False
        if not self.instance.event_id and self.event is not None:
            self.instance.event = self.event  # a new talk: the event chosen on the add page
        self.event = event = self.instance.event if self.instance.event_id else None
        devrooms = Devroom.objects.filter(event=event)
        if self.devroom_ids is not None:
            devrooms = devrooms.filter(pk__in=self.devroom_ids)
        for name, queryset in (("room", Room.objects.filter(event=event)), ("devroom", devrooms)):
            if name in self.fields:
                self.fields[name].queryset = queryset.select_related("event")
                self.fields[name].event = event
        zone = event.timezone if event else "the event's time zone"
        for name in LOCAL_TIME_FIELDS:
            if name not in self.fields:
                continue
            self.fields[name].help_text = f"Local time in {zone}."
            value = getattr(self.instance, name)
            if event and value and name not in self.data:
                # Shown as the wall-clock time at the venue, whatever the server's zone.
                self.initial[name] = value.astimezone(event.tzinfo).replace(tzinfo=None)

    def locked_row(self):
        rows = Talk.objects.select_for_update(of=("self",)).select_related("event")
        return rows.filter(pk=self.instance.pk).first()

    def comparable(self, name, mine, theirs, saved):
        if name in LOCAL_TIME_FIELDS and mine is not None and theirs is not None:
            theirs = theirs.astimezone(saved.event.tzinfo)
            return mine.replace(tzinfo=None), theirs.replace(tzinfo=None)
        return mine, theirs

    def clean(self):
        cleaned = super().clean()
        for name in LOCAL_TIME_FIELDS:
            value = cleaned.get(name)
            if self.event and value is not None:
                wall_clock = timezone.make_naive(value, timezone.get_current_timezone())
                cleaned[name] = wall_clock.replace(tzinfo=self.event.tzinfo)
        return cleaned


class TalkSpeakerFormSet(forms.BaseInlineFormSet):
    """Refuses a speaker listed twice, or already in another overlapping confirmed talk."""

    def clean(self):
        super().clean()
        rows = [form.cleaned_data for form in self.forms]
        speakers = [row["speaker"] for row in rows if row.get("speaker") and not row.get("DELETE")]
        if len({s.pk for s in speakers}) != len(speakers):
            raise ValidationError("A speaker is listed twice for this talk.")
        if self.instance.event_id and (clashes := self.instance.speaker_conflicts(speakers)):
            raise ValidationError(clashes)


class TalkSpeakerForm(forms.ModelForm):
    """A row of a talk's speakers. Choosing another person clears the name the talk
    credited the previous one under (a file's spelling belongs to its person)."""

    class Meta:
        model = TalkSpeaker
        fields = ["position", "speaker", "credited_as"]

    def clean(self):
        cleaned = super().clean()
        if "speaker" in self.changed_data and "credited_as" not in self.changed_data:
            cleaned["credited_as"] = ""
            self.instance.person_number = None
        return cleaned
