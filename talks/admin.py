"""Organisers' admin for talks and speakers, scoped per devroom for devroom managers.

Times are typed and shown in the talk's event zone (not the server's): TalkAdminForm
re-interprets the wall-clock time the organiser entered in Event.timezone.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from schedule.admin import URL_FIELDS_ASSUME_HTTPS
from schedule.models import Devroom, Event, Room
from schedule.permissions import (
    edits_everything,
    is_devroom_manager,
    managed_devroom_ids,
    scope_to_devrooms,
)
from talks.models import Talk, TalkLink, TalkSpeaker

LOCAL_TIME_FIELDS = ("start", "end")


class TalkAdminForm(forms.ModelForm):
    class Meta:
        model = Talk
        fields = [
            "event",
            "title",
            "subtitle",
            "slug",
            "kind",
            "language",
            "status",
            "devroom",
            "room",
            "start",
            "end",
            "abstract",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The inline formset checks the submitted speakers; don't check the stored ones too.
        self.instance.check_saved_speakers = False
        event = self.instance.event if self.instance.event_id else None
        zone = event.timezone if event else "the event's time zone"
        for name in LOCAL_TIME_FIELDS:
            if name not in self.fields:
                continue
            self.fields[name].help_text = f"Local time in {zone}."
            value = getattr(self.instance, name)
            if event and value and name not in self.data:
                # Shown as the wall-clock time at the venue, whatever the server's zone.
                self.initial[name] = value.astimezone(event.tzinfo).replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event")
        if event:
            for name in LOCAL_TIME_FIELDS:
                value = cleaned.get(name)
                if value is not None:
                    wall_clock = timezone.make_naive(value, timezone.get_current_timezone())
                    cleaned[name] = wall_clock.replace(tzinfo=event.tzinfo)
        return cleaned


class TalkSpeakerFormSet(forms.BaseInlineFormSet):
    """Refuses a speaker who is already in another overlapping confirmed talk."""

    def clean(self):
        super().clean()
        speakers = [
            form.cleaned_data["speaker"]
            for form in self.forms
            if form.cleaned_data.get("speaker") and not form.cleaned_data.get("DELETE")
        ]
        if len({s.pk for s in speakers}) != len(speakers):
            raise ValidationError("A speaker is listed twice for this talk.")
        talk = self.instance
        if talk.event_id:
            clashes = talk.speaker_conflicts(speakers)
            if clashes:
                raise ValidationError(clashes)


class TalkSpeakerInline(admin.TabularInline):
    model = TalkSpeaker
    formset = TalkSpeakerFormSet
    extra = 1
    autocomplete_fields = ["speaker"]
    fields = ["position", "speaker"]
    ordering = ["position", "id"]
    verbose_name = "speaker"
    verbose_name_plural = "speakers (in billing order)"


class TalkLinkInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    model = TalkLink
    extra = 0
    fields = ["position", "kind", "title", "url"]


class EventDayFilter(admin.SimpleListFilter):
    """Filter by day in each event's own zone (YYYY-MM-DD)."""

    title = "day"
    parameter_name = "day"

    def _events(self, request):
        events = Event.objects.all()
        if request.GET.get("event__id__exact"):
            events = events.filter(pk=request.GET["event__id__exact"])
        return list(events)

    def lookups(self, request, model_admin):
        days = sorted({day for event in self._events(request) for day in event.days})
        return [(day.isoformat(), day.strftime("%a %d %b %Y")) for day in days]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = dt.date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        condition = Q(pk__in=[])
        for event in self._events(request):
            start, end = event.day_bounds(day)
            condition |= Q(event=event, start__gte=start, start__lt=end)
        return queryset.filter(condition)


def with_event_name(obj) -> str:
    """Rooms and devrooms repeat across editions (three Chavannes): say which."""
    return f"{obj.name} · {obj.event.name}"


