from django.urls import path
from django.views.decorators.gzip import gzip_page

from schedule import views

# Public pages and exports carry no secrets (no CSRF tokens), so compressing them is safe
# from BREACH; the admin is left uncompressed. A 1,000-talk list shrinks about tenfold.
app_name = "schedule"
urlpatterns = [
    path("", gzip_page(views.home), name="home"),
    path("events/", gzip_page(views.EventListView.as_view()), name="events"),
    path("<slug:event>/", gzip_page(views.EventView.as_view()), name="event"),
    path("<slug:event>/schedule/", gzip_page(views.ScheduleView.as_view()), name="index"),
    path("<slug:event>/schedule/<str:day>/", gzip_page(views.GridView.as_view()), name="grid"),
    path("<slug:event>/schedule.ics", gzip_page(views.schedule_ics), name="ics"),
    path("<slug:event>/schedule.xml", gzip_page(views.schedule_xml), name="xml"),
    path("<slug:event>/schedule.json", gzip_page(views.schedule_json), name="json"),
    path("<slug:event>/now/", gzip_page(views.NowView.as_view()), name="now"),
    path("<slug:event>/starred/", gzip_page(views.StarredView.as_view()), name="starred"),
    path("<slug:event>/starred.ics", gzip_page(views.starred_ics), name="starred_ics"),
    path(
        "<slug:event>/devrooms/<slug:slug>/", gzip_page(views.DevroomView.as_view()), name="devroom"
    ),
    path("<slug:event>/devrooms/<slug:slug>.ics", gzip_page(views.devroom_ics), name="devroom_ics"),
    path("<slug:event>/rooms/<slug:slug>/", gzip_page(views.RoomView.as_view()), name="room"),
    path("<slug:event>/rooms/<slug:slug>.ics", gzip_page(views.room_ics), name="room_ics"),
]
