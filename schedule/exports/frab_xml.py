"""frab data (frab.schedule_data) -> schedule.xml, the Pentabarf/frab XML that Giggity,
ConfClerk and the FOSDEM companion apps read; valid against the c3voc XSD (tested).
Written with string joins and standard escapes, much cheaper than a template."""

from xml.sax.saxutils import escape, quoteattr


def element(name: str, value) -> str:
    return f"<{name}>{escape(str(value))}</{name}>"


FIELDS = ("date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track")
FIELDS += ("type", "language", "abstract", "description")
CONFERENCE_FIELDS = ("acronym", "title", "start", "end", "days", "timeslot_duration")
CONFERENCE_FIELDS += ("base_url", "url", "time_zone_name")
EXTRA = ("logo", "venue", "city", "day_change")


def links_xml(tag: str, links: list[dict]) -> str:
    return "".join(
        f"\n          <{tag} href={quoteattr(link['url'])} type={quoteattr(link['type'])}>"
        f"{escape(link['title'])}</{tag}>"
        for link in links
    )


def event_xml(event: dict) -> str:
    """One talk's <event> as text (also stored per talk as a piece)."""
    persons = "".join(
        f'\n          <person id="{person["id"]}">{escape(person["name"])}</person>'
        for person in event["persons"]
    )
    optional = [name for name in ("logo", "feedback_url") if event.get(name)]
    fields = "".join(f"        {element(name, event[name])}\n" for name in (*FIELDS, *optional))
    recording = (
        f"        <recording><license>{escape(event['recording_license'])}</license>"
        f"<optout>{'true' if event['do_not_record'] else 'false'}</optout></recording>\n"
    )
    return (
        f'      <event guid={quoteattr(event["guid"])} id="{event["id"]}">\n'
        f"{fields}{recording}"
        f"        <persons>{persons}\n        </persons>\n"
        f"        <links>{links_xml('link', event['links'])}\n        </links>\n"
        f"        <attachments>{links_xml('attachment', event['attachments'])}\n"
        "        </attachments>\n"
        "      </event>"
    )


def schedule_xml(data: dict) -> bytes:
    schedule = data["schedule"]
    conference = schedule["conference"]
    generator = data["generator"]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<schedule>",
        f"  <generator name={quoteattr(generator['name'])} "
        f"version={quoteattr(generator['version'])}/>",
        f"  {element('version', schedule['version'])}",
        "  <conference>",
    ]
    values = conference | {"days": conference["daysCount"], "base_url": schedule["base_url"]}
    lines += [f"    {element(name, values[name])}" for name in CONFERENCE_FIELDS]
    # Not in the c3voc XSD, but FOSDEM's files carry them and ConfClerk and the companion
    # apps read them (the XSD test allows them).
    extra = {"logo": conference.get("logo")} | data.get("pentabarf", {})
    lines += [f"    {element(name, extra[name])}" for name in EXTRA if extra.get(name)]
    lines += [
        f"    <track name={quoteattr(track['name'])} slug={quoteattr(track['slug'])} "
        f"color={quoteattr(track['color'])}>{escape(track['name'])}</track>"
        for track in conference["tracks"]
    ]
    lines.append("  </conference>")
    for day in conference["days"]:
        lines.append(
            f'  <day index="{day["index"]}" date="{day["date"]}" '
            f'start="{day["day_start"]}" end="{day["day_end"]}">'
        )
        for room_name, events in day["rooms"].items():
            lines.append(f"    <room name={quoteattr(room_name)}>")
            # An event is its data, or its ready XML (a piece kept by schedule.pieces).
            lines += [event if isinstance(event, bytes) else event_xml(event) for event in events]
            lines.append("    </room>")
        lines.append("  </day>")
    lines.append("</schedule>\n")
    # Encoded line by line: one emoji in a joined str would make Python store the whole
    # document at four bytes a character.
    return b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines)
