"""What saving talks and speakers sets off: calendar UIDs, search text, name keys, app ids."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from talks.identity import LOCAL_ID_BASE, name_key
from talks.models import Speaker, Talk
from talks.models.talk_queries import fill_derived


@receiver(pre_save, sender=Talk)
def talk_identity(sender, instance, **kwargs):
    """On every save, fixtures' too (talk_queries.fill_derived)."""
    fill_derived(instance)


@receiver(pre_save, sender=Speaker)
def speaker_name_key(sender, instance, **kwargs):
    """The matching key, also for fixtures (which bypass Speaker.save)."""
    instance.name_key = name_key(instance.name)


@receiver(post_save, sender=Talk)
def talk_app_id(sender, instance, **kwargs):
    """Talks made here get an app id from the local range, unused in the talk's series."""
    if instance.frab_id is None:
        instance.frab_id = LOCAL_ID_BASE + instance.pk
        others = Talk.objects.filter(event__series=instance.event.series).exclude(pk=instance.pk)
        while others.filter(frab_id=instance.frab_id).exists():
            instance.frab_id += 1
        Talk.objects.filter(pk=instance.pk).update(frab_id=instance.frab_id)
