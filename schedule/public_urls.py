from django.urls import path

from schedule import views

app_name = "schedule"
urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.EventListView.as_view(), name="events"),
    path("<slug:event>/", views.EventView.as_view(), name="event"),
    path("<slug:event>/schedule/", views.ScheduleView.as_view(), name="index"),
    path("<slug:event>/schedule/<str:day>/", views.GridView.as_view(), name="grid"),
    path("<slug:event>/schedule.ics", views.schedule_ics, name="ics"),
    path("<slug:event>/schedule.xml", views.schedule_xml, name="xml"),
    path("<slug:event>/schedule.json", views.schedule_json, name="json"),
    path("<slug:event>/now/", views.NowView.as_view(), name="now"),
    path("<slug:event>/starred/", views.StarredView.as_view(), name="starred"),
    path("<slug:event>/starred.ics", views.starred_ics, name="starred_ics"),
    path("<slug:event>/devrooms/<slug:slug>/", views.DevroomView.as_view(), name="devroom"),
    path("<slug:event>/devrooms/<slug:slug>.ics", views.devroom_ics, name="devroom_ics"),
    path("<slug:event>/rooms/<slug:slug>/", views.RoomView.as_view(), name="room"),
    path("<slug:event>/rooms/<slug:slug>.ics", views.room_ics, name="room_ics"),
]
