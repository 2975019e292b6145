"""Building and floor from room names, by per-event regular expressions (blank: DEFAULT_RULES):
schedule files rarely say where rooms are, but names often do (FOSDEM "UB5.132": U, floor 5)."""

import re

# The ULB Solbosch campus as FOSDEM names it. Order matters: the first match wins.
DEFAULT_RULES = "\n".join(
    [
        # K.3.201, J.1.106, K.1.105 (La Fontaine): building, floor, room number.
        r"^(?P<building>[A-Z]{1,2})\.(?P<floor>-?\d+)\.\d",
        # H.1309 (Van Rijn), H.2215 (Ferrer): the first digit of the number is the floor.
        r"^(?P<building>[A-Z]{1,2})\.(?P<floor>\d)\d{2,3}\b",
        # UB5.132, UA2.114 (Baudoux), UD2.218A: building U, wings A/B/D, then the floor.
        r"^(?P<building>U)[A-D](?P<floor>-?\d+)\.",
        # AW1.120: building AW, floor 1.
        r"^(?P<building>[A-Z]{1,2})(?P<floor>-?\d+)\.\d",
        # Janson, the big auditorium, is in building J.
        r"^(?P<building>J)anson\b",
    ]
)


def parse_rules(text: str) -> list[re.Pattern]:
    """Compiled rules, one per non-blank line; raises ValueError naming a bad line."""
    if problems := rule_errors(text):
        raise ValueError(" ".join(problems))
    return [re.compile(line.strip()) for line in (text or "").splitlines() if line.strip()]


def rule_errors(text: str) -> list[str]:
    """Messages for the lines of `text` that are not usable rules (empty list: all fine)."""
    problems = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            pattern = re.compile(line.strip())
        except re.error as error:
            problems.append(f"Line {number} is not a valid regular expression ({error}).")
            continue
        if "building" not in pattern.groupindex:
            problems.append(f"Line {number} has no named group (?P<building>…).")
    return problems


def event_rules(event) -> list[re.Pattern]:
    """The event's own rules, or DEFAULT_RULES when it has none."""
    return parse_rules(event.building_rules.strip() or DEFAULT_RULES)


def derive_location(name: str, rules: list[re.Pattern]) -> tuple[str, str] | None:
    """(building, floor) from the first rule matching `name` (floor may be ""), else None.
    Rules use `search`, so they anchor themselves with ^."""
    for rule in rules:
        match = rule.search(name or "")
        if match and match.group("building"):
            found = match.groupdict()
            return found["building"][:50], (found.get("floor") or "")[:20]
    return None


def derived_values(room, rules: list[re.Pattern], *, overwrite: bool = False) -> dict:
    """The building/floor to set on `room` ({} if none); typed buildings need `overwrite`."""
    found = None if room.building and not overwrite else derive_location(room.name, rules)
    values = {"building": found[0], "floor": found[1]} if found else {}
    return {k: v for k, v in values.items() if getattr(room, k) != v}


def apply_building_rules(event, *, overwrite: bool = False, dry_run: bool = False, rooms=None):
    """Derive building and floor for the event's rooms (or `rooms`); returns the changed
    ones in display order. Raises ValueError for unusable rules."""
    rules = event_rules(event)
    rooms = rooms if rooms is not None else event.rooms.all()
    changed = []
    for room in rooms.filter(event=event).order_by("position", "name"):
        if values := derived_values(room, rules, overwrite=overwrite):
            for name, value in values.items():
                setattr(room, name, value)
            changed.append(room)
    if changed and not dry_run:  # a marked bulk update: `updated` and the marker move too
        rooms.model.objects.bulk_update(changed, ["building", "floor"])
    return changed
