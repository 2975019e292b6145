"""Speakers: one person across editions, their ids in schedule files, their old URLs."""

import copy

from django.db import models
from django.urls import reverse

from schedule.marked import MarkedModel, MarkedQuerySet
from talks.identity import name_key, readable_slug, unique_slug


class SpeakerPartQuerySet(MarkedQuerySet):
    """A speaker's ids, links and old URLs: shown wherever the speaker is."""

    event_path = "speaker__talks__event_id"
    spans_site = True
    owner = "speaker"  # ids and links are part of the speaker (exports, speaker pages)


class SpeakerQuerySet(MarkedQuerySet):
    event_path = "talks__event_id"
    spans_site = True  # speaker pages and feeds span editions

    def bulk_create(self, objs, *args, **kwargs):
        """Bulk creation skips save(): give each speaker the name key that matching uses."""
        objs = list(objs)
        for speaker in objs:
            speaker.name_key = name_key(speaker.name)
        return super().bulk_create(objs, *args, **kwargs)

    def public(self):
        """People with a non-draft talk: whom directories and filters may name."""
        return self.filter(talks__is_draft=False).distinct()


class Speaker(MarkedModel):
    """One person (not a name: two people may share one) across all editions; imports
    recognise people by their files' ids (PersonId), per series."""

    name = models.CharField(max_length=200, help_text="As the person writes it.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="Used in URLs; empty: transliterated from the name.",
    )
    name_key = models.CharField(
        max_length=200,
        db_index=True,
        editable=False,
        help_text="The name without case or accents, for matching.",
    )
    bio = models.TextField(blank=True, help_text="Short biography, Markdown.")
    website = models.URLField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("merge_speaker", "Merge and split speakers")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """name_key is set by the pre_save signal (talks.signals), fixtures' saves too."""
        if not self.slug:
            self.slug = free_speaker_slug(readable_slug(self.name))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("talks:speaker", args=[self.slug])

    def only_in_drafts(self) -> bool:
        """Whether every talk of theirs is a draft (not public yet; a person without talks is)."""
        public = models.Count("pk", filter=models.Q(is_draft=False))
        counts = self.talks.aggregate(every=models.Count("pk"), public=public)
        return bool(counts["every"]) and not counts["public"]


def free_speaker_slug(base: str) -> str:
    """base, or base-2, … not used by any speaker nor by any old speaker URL."""
    taken = set(Speaker.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    old = SpeakerRedirect.objects.filter(old_slug__startswith=base)
    return unique_slug(base, taken | set(old.values_list("old_slug", flat=True)))


def credited(speaker: Speaker, name: str) -> Speaker:
    """The speaker as one talk credits them: a copy under that name, for showing only."""
    if not name or name == speaker.name:
        return speaker
    shown = copy.copy(speaker)
    shown.name = name
    return shown


class PersonId(MarkedModel):
    """An id a speaker had in one series' files: a hint, not an identity (FOSDEM's ids
    restarted with pretalx in 2024), so imports match by id only when the names agree too."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="person_ids")
    series = models.CharField(max_length=100)
    number = models.PositiveBigIntegerField()

    objects = SpeakerPartQuerySet.as_manager()

    class Meta:
        ordering = ["series", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number", "speaker"],
                name="person_id_once_per_speaker",
                violation_error_message="This speaker already has this id in this series.",
            )
        ]

    def __str__(self):
        return f"{self.series} person {self.number}"


class SpeakerRedirectQuerySet(SpeakerPartQuerySet):
    owner = None  # an old URL shows nowhere: the speaker's stored pieces stay


class SpeakerRedirect(MarkedModel):
    """An old speaker URL (after a merge or a new slug) that keeps working."""

    old_slug = models.SlugField(max_length=200, unique=True)
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="redirects")

    objects = SpeakerRedirectQuerySet.as_manager()

    def __str__(self):
        return f"{self.old_slug} -> {self.speaker}"

    @classmethod
    def target(cls, old_slug: str):
        """The speaker an old slug now belongs to, or None."""
        moved = cls.objects.select_related("speaker").filter(old_slug=old_slug).first()
        return moved.speaker if moved else None


class SpeakerLink(MarkedModel):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(max_length=100)
    url = models.URLField()

    objects = SpeakerPartQuerySet.as_manager()

    class Meta:
        ordering = ["speaker", "id"]

    def __str__(self):
        return self.title
