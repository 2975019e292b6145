from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "schedule.releases"
    label = "releases"
    verbose_name = "Schedule releases"
    default_auto_field = "django.db.models.BigAutoField"
