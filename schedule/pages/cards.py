"""Day-grid cards: what each shows, read for a whole day in two flat queries (model
instances cost too much at that scale), and their HTML."""

from typing import NamedTuple

from django.urls import reverse

from schedule import local_time
from schedule.jinja import template
from schedule.models import Event
from talks.models import Talk, TalkSpeaker

CARD_TEMPLATE = "schedule/_grid_card.jinja"


class Card(NamedTuple):
    pk: int
    slug: str
    title: str
    status: str
    start_iso: str  # local time with its offset (what the page's script compares)
    start_hm: str
    end_hm: str
    url: str
    event_slug: str
    room_name: str
    colour: str  # the devroom's, or ""
    speakers: str  # names in billing order, joined with ", "

    @property
    def is_cancelled(self) -> bool:
        return self.status == Talk.Status.CANCELLED


def cards_of(talk_ids, event: Event) -> list[Card]:
    """The cards of the event's talks among `talk_ids` (scheduled or not)."""
    talks = Talk.objects.filter(pk__in=talk_ids, event=event)
    names: dict[int, list[str]] = {}
    for talk_id, name, credited in (  # talks as a subquery, not a long list of ids
        TalkSpeaker.objects.filter(talk_id__in=talks.values("pk"))
        .order_by("talk_id", "position", "id")
        .values_list("talk_id", "speaker__name", "credited_as")
    ):
        name = credited or name
        names.setdefault(talk_id, []).append(name)
    tz = event.tzinfo
    cards = []
    rows = talks.values_list(
        "pk", "slug", "title", "status", "start", "end", "room__name",
        "devroom__colour",
    )  # fmt: skip
    times: dict = {}  # talks share few distinct times: convert each once
    for pk, slug, title, status, start, end, room, colour in rows:
        start_iso, start_hm = times.get(start) or times.setdefault(start, local(start, tz))
        end_hm = (times.get(end) or times.setdefault(end, local(end, tz)))[1]
        cards.append(
            Card(
                pk,
                slug,
                title,
                status,
                start_iso,
                start_hm,
                end_hm,
                reverse("talks:detail", args=[event.slug, slug]),
                event.slug,
                room or "",
                colour or "",
                ", ".join(names.get(pk, ())),
            )
        )
    return cards


def local(utc, tz) -> tuple[str, str]:
    """A time in the event's zone: ISO with its offset, and "HH:MM"."""
    if not utc:
        return "", ""
    moment = local_time.in_zone(utc, tz)
    return local_time.iso(moment), local_time.hm(moment)


def render_cards(cards: list[Card], place) -> dict[int, str]:
    """Talk id -> its card's HTML, with `place` standing where the card goes."""
    render = template(CARD_TEMPLATE).render
    return {card.pk: render({"talk": card, "place": place}) for card in cards}
