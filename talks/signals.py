"""What saving talks, speakers and their parts sets off besides the change markers (which
schedule.marked moves): calendar UIDs, search text, name keys, app ids, and the talk or
speaker a part belongs to marked as changed."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from schedule.search.normalise import talk_search_text
from schedule.text import markdown_to_text
from talks.identity import name_key
from talks.models import (
    PersonId,
    Speaker,
    SpeakerLink,
    Talk,
    TalkLink,
    TalkSpeaker,
    free_talk_id,
    talk_uid,
)


@receiver(pre_save, sender=Talk)
def talk_identity(sender, instance, **kwargs):
    """A new talk's calendar UID (also for fixtures, which bypass Talk.save), and the plain
    text of its abstract, which every calendar feed shows (rendering Markdown per request
    for 1,000 talks would cost half a second)."""
    if not instance.uid:
        instance.uid = talk_uid(instance)
    instance.abstract_text = markdown_to_text(instance.abstract)
    instance.search_text = talk_search_text(instance)


@receiver(pre_save, sender=Speaker)
def speaker_name_key(sender, instance, **kwargs):
    """The matching key, also for fixtures (which bypass Speaker.save)."""
    instance.name_key = name_key(instance.name)


@receiver(post_save, sender=Talk)
def talk_app_id(sender, instance, **kwargs):
    """Talks made here get an app id from the local range once they have a row id."""
    if instance.frab_id is None:
        instance.frab_id = free_talk_id(instance)
        Talk.objects.filter(pk=instance.pk).update(frab_id=instance.frab_id)


@receiver([post_save, post_delete], sender=TalkSpeaker)
@receiver([post_save, post_delete], sender=TalkLink)
def talk_part_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        # A speaker or link changed is a change of the talk: its calendar entry says so
        # (LAST-MODIFIED), its stored export pieces (schedule.fragments) go stale, and the
        # (marked) update moves its event's marker.
        Talk.objects.filter(pk=instance.talk_id).update(updated=timezone.now())


@receiver([post_save, post_delete], sender=SpeakerLink)
@receiver([post_save, post_delete], sender=PersonId)
def speaker_part_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        # The person's ids and links are part of the speaker (exports, speaker pages): their
        # pieces go stale, and the (marked) update moves the markers of their events.
        Speaker.objects.filter(pk=instance.speaker_id).update(updated=timezone.now())
