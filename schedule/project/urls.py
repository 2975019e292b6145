"""Root URL map: the admin, then each capability's public URLs."""

from django.contrib import admin
from django.urls import include, path

from schedule import health

handler500 = "schedule.outage.server_error"  # 503 + Retry-After when the database is down
admin.site.site_header = "Conference schedule administration"
admin.site.site_title = "Schedule admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("", include("schedule.exports.urls")),
    path("", include("talks.urls")),
    path("", include("schedule.search.urls")),
    path("", include("schedule.releases.urls")),
    path("", include("schedule.live.urls")),
    path("accounts/", include("schedule.live.account_urls")),
    path("", include("schedule.pages.urls")),
]
