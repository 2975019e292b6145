"""Snapshots of an event's public programme (guid -> facts, a constant number of queries),
and what changed between two of them (pure, no queries). Rules: docs/releases.md"""

from schedule.models import Event
from talks.models import Talk

CANCELLED = Talk.Status.CANCELLED


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


def _place(facts: dict) -> dict:
    return {"start": facts["start"], "end": facts["end"], "room": facts["room"]}


def talk_changes(old: dict | None, new: dict | None) -> list[tuple[str, object, object]]:
    """(kind, old value, new value) for one talk's facts before and after."""
    if old is None:
        return [("added", None, new)]
    if new is None:
        return [("removed", old, None)]
    changes = []
    was_cancelled, is_cancelled = old["status"] == CANCELLED, new["status"] == CANCELLED
    if is_cancelled != was_cancelled:
        changes.append(("cancelled" if is_cancelled else "uncancelled", None, None))
    if _place(old) != _place(new):
        changes.append(("moved", _place(old), _place(new)))
    for kind, field in (("retitled", "title"), ("speakers", "speakers"), ("devroom", "devroom")):
        if old[field] != new[field]:
            changes.append((kind, old[field], new[field]))
    return changes


def diff(before: dict[str, dict], after: dict[str, dict]) -> list[dict]:
    """Every change from `before` to `after` (both guid -> facts), in programme order."""

    def order(guid):
        facts = after.get(guid) or before[guid]
        return (facts["start"] or "9999", facts["room"], facts["title"])

    changes = []
    for guid in sorted(before.keys() | after.keys(), key=order):
        old, new = before.get(guid), after.get(guid)
        current = new or old
        talk = {"guid": guid} | {key: current[key] for key in ("slug", "title", "devroom")}
        changes += [
            talk | {"kind": kind, "old": old_value, "new": new_value}
            for kind, old_value, new_value in talk_changes(old, new)
        ]
    return changes
