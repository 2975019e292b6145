"""What a day-grid card shows, read for many talks in two flat queries (no model
instances: a from-scratch grid builds 470 cards), and the cards rendered from it."""

from typing import NamedTuple

from schedule.jinja import template
from schedule.models import Event
from schedule.paths import path
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
    speakers: tuple[str, ...]  # names, in billing order

    @property
    def is_cancelled(self) -> bool:
        return self.status == Talk.Status.CANCELLED


def cards_of(talk_ids, event: Event) -> list[Card]:
    """The cards of the event's talks among `talk_ids` (scheduled or not)."""
    ids = list(talk_ids)
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    for talk_id, name in (
        TalkSpeaker.objects.filter(talk_id__in=ids)
        .order_by("talk_id", "position", "id")
        .values_list("talk_id", "speaker__name")
    ):
        names[talk_id].append(name)
    tz = event.tzinfo
    cards = []
    for pk, slug, title, status, start, end, room, colour in Talk.objects.filter(
        pk__in=ids, event=event
    ).values_list("pk", "slug", "title", "status", "start", "end", "room__name", "devroom__colour"):
        start = start.astimezone(tz) if start else None
        end = end.astimezone(tz) if end else None
        cards.append(
            Card(
                pk=pk,
                slug=slug,
                title=title,
                status=status,
                start_iso=start.isoformat() if start else "",
                start_hm=f"{start:%H:%M}" if start else "",
                end_hm=f"{end:%H:%M}" if end else "",
                url=path("talks:detail", event.slug, slug),
                event_slug=event.slug,
                room_name=room or "",
                colour=colour or "",
                speakers=tuple(names[pk]),
            )
        )
    return cards


def render_cards(cards: list[Card], place) -> dict[int, str]:
    """Talk id -> its card's HTML, with `place` standing where the card goes."""
    render = template(CARD_TEMPLATE).render
    return {card.pk: render(talk=card, place=place) for card in cards}
