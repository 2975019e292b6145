"""Repairing who is who: merge one person's speaker records, or split talks off to a new one."""

from django.db import transaction

from schedule import locks, markers
from talks.models import PersonId, Speaker, SpeakerLink, SpeakerRedirect, Talk, TalkSpeaker


def events_of(*speakers) -> set[int]:
    talks = Talk.objects.filter(talk_speakers__speaker__in=speakers)
    return set(talks.values_list("event_id", flat=True))


@transaction.atomic
def merge_speakers(keep: Speaker, others) -> int:
    """Move every talk, link, id and old URL of `others` to `keep`, delete them, and return
    how many. A talk listing both keeps one entry, at the earlier position."""
    others = [s for s in others if s.pk != keep.pk]
    events = events_of(keep, *others)
    locks.lock_events(events)  # schedule.locks, step 1
    with markers.batched(*events):
        for other in others:
            for entry in TalkSpeaker.objects.filter(speaker=other):
                mine = TalkSpeaker.objects.filter(talk_id=entry.talk_id, speaker=keep).first()
                if mine is None:
                    entry.speaker = keep
                    entry.save(update_fields=["speaker"])
                    continue
                if entry.position < mine.position:
                    mine.position = entry.position
                    mine.save(update_fields=["position"])
                entry.delete()
            SpeakerLink.objects.filter(speaker=other).update(speaker=keep)
            for series, number in keep.person_ids.values_list("series", "number"):
                PersonId.objects.filter(speaker=other, series=series, number=number).delete()
            PersonId.objects.filter(speaker=other).update(speaker=keep)
            SpeakerRedirect.objects.filter(speaker=other).update(speaker=keep)
            keep.bio = keep.bio or other.bio
            keep.website = keep.website or other.website
            old_slug = other.slug
            other.delete()
            SpeakerRedirect.objects.create(old_slug=old_slug, speaker=keep)
        keep.save()
    return len(others)


@transaction.atomic
def split_speaker(speaker: Speaker, talks, name: str, person_ids=()) -> Speaker:
    """A new speaker called `name` takes over `talks` (and the chosen ids) from `speaker`."""
    talks = list(talks)
    events = events_of(speaker)
    locks.lock_events(events)  # schedule.locks, step 1
    with markers.batched(*events):
        new = Speaker.objects.create(name=name)
        TalkSpeaker.objects.filter(speaker=speaker, talk__in=talks).update(speaker=new)
        chosen_ids = PersonId.objects.filter(speaker=speaker, pk__in=[p.pk for p in person_ids])
        chosen_ids.update(speaker=new)
        Speaker.objects.filter(pk=speaker.pk).update(updated=new.updated)
    return new
