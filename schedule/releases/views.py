"""The public record of changes: the releases page, comparisons, the Atom feed and the
machine-readable change list."""

import json

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.generic import TemplateView

from schedule.exports.views import event_marker_or_404, export
from schedule.models import Event
from schedule.releases.diff import diff, live_snapshot
from schedule.releases.queries import UnknownRelease, release_at, release_named
from schedule.releases.wording import grouped
from schedule.responses import CachedPageMixin, EventMixin


class ChangesView(CachedPageMixin, EventMixin, TemplateView):
    """/<event>/changes/: every release, newest first, with its changes in plain words."""

    template_name = "releases/changes.html"

    def get_context_data(self, **kwargs):
        releases = list(self.event.releases.prefetch_related("changes"))
        entries = [
            (release, previous, grouped(release.changes.all(), self.event.tzinfo))
            for release, previous in zip(releases, [*releases[1:], None], strict=False)
        ]
        return super().get_context_data(entries=entries, **kwargs)


class CompareView(CachedPageMixin, EventMixin, TemplateView):
    """/<event>/changes/<from>...<to>/: what changed between any two releases."""

    template_name = "releases/compare.html"

    def get(self, request, *args, **kwargs):
        first, sep, second = kwargs["span"].partition("...")
        if not sep or not first or not second:
            raise Http404("Compare two releases as /changes/1.0...1.2/.")
        try:
            self.older = release_named(self.event, first)
            self.newer = release_named(self.event, second)
        except UnknownRelease as error:
            return render(
                request, "404.html", {"message": str(error), "event": self.event}, status=404
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.pop("span", None)
        changes = diff(self.older.snapshot, self.newer.snapshot)
        return super().get_context_data(
            older=self.older,
            newer=self.newer,
            groups=grouped(changes, self.event.tzinfo),
            change_count=len(changes),
            **kwargs,
        )


class ReleaseFeed(Feed):
    """The Atom feed of an event's releases (Django's syndication framework)."""

    feed_type = Atom1Feed

    def get_object(self, request, event):
        self.request = request
        return event

    def title(self, event):
        return f"{event.name}: schedule changes"

    def subtitle(self, event):
        return f"Each release of the {event.name} schedule with what changed."

    def link(self, event):
        return reverse("releases:changes", args=[event.slug])

    def author_name(self, event):
        """Atom requires an author (RFC 4287 4.1.1): the organisers of the event."""
        return f"{event.name} organisers"

    def author_link(self, event):
        return event.base_url or self.request.build_absolute_uri(event.get_absolute_url())

    def feed_guid(self, event):
        return self.request.build_absolute_uri(reverse("releases:atom", args=[event.slug]))

    def items(self, event):
        return list(event.releases.prefetch_related("changes")[:50])

    def item_title(self, release):
        return f"{release.event.name} schedule {release.version}"

    def item_link(self, release):
        return release.get_absolute_url()

    def item_guid(self, release):
        return self.request.build_absolute_uri(release.get_absolute_url())

    item_guid_is_permalink = False

    def item_pubdate(self, release):
        return release.published

    item_updateddate = item_pubdate

    def item_description(self, release):
        return render_to_string(
            "releases/_release_changes.html",
            {
                "release": release,
                "groups": grouped(release.changes.all(), release.event.tzinfo),
                "event": release.event,
                "absolute": self.request.build_absolute_uri("/").rstrip("/"),
            },
        )


def changes_atom(request, event):
    def build(canonical):
        return ReleaseFeed()(canonical, event=get_object_or_404(Event, slug=event)).content

    return export(
        request,
        event_marker_or_404(event),
        build,
        name="changes.atom",
        content_type="application/atom+xml; charset=utf-8",
        filename=f"{event}-changes.atom",
    )


def changes_json(request, event):
    """What changed between a release (or the release current at a time) and now, per talk
    guid, so that apps can update without downloading the whole schedule."""

    def build(canonical):
        json_event = get_object_or_404(Event, slug=event)
        since = canonical.GET.get("since", "").strip()
        if not since:
            return _json_error(
                "Say since which release or time: ?since=1.0 or ?since=2025-01-20T12:00:00Z."
            )
        try:
            base = release_at(json_event, since)
        except UnknownRelease as error:
            return _json_error(str(error))
        latest = json_event.releases.first()
        changes = diff(base.snapshot if base else {}, live_snapshot(json_event))
        body = {
            "event": json_event.slug,
            "since": _release_ref(base),
            "current": {
                "release": _release_ref(latest),
                "version": latest.export_version(json_event.changed) if latest else None,
                "changed": json_event.changed.isoformat() if json_event.changed else None,
            },
            "changes": changes,
        }
        return json.dumps(body, ensure_ascii=False, indent=1).encode()

    return export(
        request,
        event_marker_or_404(event),
        build,
        name="changes.json",
        content_type="application/json",
        filename=f"{event}-changes.json",
        params=("since",),
    )


def _release_ref(release) -> dict | None:
    if release is None:
        return None
    return {"version": release.version, "published": release.published.isoformat()}


def _json_error(message: str) -> HttpResponse:
    params = {"ensure_ascii": False}
    response = JsonResponse({"error": message}, status=400, json_dumps_params=params)
    response["Access-Control-Allow-Origin"] = "*"
    return response
