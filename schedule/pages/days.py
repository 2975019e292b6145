"""Which day a day page shows: the `day` parameter when it names one of the event's days."""

import datetime as dt

from schedule.models import Event


def chosen_day(event: Event, raw: str | None) -> tuple[dt.date | None, str]:
    """(day, message): the named day, else the event's first day and why (if something was
    asked for). None for an event without days."""
    days = event.days
    if not days:
        return None, ""
    if not raw:
        return days[0], ""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return days[0], f"“{raw}” is not a date like {days[0].isoformat()}."
    if day not in days:
        return days[0], f"{event} has no day {day:%A %-d %B %Y}."
    return day, ""


def without_day(query) -> dict:
    """The query's filters minus `day` (the day is chosen by the page, not the filter)."""
    data = query.copy()
    data.pop("day", None)
    return data


def talks_on(queryset, event: Event, day: dt.date):
    start, end = event.day_bounds(day)
    return queryset.filter(start__gte=start, start__lt=end)
