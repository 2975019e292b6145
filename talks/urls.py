from django.urls import path
from django.views.decorators.gzip import gzip_page

from talks import views

app_name = "talks"
urlpatterns = [
    path("speakers/", gzip_page(views.SpeakerListView.as_view()), name="speakers"),
    path("speakers/<slug:slug>/", gzip_page(views.SpeakerView.as_view()), name="speaker"),
    path("<slug:event>/talks/<slug:slug>/", gzip_page(views.TalkView.as_view()), name="detail"),
]
