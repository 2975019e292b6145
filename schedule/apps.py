from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = "Schedule: events, rooms and devrooms"

    def ready(self):
        from schedule import roles, signals  # noqa: F401 (connects receivers)
