from django.apps import AppConfig


class PiecesConfig(AppConfig):
    """Each talk's pieces of the exports and talk lists, kept in the cache under their stamp
    (see models). The label is the app's first name, which its migrations carry."""

    name = "schedule.pieces"
    label = "fragments"
    verbose_name = "Per-talk pieces"
    default_auto_field = "django.db.models.BigAutoField"
