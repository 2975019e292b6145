from django.urls import path

from schedule.releases import views

app_name = "releases"
urlpatterns = [
    path("<slug:event>/changes/", views.ChangesView.as_view(), name="changes"),
    path("<slug:event>/changes.atom", views.changes_atom, name="atom"),
    path("<slug:event>/changes.json", views.changes_json, name="json"),
    path("<slug:event>/changes/<str:span>/", views.CompareView.as_view(), name="compare"),
]
