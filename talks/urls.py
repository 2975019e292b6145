from django.urls import path

from talks import views

app_name = "talks"
urlpatterns = [
    path("speakers/", views.SpeakerListView.as_view(), name="speakers"),
    path("speakers/<slug:slug>/", views.SpeakerView.as_view(), name="speaker"),
    path("speakers/<slug:slug>.ics", views.speaker_ics, name="speaker_ics"),
    path("<slug:event>/talks/<slug:slug>/", views.TalkView.as_view(), name="detail"),
    path("<slug:event>/talks/<slug:slug>.ics", views.talk_ics, name="ics"),
]
