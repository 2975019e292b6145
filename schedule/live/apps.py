from django.apps import AppConfig


class LiveConfig(AppConfig):
    """The day itself: personal agendas, room status and the displays outside rooms."""

    name = "schedule.live"
    label = "live"
    verbose_name = "Live day"
