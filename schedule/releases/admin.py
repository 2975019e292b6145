"""Releases in the admin: the read-only record, and a page to review an event's unreleased
changes and publish them (Organisers; devroom managers see only their devrooms' changes)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from schedule.models import Devroom, Event
from schedule.permissions import edits_everything, managed_devroom_ids
from schedule.releases.models import Release
from schedule.releases.publishing import next_version, publish_release, unreleased_changes
from schedule.releases.wording import grouped
from schedule.responses import base_url

PUBLISH = "releases.publish_release"


class PublishForm(forms.Form):
    version = forms.CharField(
        max_length=40,
        required=False,
        help_text="Leave empty for the next number; letters, digits, dots, hyphens, underscores.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown to attendees above the changes, e.g. “Room swap in the afternoon”.",
    )


def devroom_changes(changes: list[dict], event: Event, devroom_ids: set[int]) -> list[dict]:
    """Only the changes touching these devrooms (before or after)."""
    devrooms = Devroom.objects.filter(event=event, pk__in=devroom_ids)
    names = set(devrooms.values_list("name", flat=True))
    return [
        change
        for change in changes
        if change["devroom"] in names
        or (change["kind"] == "devroom" and {change["old"], change["new"]} & names)
    ]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "published", "talk_count", "published_by"]
    list_filter = ["event"]
    list_select_related = ["event", "published_by"]
    readonly_fields = ["event", "version", "note", "published", "published_by", "talk_count"]
    exclude = ["snapshot", "document", "marker"]
    change_list_template = "admin/releases/release/change_list.html"

    def has_add_permission(self, request):
        return False  # published from the "Prepare a release" page

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.prepare_view)
        return [
            path("prepare/<int:event_id>/", view, name="releases_release_prepare"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        events = Event.objects.order_by("-start_date")
        if not edits_everything(request.user):
            events = events.filter(devrooms__in=managed_devroom_ids(request.user)).distinct()
        extra = {"prepare_events": events, **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def prepare_view(self, request, event_id):
        """An event's unreleased changes and, for Organisers, the form that publishes them."""
        event = get_object_or_404(Event, pk=event_id)
        may_publish = request.user.has_perm(PUBLISH)
        managed = set() if edits_everything(request.user) else managed_devroom_ids(request.user)
        if not may_publish and (not managed or request.method == "POST"):
            raise PermissionDenied  # devroom managers only read
        latest, changes = unreleased_changes(event)
        if managed:
            changes = devroom_changes(changes, event, managed)
        form = PublishForm(request.POST or None)
        if form.is_valid():
            try:
                release = publish_release(
                    event, user=request.user, base_url=base_url(request), **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error("version", error)
            else:
                count = f"{release.changes.count()} change(s)"
                self.log_addition(request, release, f"Published with {count}.")
                messages.success(
                    request, f"Published release {release.version} of {event} with {count}."
                )
                return redirect("admin:releases_release_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Prepare a release of {event}",
            "event": event,
            "latest": latest,
            "first_release": latest is None,
            "groups": [] if latest is None else grouped(changes, event.tzinfo),
            "change_count": len(changes),
            "talk_count": len(changes) if latest is None else None,
            "form": form if may_publish else None,
            "next_version": next_version(latest.version if latest else None),
            "scoped": bool(managed),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/releases/release/prepare.html", context)
