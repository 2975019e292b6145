"""Root URL map. Public pages come from schedule.views and talks.views."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Conference schedule administration"
admin.site.site_title = "Schedule admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("talks.urls")),
    path("", include("schedule.public_urls")),
]
