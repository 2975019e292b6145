"""Day-grid cards: what each shows, read for a whole day in two flat queries (model
instances cost too much at that scale), and their HTML."""

from typing import NamedTuple

from django.urls import reverse

from schedule import local_time
from schedule.hyphens import hyphenated
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
    language: str

    @property
    def is_cancelled(self) -> bool:
        return self.status == Talk.Status.CANCELLED

    @property
    def breakable_title(self) -> str:
        """The title with its long words' hyphenation points (a narrow column)."""
        return hyphenated(self.title, self.language)


def render_cards(talk_ids, event: Event, place) -> dict[int, str]:
    """Talk id -> the card HTML of the event's talks among `talk_ids` (scheduled or not),
    with `place` standing where each card goes."""
    talks = Talk.objects.filter(pk__in=talk_ids, event=event)
    names: dict[int, list[str]] = {}
    for talk_id, name, credited in (  # talks as a subquery, not a long list of ids
        TalkSpeaker.objects.filter(talk_id__in=talks.values("pk"))
        .order_by("talk_id", "position", "id")
        .values_list("talk_id", "speaker__name", "credited_as")
    ):
        names.setdefault(talk_id, []).append(credited or name)
    local = local_time.formatter(event.tzinfo, local_time.iso, local_time.hm)
    rows = talks.values_list(
        "pk", "slug", "title", "status", "start", "end", "room__name",
        "devroom__colour", "language",
    )  # fmt: skip
    render = template(CARD_TEMPLATE).render
    html = {}
    for pk, slug, title, status, start, end, room, colour, language in rows:
        times = (*local(start), local(end)[1])  # start_iso, start_hm, end_hm
        url = reverse("talks:detail", args=[event.slug, slug])
        speakers = ", ".join(names.get(pk, ()))
        card = Card(
            pk, slug, title, status, *times, url, event.slug, room or "", colour or "", speakers,
            language,
        )  # fmt: skip
        html[pk] = render({"talk": card, "place": place})
    return html
