"""The talk changelist's filters: what the user may see, narrowed to the chosen event."""

import datetime as dt

from django.contrib import admin
from django.db.models import Q

from schedule.models import Devroom, Event, Room
from schedule.permissions import edits_everything, managed_devroom_ids, scope_to_devrooms

EVENT_PARAMETER = "event__id__exact"


def events_for(user):
    """Every event for organisers; a devroom manager's devrooms' events otherwise."""
    if edits_everything(user):
        return Event.objects.all()
    return Event.objects.filter(devrooms__in=managed_devroom_ids(user)).distinct()


def devrooms_for(user):
    return scope_to_devrooms(Devroom.objects.all(), user, devroom_field="pk")


def rooms_for(user):
    if edits_everything(user):
        return Room.objects.all()
    return Room.objects.filter(event__in=events_for(user))


def in_chosen_event(queryset, request, lookup="event_id"):
    """The queryset narrowed to the changelist's chosen event, if one is."""
    value = request.GET.get(EVENT_PARAMETER, "")
    return queryset.filter(**{lookup: value}) if value.isdigit() else queryset


def with_event_name(obj) -> str:
    """Rooms and devrooms repeat across editions (three Chavannes): say which."""
    return f"{obj.name} · {obj.event.name}"


class EventFilter(admin.RelatedFieldListFilter):
    """The events the user may see, newest first."""

    def field_choices(self, field, request, model_admin):
        return [(event.pk, str(event)) for event in events_for(request.user)]


class PlaceFilter(admin.RelatedFieldListFilter):
    """Room or devroom filter: the user's, narrowed to the chosen event, with the edition."""

    def field_choices(self, field, request, model_admin):
        scoped = devrooms_for if field.related_model is Devroom else rooms_for
        places = in_chosen_event(scoped(request.user).select_related("event"), request)
        places = places.order_by("-event__start_date", "event__name", "name")
        return [(obj.pk, with_event_name(obj)) for obj in places]


class EventDayFilter(admin.SimpleListFilter):
    """Filter by day in each event's own zone (YYYY-MM-DD)."""

    title = "day"
    parameter_name = "day"

    def _events(self, request):
        return list(in_chosen_event(events_for(request.user), request, "pk"))

    def lookups(self, request, model_admin):
        days = sorted({day for event in self._events(request) for day in event.days})
        return [(day.isoformat(), day.strftime("%a %d %b %Y")) for day in days]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = dt.date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        condition = Q(pk__in=[])
        for event in self._events(request):
            start, end = event.day_bounds(day)
            condition |= Q(event=event, start__gte=start, start__lt=end)
        return queryset.filter(condition)
