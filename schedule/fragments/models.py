"""Each talk's piece of a whole-event export (its VEVENT, its frab JSON object, its frab XML
<event>) and of the pages that list talks (its list row, its grid card), kept so that a
feed of 1,000 talks or a day of 450 is a join of ready pieces, not that many renders.

A piece is data derived from other rows, like an index: it carries the `stamp` of what it
was built from (the talk, its room, devroom, event, speakers and their ids; see
stamps.py), and is used only while that stamp is still current. Nothing has to remember to
delete it: a rename of a room changes the stamp of every talk in it, and the next request
rebuilds those pieces.
"""

from django.db import models


class TalkFragment(models.Model):
    talk = models.ForeignKey("talks.Talk", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # "ics", "json", "xml", "row", "card"
    variant = models.CharField(max_length=300)  # what else it depends on: site URL, series
    stamp = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["talk", "kind", "variant"], name="one_fragment_per_talk_kind_variant"
            )
        ]

    def __str__(self):
        return f"{self.kind} of talk {self.talk_id}"
