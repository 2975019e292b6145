from django.urls import path
from django.views.decorators.gzip import gzip_page

from schedule.exports import views

app_name = "exports"
urlpatterns = [
    path("speakers/<slug:slug>.ics", gzip_page(views.speaker_ics), name="speaker_ics"),
    path("<slug:event>/schedule.ics", gzip_page(views.schedule_ics), name="ics"),
    path("<slug:event>/schedule.xml", gzip_page(views.schedule_xml), name="xml"),
    path("<slug:event>/schedule.json", gzip_page(views.schedule_json), name="json"),
    path("<slug:event>/starred.ics", gzip_page(views.starred_ics), name="starred_ics"),
    path("<slug:event>/devrooms/<slug:slug>.ics", gzip_page(views.devroom_ics), name="devroom_ics"),
    path("<slug:event>/rooms/<slug:slug>.ics", gzip_page(views.room_ics), name="room_ics"),
    path("<slug:event>/talks/<slug:slug>.ics", gzip_page(views.talk_ics), name="talk_ics"),
]
