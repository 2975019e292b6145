from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = "Talks and speakers"

    def ready(self):
        from talks import signals  # noqa: F401 (connects receivers)
