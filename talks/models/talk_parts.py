"""What hangs off a talk: its speakers in billing order (TalkSpeaker) and its links."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q

from schedule.marked import MarkedModel, MarkedQuerySet
from schedule.text import LINK_SCHEMES
from talks.models.speakers import Speaker


class TalkPartQuerySet(MarkedQuerySet):
    """Speakers' and links' rows of a talk: shown with the talk."""

    event_path = "talk__event_id"
    owner = "talk"  # a speaker or link changed is a change of the talk (LAST-MODIFIED)


class TalkSpeaker(MarkedModel):
    """Orders a talk's speakers (the first is listed first everywhere)."""

    talk = models.ForeignKey("talks.Talk", on_delete=models.CASCADE, related_name="talk_speakers")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="talk_speakers")
    position = models.PositiveSmallIntegerField(default=0)
    credited_as = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name this talk credits the person under, as its schedule file spells "
        "it (FOSDEM 2020 “Stéphane Graber”, 2025 “Stephane Graber”). Empty: the speaker's name.",
    )
    person_number = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The person's id in the file this talk came from; exports give it back.",
    )

    objects = TalkPartQuerySet.as_manager()

    class Meta:
        ordering = ["talk", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["talk", "speaker"],
                name="speaker_once_per_talk",
                violation_error_message="This speaker is already listed for this talk.",
            )
        ]

    def __str__(self):
        return f"{self.speaker} in {self.talk}"

    def save(self, *args, **kwargs):
        """A speaker cannot be added to two overlapping confirmed talks, even by two
        people at once: the speaker's row is locked while checking (see Talk.save)."""
        if not self.talk.checks_clashes(speakers=True):
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            self.talk.lock_for_clash_check(speaker_ids=[self.speaker_id])
            if clashes := self.talk.speaker_conflicts([self.speaker]):
                raise ValidationError(clashes)
            return super().save(*args, **kwargs)

    @property
    def shown_name(self) -> str:
        return self.credited_as or self.speaker.name


class TalkLinkQuerySet(TalkPartQuerySet):
    def linkable(self):
        """Links whose scheme may be a link (schedule.text.LINK_SCHEMES), in SQL."""
        condition = Q()
        for scheme in LINK_SCHEMES:
            condition |= Q(url__istartswith=f"{scheme}:")
        return self.filter(condition)


class TalkLink(MarkedModel):
    class Kind(models.TextChoices):
        SLIDES = "slides", "Slides"
        VIDEO = "video", "Video"
        RECORDING = "recording", "Recording"
        OTHER = "other", "Link"

    talk = models.ForeignKey("talks.Talk", on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    attachment = models.BooleanField(
        default=False,
        help_text="A file uploaded with the talk (slides, papers), listed apart from links "
        "(frab's <attachments>).",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = TalkLinkQuerySet.as_manager()

    class Meta:
        ordering = ["talk", "position", "id"]

    def __str__(self):
        return self.title
