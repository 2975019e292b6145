"""What a day-grid card shows, read for many talks in two flat queries (no model
instances: a from-scratch grid builds 470 cards), and the cards rendered from it."""

from typing import NamedTuple

from schedule.jinja import template
from schedule.models import Event
from schedule.paths import path
from talks.models import Talk, TalkSpeaker
from talks.models.light import as_text, id_list, utc_from_text

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
    talks = Talk.objects.filter(pk__in=id_list(talk_ids), event=event)
    names: dict[int, list[str]] = {}
    for talk_id, name in (  # the talks as a subquery: their ids are prepared once
        TalkSpeaker.objects.filter(talk_id__in=talks.values("pk"))
        .order_by("talk_id", "position", "id")
        .values_list("talk_id", "speaker__name")
    ):
        names.setdefault(talk_id, []).append(name)
    tz = event.tzinfo
    cards = []
    rows = talks.values_list(
        "pk", "slug", "title", "status", as_text("start"), as_text("end"), "room__name",
        "devroom__colour",
    )  # fmt: skip
    for pk, slug, title, status, start, end, room, colour in rows:
        start = utc_from_text(start).astimezone(tz) if start else None
        end = utc_from_text(end).astimezone(tz) if end else None
        cards.append(
            Card(
                pk=pk,
                slug=slug,
                title=title,
                status=status,
                start_iso=start.isoformat() if start else "",
                start_hm=f"{start.hour:02d}:{start.minute:02d}" if start else "",
                end_hm=f"{end.hour:02d}:{end.minute:02d}" if end else "",
                url=path("talks:detail", event.slug, slug),
                event_slug=event.slug,
                room_name=room or "",
                colour=colour or "",
                speakers=", ".join(names.get(pk, ())),
            )
        )
    return cards


def render_cards(cards: list[Card], place) -> dict[int, str]:
    """Talk id -> its card's HTML, with `place` standing where the card goes."""
    render = template(CARD_TEMPLATE).render
    return {card.pk: render(talk=card, place=place) for card in cards}
