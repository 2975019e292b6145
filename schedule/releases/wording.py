"""Changes in plain words, in the event's time zone: "Moved from Sat 12:20 Chavanne to Sat
14:00 Ferrer". Used by the changes page, the Atom feed and the talk page alike."""

import datetime as dt

from django.forms.models import model_to_dict

from schedule import local_time
from schedule.releases.models import Change

KIND_ORDER = ["cancelled", "moved", "added", "uncancelled", "retitled", "speakers", "devroom"]
KIND_ORDER += ["removed"]


def when_and_where(place: dict | None, tz) -> str:
    """ "Sat 12:20 Chavanne", "time to be announced", …"""
    if not place:
        return "—"
    when = "time to be announced"
    if place.get("start"):
        when = local_time.weekday_hm(dt.datetime.fromisoformat(place["start"]).astimezone(tz))
    return f"{when} {place['room']}" if place.get("room") else when


def describe(kind: str, old, new, tz) -> str:
    """What happened to one talk, without its title (shown next to it)."""
    if kind == "moved":
        return f"from {when_and_where(old, tz)} to {when_and_where(new, tz)}"
    if kind == "retitled":
        return f"was “{old}”"
    if kind == "speakers":
        return f"{', '.join(old) or 'nobody'} → {', '.join(new) or 'nobody'}"
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
        if isinstance(change, Change):
            change = model_to_dict(change) | {"slug": change.talk_slug}
        kind = change["kind"]
        groups.setdefault(kind, []).append(
            {
                "title": change["title"],
                "slug": change["slug"],
                "text": describe(kind, change["old"], change["new"], tz),
                "removed": kind == "removed",
            }
        )
    return [(Change.Kind(kind).label, groups[kind]) for kind in KIND_ORDER if kind in groups]
