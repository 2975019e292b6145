"""Saving or deleting an event, room or devroom moves that event's change marker."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from schedule import caching, markers
from schedule.models import Devroom, Event, Room, default_series


@receiver(pre_save, sender=Event)
def event_series(sender, instance, **kwargs):
    """An event without a series joins the one its site or slug names (also for fixtures)."""
    if not instance.series:
        instance.series = default_series(instance.base_url, instance.slug or "")


@receiver(pre_save, sender=Event)
def event_slug_renamed(sender, instance, **kwargs):
    """The old URL must stop answering from a cached marker once the slug changes."""
    if instance.pk and not kwargs.get("raw"):
        old = Event.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if old and old != instance.slug:
            caching.forget_markers([old])


@receiver([post_save, post_delete], sender=Event)
def event_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    if kwargs.get("signal") is post_delete:
        markers.bump_site()
        caching.forget_markers([instance.slug])
    else:
        markers.bump_events([instance.pk])


@receiver([post_save, post_delete], sender=Room)
@receiver([post_save, post_delete], sender=Devroom)
def place_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        markers.bump_events([instance.event_id])
