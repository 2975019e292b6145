"""Organisers' admin for talks and speakers, scoped per devroom for devroom managers. A talk's
event is chosen first (`?event=<pk>[&devroom=<pk>]`) and never changes (talks.admin_forms)."""

from django.contrib import admin, messages
from django.http import QueryDict

from schedule.admin import URL_FIELDS_ASSUME_HTTPS, CustomViews, OpenToDevroomManagers, add_talk_url
from schedule.edit_guard import LostEditGuardAdmin
from schedule.permissions import edits_everything, managed_devroom_ids, scope_to_devrooms
from talks.admin_filters import (
    EVENT_PARAMETER,
    EventDayFilter,
    EventFilter,
    PlaceFilter,
    devrooms_for,
    events_for,
)
from talks.admin_forms import EventChoiceField, TalkAdminForm, TalkSpeakerForm, TalkSpeakerFormSet
from talks.models import Talk, TalkLink, TalkSpeaker

TRACKING_FIELDS = ["guid", "uid", "frab_id", "sequence", "created", "updated"]


class TalkSpeakerInline(admin.TabularInline):
    model = TalkSpeaker
    form = TalkSpeakerForm
    formset = TalkSpeakerFormSet
    extra = 1
    autocomplete_fields = ["speaker"]
    verbose_name = "speaker"
    verbose_name_plural = "speakers (in billing order)"


class TalkLinkInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    model = TalkLink
    extra = 0
    fields = ["position", "kind", "title", "url", "attachment"]


@admin.register(Talk)
class TalkAdmin(CustomViews, OpenToDevroomManagers, LostEditGuardAdmin):
    form = TalkAdminForm
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["title", "event_time", "room", "devroom", "kind", "status", "is_draft", "event"]
    list_filter = [
        ("event", EventFilter),
        EventDayFilter,
        ("devroom", PlaceFilter),
        ("room", PlaceFilter),
        "kind",
        "status",
        "is_draft",
        "kept_clash",
        "do_not_record",
    ]
    list_select_related = ["event", "room", "devroom"]
    search_fields = ["title", "subtitle", "slug", "speakers__name"]
    search_help_text = "Search titles, subtitles, slugs and speaker names."
    sortable_by = ["title", "event_time", "room", "devroom", "kind", "status", "event"]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [TalkSpeakerInline, TalkLinkInline]
    # Chosen before the add form, never changed after: rooms, devrooms and times depend on it.
    readonly_fields = ["event", "kept_clash", *TRACKING_FIELDS]
    actions = ["cancel_talks", "reinstate_talks"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "event",
                    "title",
                    "subtitle",
                    "slug",
                    "kind",
                    "language",
                    "status",
                    "is_draft",
                    "opened_version",
                ]
            },
        ),
        ("Where and when", {"fields": ["devroom", "room", "start", "end", "kept_clash"]}),
        ("Content", {"fields": ["abstract", "description"]}),
        (
            "Recording and interchange",
            {"fields": ["do_not_record", "licence", "source_type", "feedback_url", "logo"]},
        ),
        ("Tracking", {"classes": ["collapse"], "fields": TRACKING_FIELDS}),
    ]

    @admin.display(ordering="start", description="Start (event time)")
    def event_time(self, talk):
        return talk.when() if talk.is_scheduled else "TBA"

    def get_queryset(self, request):
        return scope_to_devrooms(super().get_queryset(request), request.user).distinct()

    def requested_event(self, request):
        """The add page's event, if the user may add talks to it: `?event=`, else the
        changelist's event filter ("Add talk" from a filtered list), else the POSTed one."""
        if not hasattr(request, "_talk_admin_event"):
            filters = QueryDict(request.GET.get("_changelist_filters", ""))
            value = request.GET.get("event") or filters.get(EVENT_PARAMETER)
            value = value or request.POST.get("event") or ""
            event = events_for(request.user).filter(pk=value).first() if value.isdigit() else None
            request._talk_admin_event = event
        return request._talk_admin_event

    def add_view(self, request, form_url="", extra_context=None):
        if self.has_add_permission(request) and self.requested_event(request) is None:
            return self.choose_event_view(request)
        return super().add_view(request, form_url, extra_context)

    def choose_event_view(self, request):
        """The events the user may add talks to, and for a manager each own devroom in them."""
        user = request.user
        own = [] if edits_everything(user) else list(devrooms_for(user).order_by("name"))
        choices = []
        for event in events_for(user):
            devrooms = [(d, add_talk_url(event.pk, d.pk)) for d in own if d.event_id == event.pk]
            choices.append({"event": event, "url": add_talk_url(event.pk), "devrooms": devrooms})
        template = "admin/talks/talk/choose_event.html"
        title = "Add a talk: choose the event"
        return self.render_page(request, template, title=title, choices=choices)

    def response_add(self, request, obj, post_url_continue=None):
        """After “Save and add another” the next form is in the same event and devroom."""
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST and response.status_code == 302:
            response["Location"] = add_talk_url(obj.event_id, obj.devroom_id)
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)  # a new class per call
        form.event = obj.event if obj else self.requested_event(request)
        user = request.user
        form.devroom_ids = None if edits_everything(user) else managed_devroom_ids(user)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Rooms and devrooms of the talk's event; a manager's talk needs one of their devrooms."""
        if db_field.name in ("devroom", "room"):
            kwargs["form_class"] = EventChoiceField
            kwargs["required"] = db_field.name == "devroom" and not edits_everything(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _allowed(self, request, obj, default):
        """Managers are scoped to their devrooms whatever global permissions they hold."""
        user = request.user
        mine = set() if edits_everything(user) else managed_devroom_ids(user)
        if not mine:
            return default
        return obj is None or obj.devroom_id in mine

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
        for talk in changed:  # admin history: who cancelled what, when
            self.log_change(request, talk, "Cancelled (admin action).")
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
            if clashes := [clash for clash in clashes if clash]:
                refusal = f"“{talk.title}” was not reinstated: " + " ".join(clashes)
                self.message_user(request, refusal, messages.ERROR)
                continue
            talk.save()
            self.log_change(request, talk, "Reinstated (admin action).")
            reinstated += 1
        self.message_user(request, f"{reinstated} talk(s) reinstated.", messages.SUCCESS)


from talks import admin_speakers  # noqa: E402, F401 (registers the speaker admin)
