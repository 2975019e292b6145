"""Releases: named, kept snapshots of an event's public programme and what changed since the
previous one. An announcement and a record, not a gate: edits go live at once."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

VERSION_NAME = RegexValidator(
    r"^[0-9A-Za-z._-]{1,40}$",
    "Use letters, digits, dots, hyphens and underscores only (for example 1.2 or 2025-rc1).",
)


class ReleaseQuerySet(models.QuerySet):
    def latest_of(self, event):
        return self.filter(event=event).order_by("-published", "-pk").first()


class Release(models.Model):
    event = models.ForeignKey("schedule.Event", on_delete=models.CASCADE, related_name="releases")
    version = models.CharField(max_length=40, validators=[VERSION_NAME])
    note = models.TextField(blank=True, help_text="What this release is about, for attendees.")
    published = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(
        help_text="The public programme at publication: guid -> talk facts (for diffs)."
    )
    document = models.JSONField(
        help_text="The frab schedule data at publication (schedule.xml/json?version=)."
    )
    talk_count = models.PositiveIntegerField(default=0)
    marker = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The event's change marker right after publication: later edits make "
        "exports say <version>+<marker>.",
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["event", "-published", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "version"],
                name="release_version_unique_per_event",
                violation_error_message="This event already has a release with this name.",
            )
        ]
        permissions = [("publish_release", "Publish a release of an event's schedule")]

    def __str__(self):
        return f"{self.event} {self.version}"

    def get_absolute_url(self):
        return reverse("releases:changes", args=[self.event.slug]) + f"#release-{self.version}"

    def export_version(self, event_changed) -> str:
        """This release's name, plus the live marker if the programme changed after it."""
        if self.marker is None or event_changed is None or event_changed <= self.marker:
            return self.version
        return f"{self.version}+{event_changed:%Y%m%dT%H%M%SZ}"


class Change(models.Model):
    """One difference between a release and the one before it, for one talk."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added"
        REMOVED = "removed", "Removed"
        CANCELLED = "cancelled", "Cancelled"
        UNCANCELLED = "uncancelled", "Back on"
        MOVED = "moved", "Moved"
        RETITLED = "retitled", "Retitled"
        SPEAKERS = "speakers", "Speakers changed"
        DEVROOM = "devroom", "Devroom changed"

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="changes")
    talk_guid = models.UUIDField(db_index=True)
    talk_slug = models.CharField(max_length=200)
    title = models.CharField(max_length=300, help_text="The talk's title in this release.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["release", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"
