"""An event's programme in numbers (talks per devroom, room and day), for its home page."""

import dataclasses
import datetime as dt

from django.db.models import Count, Max, Min, Q

from schedule.models import Event
from talks.models import Talk


@dataclasses.dataclass
class Summary:
    talk_count: int = 0
    unscheduled_count: int = 0
    days: list[tuple[dt.date, int]] = dataclasses.field(default_factory=list)
    # devroom id -> [talks, first start, last end]; room id -> talks
    devrooms: dict[int, list] = dataclasses.field(default_factory=dict)
    rooms: dict[int, int] = dataclasses.field(default_factory=dict)


def programme_summary(event: Event) -> Summary:
    """Every count of the event home from one query: public talks grouped by (devroom,
    room), each group counted per day, so it reads the covering index
    (talk_event_programme) rather than the talks' wide rows."""
    bounds = [event.day_bounds(day) for day in event.days]
    groups = (
        Talk.objects.filter(event_id=event.pk)
        .public()
        .order_by()
        .values_list("devroom_id", "room_id")
        .annotate(
            talks=Count("pk"),
            first=Min("start"),
            last=Max("end"),
            unscheduled=Count("pk", filter=Q(start__isnull=True)),
            **{
                f"day{n}": Count("pk", filter=Q(start__gte=start, start__lt=end))
                for n, (start, end) in enumerate(bounds)
            },
        )
    )
    summary = Summary()
    per_day = [0] * len(bounds)
    for devroom_id, room_id, talks, first, last, unscheduled, *days in groups:
        summary.talk_count += talks
        summary.unscheduled_count += unscheduled
        per_day = [total + n for total, n in zip(per_day, days, strict=True)]
        if devroom_id is not None:
            known = summary.devrooms.setdefault(devroom_id, [0, None, None])
            known[0] += talks
            known[1] = min(filter(None, (known[1], first)), default=None)
            known[2] = max(filter(None, (known[2], last)), default=None)
        if room_id is not None:
            summary.rooms[room_id] = summary.rooms.get(room_id, 0) + talks
    summary.days = list(zip(event.days, per_day, strict=True))
    return summary
