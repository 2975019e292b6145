from django.urls import path

from schedule.exports import views

app_name = "exports"
urlpatterns = [
    path("speakers/<slug:slug>.ics", views.speaker_ics, name="speaker_ics"),
    path("<slug:event>/schedule.ics", views.schedule_ics, name="ics"),
    path("<slug:event>/schedule.xml", views.schedule_xml, name="xml"),
    path("<slug:event>/schedule.json", views.schedule_json, name="json"),
    path("<slug:event>/starred.ics", views.starred_ics, name="starred_ics"),
    path("<slug:event>/devrooms/<slug:slug>.ics", views.devroom_ics, name="devroom_ics"),
    path("<slug:event>/rooms/<slug:slug>.ics", views.room_ics, name="room_ics"),
    path("<slug:event>/talks/<slug:slug>.ics", views.talk_ics, name="talk_ics"),
]
