from django.urls import path, register_converter
from django.urls.converters import StringConverter

from schedule.live import agenda_views, display_views, status_views
from schedule.live.tokens import TOKEN_PATTERN


class TokenConverter(StringConverter):
    """An agenda token's shape; anything else is a 404 before any view runs."""

    regex = TOKEN_PATTERN


register_converter(TokenConverter, "token")
AGENDA = "<slug:event>/agenda/<token:token>"
ROOM = "<slug:event>/rooms/<slug:slug>"
app_name = "live"
urlpatterns = [
    path("<slug:event>/agenda/", agenda_views.create, name="agenda_create"),
    path(f"{AGENDA}/", agenda_views.page, name="agenda"),
    path(f"{AGENDA}.ics", agenda_views.calendar, name="agenda_ics"),
    path(f"{AGENDA}.json", agenda_views.as_json, name="agenda_json"),
    path(f"{AGENDA}/talks/", agenda_views.talks, name="agenda_talks"),
    path(f"{AGENDA}/seen/", agenda_views.seen, name="agenda_seen"),
    path(f"{AGENDA}/rotate/", agenda_views.rotate, name="agenda_rotate"),
    path(f"{AGENDA}/delete/", agenda_views.delete, name="agenda_delete"),
    # Before the room page route, whose <slug:slug> would otherwise take "status".
    path("<slug:event>/rooms/status.json", status_views.status_json, name="status_json"),
    path("<slug:event>/rooms/volunteer/", status_views.volunteer, name="volunteer"),
    path(f"{ROOM}/status/", status_views.fragment, name="status_fragment"),
    path(f"{ROOM}/display/", display_views.room_display, name="room_display"),
    path(f"{ROOM}/display.json", display_views.display_json, name="room_display_json"),
    path("<slug:event>/display/", display_views.event_display, name="event_display"),
    path("<slug:event>/display.json", display_views.display_json, name="event_display_json"),
]
