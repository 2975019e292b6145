"""An event's public programme as plain data keyed by talk guid: what a release keeps and
diffs compare (a constant number of queries)."""

from schedule.models import Event
from talks.models import Talk


def talk_facts(talk: Talk) -> dict:
    """What attendees notice about a talk: when, where, what, who, whether it happens."""
    return {
        "slug": talk.slug,
        "title": talk.title,
        "start": talk.start.isoformat() if talk.start else None,
        "end": talk.end.isoformat() if talk.end else None,
        "room": talk.room.name if talk.room else "",
        "room_slug": talk.room.slug if talk.room else "",
        "devroom": talk.devroom.name if talk.devroom else "",
        "devroom_slug": talk.devroom.slug if talk.devroom else "",
        "speakers": [speaker.name for speaker in talk.ordered_speakers],
        "status": talk.status,
    }


def live_snapshot(event: Event) -> dict[str, dict]:
    """guid -> facts for every public talk of the event, as it is now."""
    talks = Talk.objects.filter(event=event).for_schedule()
    return {str(talk.guid): talk_facts(talk) for talk in talks}
