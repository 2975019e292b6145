"""The import history: every import of a schedule file, with what it did, so that the last
import of an event can be reverted (schedule.interchange.revert)."""

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """One import of one file into one event (dry runs are not recorded)."""

    event = models.ForeignKey(
        "schedule.Event", on_delete=models.CASCADE, related_name="imports", null=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    source_version = models.CharField(
        max_length=200, blank=True, help_text="The <version> the file gave itself."
    )
    summary = models.TextField(blank=True)
    undo = models.JSONField(
        default=dict,
        editable=False,
        help_text="What the import created, changed and linked, with the values before.",
    )
    reverted = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = "at"

    def __str__(self):
        name = self.file_name or "import"
        return f"{name} at {self.at:%Y-%m-%d %H:%M}" if self.at else name


class StagedFile(models.Model):
    """A previewed file, kept (a day at most) so that "Import this file" needs no re-upload."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255, blank=True)
    data = models.BinaryField()

    def __str__(self):
        return self.file_name or f"staged file {self.pk}"
