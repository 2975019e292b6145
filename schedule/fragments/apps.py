from django.apps import AppConfig


class FragmentsConfig(AppConfig):
    """Per-talk pieces of the exports and talk lists, materialised like an index (see models)."""

    name = "schedule.fragments"
    label = "fragments"
    verbose_name = "Export fragments"
    default_auto_field = "django.db.models.BigAutoField"
