"""Which chosen talks overlap (personal agendas, the starred page), at a cost linear in the
talks rather than their pairs: counted by binary search over sorted starts and ends, a few
named by scanning each talk's neighbours in time order."""

import bisect
import dataclasses
import itertools

NAMED = 3


@dataclasses.dataclass
class Overlaps:
    """The chosen talks one row overlaps: a few named, the rest counted."""

    named: list
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.named)

    def __bool__(self) -> bool:
        return self.count > 0


class Timeline:
    """Talks that can overlap (scheduled, lasting and not cancelled: a cancelled talk clashes
    with nothing), by start; `reach[i]`: the latest end among the first i + 1."""

    def __init__(self, talks, key):
        self.key = key
        live = (t for t in talks if t.start and t.end and t.start < t.end and not t.is_cancelled)
        self.live = sorted(live, key=lambda t: t.start)
        self.position = {key(t): i for i, t in enumerate(self.live)}
        self.reach = list(itertools.accumulate((t.end for t in self.live), max))
        self.starts = [t.start for t in self.live]
        self.ends = sorted(t.end for t in self.live)

    def count(self, talk) -> int:
        """Those starting before it ends, less those ending by its start, less itself."""
        if self.key(talk) not in self.position:
            return 0
        before_end = bisect.bisect_left(self.starts, talk.end)
        return before_end - bisect.bisect_right(self.ends, talk.start) - 1

    def overlaps(self, talk) -> Overlaps:
        count = self.count(talk)
        if not count:
            return Overlaps([], 0)
        live, reach, position = self.live, self.reach, self.position[self.key(talk)]
        named = []
        before = position - 1  # earlier ones still running (stop where none reaches)
        while before >= 0 and reach[before] > talk.start and len(named) < NAMED:
            if live[before].end > talk.start:
                named.insert(0, live[before])
            before -= 1
        after = position + 1  # later ones starting before it ends
        while after < len(live) and live[after].start < talk.end and len(named) < NAMED:
            named.append(live[after])
            after += 1
        return Overlaps(named[:NAMED], count)
