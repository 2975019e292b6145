from django.urls import path
from django.views.decorators.gzip import gzip_page

from schedule.pages import (
    event_views,
    grid_views,
    list_views,
    now_views,
    place_views,
    starred_views,
)

# Cached pages are stored gzipped (schedule.caching); the personal starred page is gzipped
# per request. Public pages carry no secrets (no CSRF tokens), so compression is safe from
# BREACH; the admin stays uncompressed.
app_name = "schedule"
urlpatterns = [
    path("", event_views.home, name="home"),
    path("events/", event_views.EventListView.as_view(), name="events"),
    path("<slug:event>/", event_views.EventView.as_view(), name="event"),
    path("<slug:event>/schedule/", list_views.DayListView.as_view(), name="index"),
    # Before the day route, whose <str:day> would otherwise capture "all" and "tba".
    path("<slug:event>/schedule/all/", list_views.AllTalksView.as_view(), name="all"),
    path("<slug:event>/schedule/tba/", list_views.UnscheduledView.as_view(), name="tba"),
    path("<slug:event>/schedule/<str:day>/", grid_views.GridView.as_view(), name="grid"),
    path("<slug:event>/now/", now_views.NowView.as_view(), name="now"),
    path("<slug:event>/starred/", gzip_page(starred_views.StarredView.as_view()), name="starred"),
    path("<slug:event>/devrooms/<slug:slug>/", place_views.DevroomView.as_view(), name="devroom"),
    path("<slug:event>/rooms/<slug:slug>/", place_views.RoomView.as_view(), name="room"),
]
