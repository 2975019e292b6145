from django.urls import path
from django.views.decorators.gzip import gzip_page

from schedule.pages import event_views, now_views, place_views, schedule_views, starred_views

# Cached pages are stored with their gzip encoding (schedule.caching); the personal starred
# page is compressed per request. Public pages carry no secrets (no CSRF tokens), so
# compressing them is safe from BREACH; the admin is left uncompressed.
app_name = "schedule"
urlpatterns = [
    path("", event_views.home, name="home"),
    path("events/", event_views.EventListView.as_view(), name="events"),
    path("<slug:event>/", event_views.EventView.as_view(), name="event"),
    path(
        "<slug:event>/schedule/",
        schedule_views.ScheduleView.as_view(),
        name="index",
    ),
    path(
        "<slug:event>/schedule/<str:day>/",
        schedule_views.GridView.as_view(),
        name="grid",
    ),
    path("<slug:event>/now/", now_views.NowView.as_view(), name="now"),
    path(
        "<slug:event>/starred/",
        gzip_page(starred_views.StarredView.as_view()),
        name="starred",
    ),
    path(
        "<slug:event>/devrooms/<slug:slug>/",
        place_views.DevroomView.as_view(),
        name="devroom",
    ),
    path("<slug:event>/rooms/<slug:slug>/", place_views.RoomView.as_view(), name="room"),
]