class EventScopedFilter(admin.RelatedFieldListFilter):
    """Room/devroom filter labelled with the edition, narrowed to the chosen event."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model.objects.select_related("event").order_by(
            "-event__start_date", "name"
        )
        event_id = request.GET.get("event__id__exact", "")
        if event_id.isdigit():
            related = related.filter(event_id=event_id)
        return [(obj.pk, with_event_name(obj)) for obj in related]


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    form = TalkAdminForm
    list_display = ["title", "event_time", "room", "devroom", "kind", "status", "event"]
    list_filter = [
        "event",
        EventDayFilter,
        ("devroom", EventScopedFilter),
        ("room", EventScopedFilter),
        "kind",
        "status",
    ]
    list_select_related = ["event", "room", "devroom"]
    search_fields = ["title", "subtitle", "slug", "speakers__name"]
    search_help_text = "Search titles, subtitles, slugs and speaker names."
    ordering = ["start", "title"]
    sortable_by = ["title", "event_time", "room", "devroom", "kind", "status", "event"]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [TalkSpeakerInline, TalkLinkInline]
    readonly_fields = ["guid", "uid", "frab_id", "sequence", "created", "updated"]
    actions = ["cancel_talks", "reinstate_talks"]
    fieldsets = [
        (None, {"fields": ["event", "title", "subtitle", "slug", "kind", "language", "status"]}),
        ("Where and when", {"fields": ["devroom", "room", "start", "end"]}),
        ("Content", {"fields": ["abstract", "description"]}),
        ("Tracking", {"classes": ["collapse"], "fields": readonly_fields}),
    ]

    @admin.display(ordering="start", description="Start (event time)")
    def event_time(self, talk):
        return talk.when() if talk.is_scheduled else "TBA"

    def get_queryset(self, request):
        return scope_to_devrooms(super().get_queryset(request), request.user).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if not edits_everything(user):
            devrooms = Devroom.objects.filter(pk__in=managed_devroom_ids(user))
            if db_field.name == "devroom":
                kwargs["queryset"] = devrooms.select_related("event")
                kwargs["required"] = True
            elif db_field.name == "event":
                kwargs["queryset"] = Event.objects.filter(devrooms__in=devrooms).distinct()
            elif db_field.name == "room":
                kwargs["queryset"] = Room.objects.filter(event__devrooms__in=devrooms).distinct()
        if db_field.name in ("devroom", "room"):
            kwargs["queryset"] = kwargs.get(
                "queryset", db_field.related_model.objects.all()
            ).select_related("event")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ("devroom", "room"):
            field.label_from_instance = with_event_name
        return field

    def _allowed(self, request, obj, default):
        """Managers are scoped to their devrooms whatever global permissions they hold."""
        user = request.user
        if edits_everything(user) or not is_devroom_manager(user):
            return default
        return obj is None or obj.devroom_id in managed_devroom_ids(user)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_devroom_manager(request.user)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj, super().has_view_permission(request, obj))

    def has_add_permission(self, request):
        return self._allowed(request, None, super().has_add_permission(request))

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, super().has_delete_permission(request, obj))

    @admin.action(description="Cancel selected talks (they stay listed, marked cancelled)")
    def cancel_talks(self, request, queryset):
        changed = [talk for talk in queryset if talk.set_status(Talk.Status.CANCELLED)]
        self.message_user(request, f"{len(changed)} talk(s) cancelled.", messages.SUCCESS)

    @admin.action(description="Reinstate selected talks (confirmed)")
    def reinstate_talks(self, request, queryset):
        """Refuses, per talk, to reinstate into a slot that has been given away meanwhile."""
        reinstated = 0
        for talk in queryset.select_related("event", "room"):
            if not talk.is_cancelled:
                continue
            talk.status = Talk.Status.CONFIRMED
            clashes = [talk.room_conflict(), *talk.speaker_conflicts(talk.speakers.all())]
            clashes = [clash for clash in clashes if clash]
            if clashes:
                self.message_user(
                    request,
                    f"“{talk.title}” was not reinstated: " + " ".join(clashes),
                    messages.ERROR,
                )
                continue
            talk.save()
            reinstated += 1
        self.message_user(request, f"{reinstated} talk(s) reinstated.", messages.SUCCESS)


from talks import admin_speakers  # noqa: E402, F401 (registers the speaker admin)
