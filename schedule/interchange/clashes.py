"""Import step: double bookings a file contains are kept as it says, and flagged."""

from django.db.models import F

from talks.models import Talk, TalkSpeaker


def overlapping_pairs(rows) -> set[int]:
    """Ids of rows overlapping another row of the same key; rows are (key, start, end, id)
    sorted by key then start."""
    clashing, current = set(), []
    for key, start, end, pk in rows:
        current = [row for row in current if row[0] == key and row[2] > start]
        for row in current:
            clashing.update((row[3], pk))
        current.append((key, start, end, pk))
    return clashing


def flag_kept_clashes(event) -> list[str]:
    """Flag the event's confirmed talks that overlap another in the same room or with the
    same speaker (and unflag the rest); returns their titles. Two queries."""
    talks = Talk.objects.confirmed().scheduled().filter(event=event)
    by_room = talks.filter(room__isnull=False).order_by("room_id", "start")
    clashing = overlapping_pairs(by_room.values_list("room_id", "start", "end", "pk"))
    by_speaker = TalkSpeaker.objects.filter(talk__in=talks).order_by("speaker_id", "talk__start")
    clashing |= overlapping_pairs(
        by_speaker.values_list("speaker_id", "talk__start", "talk__end", "talk_id")
    )
    # Admin-only flag: `updated` stays, so pieces and LAST-MODIFIED do not move.
    keep = F("updated")
    Talk.objects.filter(event=event, kept_clash=True).exclude(pk__in=clashing).update(
        kept_clash=False, updated=keep
    )
    Talk.objects.filter(pk__in=clashing, kept_clash=False).update(kept_clash=True, updated=keep)
    return list(
        Talk.objects.filter(pk__in=clashing).order_by("start").values_list("title", flat=True)
    )
