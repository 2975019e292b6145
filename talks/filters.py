"""The schedule's filters, shared by the HTML list, the grid and every feed/export."""

import datetime as dt
import functools
import re

import django_filters
from django import forms

from schedule.models import Devroom, Event, Room
from schedule.place_rows import devrooms_as_listed
from schedule.releases.queries import latest_release_changes
from schedule.search.queries import Search
from talks.languages import language_name
from talks.models import Speaker, Talk

SINGLE_CHOICE = ("day", "language", "status", "changed")  # shown as <select>s
SLUG = re.compile(r"[-\w]{1,200}")


class TalkFilter(django_filters.FilterSet):
    """Narrows an event's talks. Invalid values are reported in `.errors` and ignored."""

    changed = django_filters.ChoiceFilter(
        choices=[("latest", "In the latest release")],
        method="filter_changed",
        label="Changed",
        empty_label="Any",
    )
    day = django_filters.ChoiceFilter(
        method="filter_day", choices=[], label="Day", empty_label="Any day"
    )
    devroom = django_filters.ModelMultipleChoiceFilter(
        field_name="devroom__slug",
        to_field_name="slug",
        queryset=Devroom.objects.none(),
        label="Devroom",
        widget=forms.CheckboxSelectMultiple,
    )
    room = django_filters.ModelMultipleChoiceFilter(
        field_name="room__slug",
        to_field_name="slug",
        queryset=Room.objects.none(),
        label="Room",
        widget=forms.CheckboxSelectMultiple,
    )
    building = django_filters.MultipleChoiceFilter(
        field_name="room__building",
        choices=[],
        label="Building",
        widget=forms.CheckboxSelectMultiple,
    )
    speaker = django_filters.ModelChoiceFilter(
        field_name="speakers",
        to_field_name="slug",
        queryset=Speaker.objects.public(),
        label="Speaker",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Talk.Kind.choices, label="Type", widget=forms.CheckboxSelectMultiple
    )
    language = django_filters.ChoiceFilter(choices=[], label="Language", empty_label="Any")
    q = django_filters.CharFilter(method="filter_text", label="Search")
    status = django_filters.ChoiceFilter(choices=Talk.Status.choices, empty_label="Any")

    def __init__(self, data=None, queryset=None, *, event: Event, **kwargs):
        self.event = event
        super().__init__(data, queryset, **kwargs)
        self.filters["devroom"].queryset = event.devrooms.all()
        self.filters["room"].queryset = event.rooms.all()
        days = [(day.isoformat(), day.strftime("%A %-d %B")) for day in event.days]
        self.filters["day"].extra["choices"] = days
        # Callables: read only when the form is shown or the filter is asked for (not for a feed).
        self.filters["language"].extra["choices"] = self._language_choices
        self.filters["building"].extra["choices"] = self._building_choices

    @functools.cached_property
    def rooms(self) -> list[Room]:
        """The event's rooms in display order, read once for boxes and grid columns."""
        return list(self.event.rooms.all())

    def _language_choices(self):
        talks = Talk.objects.filter(event=self.event).public().exclude(language="")
        languages = talks.order_by("language").values_list("language", flat=True).distinct()
        return sorted(((code, language_name(code)) for code in languages), key=lambda c: c[1])

    def _building_choices(self):
        return [(b, b) for b in sorted({room.building for room in self.rooms} - {""})]

    def filter_day(self, queryset, name, value):
        start, end = self.event.day_bounds(dt.date.fromisoformat(value))
        return queryset.filter(start__gte=start, start__lt=end)

    def filter_changed(self, queryset, name, value):
        """Talks that changed in the latest release (schedule.releases)."""
        guids = latest_release_changes(self.event).values("talk_guid")
        return queryset.filter(guid__in=guids)

    def filter_text(self, queryset, name, value):
        """Every word must match somewhere (schedule.search); accents and case are folded."""
        return self.search.narrow(queryset)

    @functools.cached_property
    def search(self) -> Search:
        """The words of ?q= against this event, for the filter and for the page (ranking,
        offered devrooms and speakers): one object, whichever asks first."""
        return Search(self.event, (self.data or {}).get("q", "") if self.is_bound else "")

    def options(self, name: str) -> list[tuple[str, str, bool, str]]:
        """(value, label, chosen, element id) per box, without a widget or model per box."""
        chosen = set(self.data.getlist(name))
        if name == "devroom":
            choices = [(slug, name) for _pk, slug, name, _c in devrooms_as_listed(self.event.pk)]
        elif name == "room":
            choices = [(room.slug, room.name) for room in self.rooms]
        else:  # as declared, without building the form (which only validation needs)
            extra = self.filters[name].extra
            choices = extra["choices"]
            choices = list(choices() if callable(choices) else choices)
            if name in SINGLE_CHOICE:  # a <select>: its "Any" comes first, chosen when nothing is
                choices.insert(0, ("", extra.get("empty_label") or ""))
                chosen = {self.data.get(name) or ""}
        return [
            (str(value), str(label), str(value) in chosen, f"id_{name}_{n}")
            for n, (value, label) in enumerate(choices)
        ]

    @property
    def offers_buildings(self) -> bool:
        """Whether the event's rooms name buildings at all (else the filter is not shown)."""
        return bool(self._building_choices())

    def active_filters(self) -> list[tuple[str, str]]:
        """(name, label) of each valid, non-empty filter."""
        if not asks_for_filters(self.data):
            return []
        self.is_valid()
        return [
            (name, self.filters[name].label or name.title())
            for name in self.filters
            if self.form.cleaned_data.get(name)
        ]

    def chips(self, query) -> list[tuple[str, str]]:
        """(text, URL without it): one removable chip per active value."""
        chips = []
        for name, label in self.active_filters():
            value = self.form.cleaned_data[name]
            if name in ("devroom", "room", "building", "kind"):
                for item in value:
                    key = getattr(item, "slug", item)
                    shown = Talk.Kind(item).label if name == "kind" else str(item)
                    rest = query.copy()
                    rest.setlist(name, [v for v in rest.getlist(name) if v != key])
                    chips.append((f"{label}: {shown}", rest.urlencode()))
            else:
                rest = query.copy()
                rest.pop(name, None)
                shown = f"“{value}”" if name == "q" else str(value)
                if name == "changed":
                    shown = "in the latest release"
                if name == "day":
                    shown = dict(self.filters["day"].extra["choices"]).get(value, value)
                chips.append((f"{label}: {shown}", rest.urlencode()))
        return chips

    def error_messages(self) -> list[str]:
        """One sentence per ignored filter."""
        if not asks_for_filters(self.data):
            return []
        self.is_valid()
        return [
            f"{self.filters[name].label or name}: {' '.join(errs)} This filter was ignored."
            for name, errs in self.form.errors.items()
        ]


FILTER_NAMES = tuple(TalkFilter.base_filters)  # as the query string may name them


def event_talks(event: Event):
    return Talk.objects.filter(event=event).for_schedule()


def filtered_talks(request, event: Event, data=None) -> TalkFilter:
    """The request's filters bound to the event's talks (pages, feeds and exports alike);
    unbound without any filter value, sparing every unfiltered page the form's cleaning."""
    data = request.GET if data is None else data
    return TalkFilter(data if asks_for_filters(data) else None, event_talks(event), event=event)


def asks_for_filters(data) -> bool:
    """Whether a query gives any filter a value (else no FilterSet is needed at all)."""
    return any(data.get(name) for name in FILTER_NAMES)


def starred_slugs(request) -> list[str]:
    """Slugs from ?talks=a,b; anything that cannot be a slug is dropped (at most 500)."""
    slugs = [slug.strip() for slug in request.GET.get("talks", "").split(",")]
    return [slug for slug in slugs if SLUG.fullmatch(slug)][:500]
