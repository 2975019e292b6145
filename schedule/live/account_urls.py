"""Sign-in for people who are not staff (room volunteers): the admin's login refuses them."""

from django.contrib.auth import views as auth_views
from django.urls import path

from schedule.methods import writes

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        writes(auth_views.LoginView.as_view(template_name="live/login.html")),
        name="login",
    ),
    path("logout/", writes(auth_views.LogoutView.as_view()), name="logout"),
]
