from django.urls import path

from schedule.search import views

app_name = "search"
urlpatterns = [path("<slug:event>/search/", views.SearchView.as_view(), name="results")]
