"""The Atom feed of an event's releases (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from schedule.releases.wording import grouped


class ReleaseFeed(Feed):
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
