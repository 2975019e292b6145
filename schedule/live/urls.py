from django.urls import path, register_converter

from schedule.live import agenda_views, display_views, status_views
from schedule.live.tokens import TOKEN_PATTERN


class TokenConverter:
    """An agenda token's shape; anything else is a 404 before any view runs."""

    regex = TOKEN_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")
app_name = "live"
urlpatterns = [
    path("<slug:event>/agenda/", agenda_views.create, name="agenda_create"),
    path("<slug:event>/agenda/<token:token>/", agenda_views.page, name="agenda"),
    path("<slug:event>/agenda/<token:token>.ics", agenda_views.calendar, name="agenda_ics"),
    path("<slug:event>/agenda/<token:token>.json", agenda_views.as_json, name="agenda_json"),
    path("<slug:event>/agenda/<token:token>/talks/", agenda_views.talks, name="agenda_talks"),
    path("<slug:event>/agenda/<token:token>/seen/", agenda_views.seen, name="agenda_seen"),
    path("<slug:event>/agenda/<token:token>/rotate/", agenda_views.rotate, name="agenda_rotate"),
    path("<slug:event>/agenda/<token:token>/delete/", agenda_views.delete, name="agenda_delete"),
    # Before the room page route, whose <slug:slug> would otherwise take "status".
    path("<slug:event>/rooms/status.json", status_views.status_json, name="status_json"),
    path("<slug:event>/rooms/volunteer/", status_views.volunteer, name="volunteer"),
    path("<slug:event>/rooms/<slug:slug>/status/", status_views.fragment, name="status_fragment"),
    path(
        "<slug:event>/rooms/<slug:slug>/display/", display_views.room_display, name="room_display"
    ),
    path(
        "<slug:event>/rooms/<slug:slug>/display.json",
        display_views.room_json,
        name="room_display_json",
    ),
    path("<slug:event>/display/", display_views.event_display, name="event_display"),
    path("<slug:event>/display.json", display_views.event_json, name="event_display_json"),
]
