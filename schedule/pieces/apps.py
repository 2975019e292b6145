from django.apps import AppConfig


class PiecesConfig(AppConfig):
    """Each talk's pieces of the exports and talk lists, cached under their stamp (no models:
    store.py, stamps.py). The label is the app's original name, which its migrations carry."""

    name = "schedule.pieces"
    label = "fragments"
    verbose_name = "Per-talk pieces"
    default_auto_field = "django.db.models.BigAutoField"
