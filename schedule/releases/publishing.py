"""Publish a release in one transaction: snapshot the public programme, record its changes
since the previous release, keep the frab document for `?version=` exports."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from schedule import markers
from schedule.exports import frab, frab_talks
from schedule.models import Event
from schedule.pieces.stamps import talk_rows
from schedule.releases.diff import diff, live_snapshot
from schedule.releases.models import VERSION_NAME, Change, Release
from talks.models import Talk

NUMBERED = re.compile(r"^(\d+)\.(\d+)$")


def next_version(previous: str | None) -> str:
    """1.0 first, then 1.1, 1.2, …; after a name that is not major.minor, that name + ".1"."""
    if previous is None:
        return "1.0"
    if match := NUMBERED.match(previous):
        return f"{match[1]}.{int(match[2]) + 1}"
    return f"{previous}.1"


def unreleased_changes(event: Event) -> tuple[Release | None, list[dict]]:
    """The latest release and the changes of the live programme since it (all talks are
    "added" before the first release)."""
    latest = Release.objects.latest_of(event)
    before = latest.snapshot if latest else {}
    return latest, diff(before, live_snapshot(event))


def frab_document(event: Event, version: str, base_url: str) -> dict:
    talks = Talk.objects.filter(event=event).public().scheduled()
    return frab.schedule_data(
        event,
        talk_rows(talks.order_by("start")),
        entries=frab_talks.frab_entries(talks, event, base_url),
        base_url=base_url,
        version=version,
    )


@transaction.atomic
def publish_release(
    event: Event, *, version: str = "", note: str = "", user=None, base_url: str = ""
) -> Release:
    """Publish the live programme as a new release (ValidationError: bad or taken version)."""
    event = Event.objects.select_for_update().get(pk=event.pk)  # one publisher at a time
    latest = Release.objects.latest_of(event)
    version = (version or "").strip() or next_version(latest.version if latest else None)
    VERSION_NAME(version)
    if Release.objects.filter(event=event, version=version).exists():
        raise ValidationError(f"{event} already has a release {version}; choose another name.")
    snapshot = live_snapshot(event)
    changes = diff(latest.snapshot, snapshot) if latest else []
    release = Release.objects.create(
        event=event,
        version=version,
        note=note.strip(),
        published=timezone.now(),
        published_by=user if user and user.is_authenticated else None,
        snapshot=snapshot,
        document=frab_document(event, version, base_url or settings.SCHEDULE_BASE_URL or ""),
        talk_count=len(snapshot),
    )
    Change.objects.bulk_create(
        Change(
            release=release,
            talk_guid=change["guid"],
            talk_slug=change["slug"],
            title=change["title"][:300],
            kind=change["kind"],
            old=change["old"],
            new=change["new"],
        )
        for change in changes
    )
    markers.bump_events([event.pk])  # exports carry the version; pages mark changed talks
    release.marker = Event.objects.filter(pk=event.pk).values_list("changed", flat=True)[0]
    release.save(update_fields=["marker"])
    return release
