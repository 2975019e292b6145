from django.urls import path

from talks import views

app_name = "talks"
urlpatterns = [
    path("speakers/", views.SpeakerListView.as_view(), name="speakers"),
    path("speakers/<slug:slug>/", views.SpeakerView.as_view(), name="speaker"),
    path("<slug:event>/speakers/", views.EventSpeakerListView.as_view(), name="event_speakers"),
    path(
        "<slug:event>/speakers/<slug:slug>/", views.EventSpeakerView.as_view(), name="event_speaker"
    ),
    path("<slug:event>/talks/<slug:slug>/", views.TalkView.as_view(), name="detail"),
]
