"""What saving an event sets off besides its change marker (schedule.marked moves that)."""

from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from schedule import caching
from schedule.models import Event, default_series


@receiver(pre_save, sender=Event)
def event_saving(sender, instance, raw=False, **kwargs):
    """An event without a series joins the one its site or slug names (also for fixtures);
    once the slug changes, the old URL must stop answering from a cached marker."""
    if not instance.series:
        instance.series = default_series(instance.base_url, instance.slug or "")
    if instance.pk and not raw:
        old = Event.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if old and old != instance.slug:
            caching.forget_markers([old])


@receiver(post_delete, sender=Event)
def event_deleted(sender, instance, **kwargs):
    """Its cached marker must not keep answering for its old URL."""
    caching.forget_markers([instance.slug])
