from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.urls import path, reverse
from django.utils.html import format_html

from schedule import permissions, venue
from schedule.edit_guard import LostEditGuardAdmin
from schedule.models import Devroom, Event, Room

# Typed URLs without a scheme are taken as https (Django 6's default; silences its warning).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    prepopulated_fields = {"slug": ("name",)}
    fields = ["name", "slug", "building", "floor", "capacity", "position"]


class AddTalkLinks:
    """A talk count, and links to add a talk preset to the row (`add_talk_query`)."""

    change_form_template = "admin/talks/add_talk_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(talk_count=Count("talks"))

    @admin.display(ordering="talk_count", description="Talks")
    def talk_count(self, obj):
        return obj.talk_count

    def get_list_display(self, request):
        if request.user.has_perm("talks.add_talk"):
            return [*self.list_display, "add_talk"]
        return self.list_display

    def add_talk_url(self, obj) -> str:
        return f"{reverse('admin:talks_talk_add')}?{self.add_talk_query(obj)}"

    @admin.display(description="")
    def add_talk(self, obj):
        return format_html('<a href="{}">Add a talk</a>', self.add_talk_url(obj))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["add_talk_url"] = self.add_talk_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Event)
class EventAdmin(AddTalkLinks, LostEditGuardAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["name", "slug", "start_date", "end_date", "timezone", "city", "talk_count"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "start_date"
    inlines = [RoomInline]
    change_list_template = "admin/schedule/event/change_list.html"

    def add_talk_query(self, event) -> str:
        return f"event={event.pk}"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="schedule_event_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload a schedule.xml/.json to preview (a dry run, kept as a StagedFile) or import."""
        from schedule.interchange.views import import_page

        if not request.user.has_perm("schedule.import_schedule"):
            raise PermissionDenied
        return import_page(self, request, ScheduleImportForm)


class ScheduleImportForm(forms.Form):
    file = forms.FileField(help_text="A frab/Pentabarf schedule.xml or a frab schedule.json.")
    event_slug = forms.SlugField(
        required=False,
        label="Event slug",
        help_text="Create or update this event (default: the file's acronym).",
    )
    replace = forms.BooleanField(
        required=False, help_text="Delete the event's talks that are not in the file."
    )
    prefer_file = forms.BooleanField(
        required=False,
        label="Prefer the file",
        help_text="Where an organiser edited a field the file also changed, take the "
        "file's value (default: keep the organiser's and list it).",
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label="Preview only",
        help_text="Show what would change without saving; then import it with one click.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        size = upload.size
        web_limit = settings.SCHEDULE_ADMIN_IMPORT_MAX_BYTES
        if size > web_limit:
            raise forms.ValidationError(
                f"This file is {size:,} bytes; uploads here stop at {web_limit:,} "
                "(SCHEDULE_ADMIN_IMPORT_MAX_BYTES) so that an import never outlasts a web "
                "request. Import it on the server instead: "
                "manage.py import_schedule FILE (it shows progress)."
            )
        limit = settings.SCHEDULE_IMPORT_MAX_BYTES
        if size > limit:
            raise forms.ValidationError(f"The file is {size:,} bytes; the limit is {limit:,}.")
        return upload


@admin.register(Room)
class RoomAdmin(LostEditGuardAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["name", "event", "building", "floor", "capacity", "position"]
    list_filter = ["event", "building"]
    list_editable = ["building", "floor", "capacity", "position"]
    list_select_related = ["event"]
    search_fields = ["name", "slug", "building"]
    prepopulated_fields = {"slug": ("name",)}
    ordering = ["event", "position", "name"]
    actions = ["derive_buildings", "derive_buildings_overwriting"]
    fieldsets = [
        (None, {"fields": ["event", "name", "slug", "position"]}),
        ("Venue", {"fields": ["building", "floor", "capacity", "accessibility", "map_url"]}),
        ("Media", {"fields": ["stream_url"]}),
    ]

    @admin.action(description="Derive building and floor from room names", permissions=["change"])
    def derive_buildings(self, request, queryset):
        self._derive(request, queryset, overwrite=False)

    @admin.action(
        description="Derive building and floor from room names, replacing typed ones",
        permissions=["change"],
    )
    def derive_buildings_overwriting(self, request, queryset):
        self._derive(request, queryset, overwrite=True)

    def _derive(self, request, queryset, *, overwrite):
        """By each room's event's rules; typed buildings are kept unless `overwrite`."""
        changed = []
        for event in Event.objects.filter(rooms__in=queryset).distinct():
            try:
                changed += venue.apply_building_rules(event, overwrite=overwrite, rooms=queryset)
            except ValueError as error:
                messages.error(request, f"{event}: the building rules are not usable. {error}")
        kept = "" if overwrite else " Rooms with a building typed by hand were kept."
        messages.success(request, f"Building and floor set for {len(changed)} room(s).{kept}")


@admin.register(Devroom)
class DevroomAdmin(AddTalkLinks, LostEditGuardAdmin):
    """Managers may view and describe their own devrooms, but not reassign them."""

    list_display = ["name", "event", "colour", "talk_count"]
    list_filter = ["event"]
    list_select_related = ["event"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ["default_rooms", "managers"]

    def add_talk_query(self, devroom) -> str:
        return f"event={devroom.event_id}&devroom={devroom.pk}"

    def get_queryset(self, request):
        return permissions.scope_to_devrooms(super().get_queryset(request), request.user, "pk")

    def get_readonly_fields(self, request, obj=None):
        if permissions.edits_everything(request.user):
            return []
        return ["event", "slug", "managers", "default_rooms"]

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self.get_readonly_fields(request, obj) else self.prepopulated_fields

    def _manages(self, request, obj):
        ids = permissions.managed_devroom_ids(request.user)
        return bool(ids) and (obj is None or obj.pk in ids)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._manages(request, None)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._manages(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._manages(request, obj)
