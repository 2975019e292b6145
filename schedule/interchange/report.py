"""What an import did, would do (dry run) or could not carry: the summary people read."""

from collections import Counter
from dataclasses import dataclass, field

from schedule.models import Event

NOTES_SHOWN = 200


class ImportRefused(ValueError):
    """The import is refused as a whole (size, slug, --strict); nothing was changed."""


@dataclass
class ImportReport:
    event: Event | None = None
    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    repairs: Counter = field(default_factory=Counter)
    # Judgement calls about people (linked by name, ambiguous names, renamed).
    people: list[str] = field(default_factory=list)
    # Per-item remarks (which element was repaired and how).
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "Would import" if self.dry_run else "Imported"
        lines = [f"{verb} {self.event.name} ({self.event.slug})." if self.event else verb]
        if self.event:
            lines.append(f"  series: {self.event.series}")
        for label, counter in (
            ("created", self.created),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
            ("deleted", self.deleted),
        ):
            if counter:
                parts = ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items()))
                lines.append(f"  {label}: {parts}")
        if self.people:
            lines.append("Speakers matched or kept apart by name (check these):")
            lines += [f"  {line}" for line in self.people]
        if self.repairs:
            lines.append("Repairs and skips:")
            lines += [f"  {n} × {kind}" for kind, n in sorted(self.repairs.items())]
        if self.notes:
            lines.append("Details:")
            lines += [f"  {note}" for note in self.notes[:NOTES_SHOWN]]
            if len(self.notes) > NOTES_SHOWN:
                lines.append(f"  … and {len(self.notes) - NOTES_SHOWN} more.")
        return lines
