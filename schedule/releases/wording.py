"""Changes in plain words, in the event's time zone: "Moved from Sat 12:20 Chavanne to Sat
14:00 Ferrer". Used by the changes page, the Atom feed and the talk page alike."""

import datetime as dt

from schedule import local_time

KIND_ORDER = ["cancelled", "moved", "added", "uncancelled", "retitled", "speakers", "devroom"]
KIND_ORDER += ["removed"]
HEADINGS = {
    "added": "Added",
    "removed": "Removed",
    "cancelled": "Cancelled",
    "uncancelled": "Back on",
    "moved": "Moved",
    "retitled": "Retitled",
    "speakers": "Speakers changed",
    "devroom": "Devroom changed",
}


def when_and_where(place: dict | None, tz) -> str:
    """ "Sat 12:20 Chavanne", "time to be announced", …"""
    if not place:
        return "—"
    parts = []
    if place.get("start"):
        start = dt.datetime.fromisoformat(place["start"]).astimezone(tz)
        parts.append(local_time.weekday_hm(start))
    else:
        parts.append("time to be announced")
    if place.get("room"):
        parts.append(place["room"])
    return " ".join(parts)


def describe(kind: str, old, new, tz) -> str:
    """What happened to one talk, without its title (shown next to it)."""
    if kind == "moved":
        return f"from {when_and_where(old, tz)} to {when_and_where(new, tz)}"
    if kind == "retitled":
        return f"was “{old}”"
    if kind == "speakers":
        before = ", ".join(old) or "nobody"
        after = ", ".join(new) or "nobody"
        return f"{before} → {after}"
    if kind == "devroom":
        return f"{old or 'no devroom'} → {new or 'no devroom'}"
    if kind == "added" and new:
        return when_and_where(new, tz)
    if kind == "removed" and old:
        return f"was {when_and_where(old, tz)}"
    return ""


def grouped(changes, tz) -> list[tuple[str, list[dict]]]:
    """[(heading, [{"title", "slug", "text", "removed"}])] from Change rows or diff dicts."""
    groups: dict[str, list[dict]] = {}
    for change in changes:
        get = change.get if isinstance(change, dict) else lambda key, c=change: getattr(c, key)
        kind = get("kind")
        groups.setdefault(kind, []).append(
            {
                "title": get("title"),
                "slug": get("talk_slug") if not isinstance(change, dict) else change["slug"],
                "text": describe(kind, get("old"), get("new"), tz),
                "removed": kind == "removed",
            }
        )
    return [(HEADINGS[kind], groups[kind]) for kind in KIND_ORDER if kind in groups]
