"""The import summary people read; `lines(full=True)` (kept in the import history) lists
every example. Rules: docs/importing.md#the-summary"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse

from schedule import local_time
from schedule.models import Event

EXAMPLES = 3
FULL = 10_000
CLASHES_KEPT = "talks double-booked in the file, kept and flagged"
IDS_KEPT_APART = "person id held by someone else, kept apart"
SHOWN_AS_PROBLEMS = {CLASHES_KEPT, IDS_KEPT_APART}


def and_more(items: list, most: int, indent: str, what: str = "") -> list[str]:
    """The "… and N more" line under the first `most` of `items`, if any were left out."""
    return [f"{indent}… and {len(items) - most} more{what}."] if len(items) > most else []


class ImportRefused(ValueError):
    """The import is refused as a whole (size, slug, --strict); nothing was changed."""


@dataclass
class FieldConflict:
    talk_title: str
    field: str
    in_file: object
    kept: object


@dataclass
class ImportReport:
    event: Event | None = None
    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    repairs: Counter = field(default_factory=Counter)
    people: list[str] = field(default_factory=list)  # ambiguous names, respellings
    notes: list[str] = field(default_factory=list)  # which element was repaired, and how
    id_conflicts: list = field(default_factory=list)  # people.IdConflict
    conflicts: list[FieldConflict] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)  # titles of double-booked talks
    run: object = None  # the ImportRun that recorded it (not for dry runs)

    def conflict(self, talk, name: str, in_file, kept) -> None:
        self.conflicts.append(FieldConflict(talk.title, name, in_file, kept))

    @property
    def losses(self) -> Counter:
        return Counter({k: n for k, n in self.repairs.items() if "skipped" in k})

    @property
    def routine(self) -> Counter:
        shown = self.losses.keys() | SHOWN_AS_PROBLEMS
        return Counter({k: n for k, n in self.repairs.items() if k not in shown})

    def shown(self, value) -> str:
        """A conflicting value as an organiser reads it (times in the event's zone)."""
        if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            if self.event is not None:
                moment = moment.astimezone(self.event.tzinfo)
            return local_time.weekday_hm(moment)
        text = str(value)
        return text if len(text) <= 60 else text[:57] + "…"

    def lines(self, *, full: bool = False) -> list[str]:
        most = FULL if full else EXAMPLES
        verb = "Would import" if self.dry_run else "Imported"
        head = f"{verb} {self.event.name} ({self.event.slug})" if self.event else verb
        lines = [head + (f", series {self.event.series}." if self.event else ".")]
        problems = self.problem_lines(most)
        if problems:
            lines.append("Check first:")
            lines += problems
        for label in ("created", "updated", "unchanged", "deleted"):
            counter = getattr(self, label)
            if counter:
                parts = ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items()))
                lines.append(f"  {label}: {parts}")
        if self.routine:
            parts = "; ".join(f"{n} × {kind}" for kind, n in sorted(self.routine.items()))
            lines.append(f"Routine: {parts}.")
        if self.notes:
            lines.append("Details:")
            lines += [f"  {note}" for note in self.notes[:most]]
            lines += and_more(self.notes, most, "  ", " in the import history")
        return lines

    def problem_lines(self, most: int) -> list[str]:
        lines = []
        if self.id_conflicts:
            lines.append(
                f"  {len(self.id_conflicts)} person ids in the file belong to someone else "
                "here (ids restart between eras): kept apart as different people. Merge "
                "only real respellings:"
            )
            for item in self.id_conflicts[:most]:
                merge = reverse(
                    "admin:talks_speaker_merge_pair", args=[item.holder.pk, item.speaker.pk]
                )
                lines.append(
                    f"    id {item.number}: “{item.name}” in the file, “{item.holder.name}” "
                    f"here — merge: {merge}"
                )
            lines += and_more(self.id_conflicts, most, "    ")
        if self.conflicts:
            lines.append(
                f"  {len(self.conflicts)} organiser edits kept where the file changed too "
                "(--prefer-file takes the file's):"
            )
            lines += [
                f"    “{item.talk_title[:50]}” {item.field}: file says "
                f"{self.shown(item.in_file)}, organiser set {self.shown(item.kept)}"
                for item in self.conflicts[:most]
            ]
            lines += and_more(self.conflicts, most, "    ")
        lines += [f"  {n} × {kind}" for kind, n in sorted(self.losses.items())]
        if self.clashes:
            shown = "; ".join(f"“{title[:40]}”" for title in self.clashes[:most])
            more = f" … and {len(self.clashes) - most} more" if len(self.clashes) > most else ""
            lines.append(
                f"  {len(self.clashes)} talks double-booked in the file, kept and flagged "
                f"(“clash kept from the source” in the admin): {shown}{more}"
            )
        lines += [f"  {line}" for line in self.people[:most]]
        lines += and_more(self.people, most, "  ", " about people")
        return lines
