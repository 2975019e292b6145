from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "schedule.interchange"
    label = "interchange"
    verbose_name = "Schedule imports"
    default_auto_field = "django.db.models.BigAutoField"
