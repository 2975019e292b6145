"""frab/Pentabarf schedule.xml -> ScheduleDoc, via defusedxml (no DTD or external entities)."""

from functools import partial

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from schedule.interchange.documents import (
    LinkDoc,
    PersonDoc,
    ScheduleDoc,
    ScheduleFormatError,
    TalkDoc,
)
from schedule.interchange.values import BaseReader, link_kind


def text_of(element, tag: str) -> str:
    """The child's text, stripped ("" without such a child)."""
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


class XmlReader(BaseReader):
    def read(self) -> ScheduleDoc:
        try:
            root = SafeET.fromstring(
                self.data, forbid_dtd=False, forbid_entities=True, forbid_external=True
            )
        except DefusedXmlException as error:
            raise ScheduleFormatError(
                f"The XML uses entities or external references, which are refused for "
                f"safety ({type(error).__name__})."
            ) from None
        except SafeET.ParseError as error:
            line, column = error.position
            raise ScheduleFormatError(
                f"The XML is not well-formed at line {line}, column {column}: {error.msg}."
            ) from None
        if root.tag != "schedule":
            raise ScheduleFormatError(f"The root element is <{root.tag}>, not <schedule>.")
        conference = root.find("conference")
        if conference is None:
            raise ScheduleFormatError("<schedule> has no <conference> element.")
        if root.find("version") is None:
            self.repairs["missing <version>"] += 1
        doc = self.conference(
            partial(text_of, conference),
            text_of(conference, "title") or "Imported schedule",
            text_of(conference, "base_url"),
            text_of(root, "version"),
            labels=("<conference><{}>", "<day_change>"),
        )
        for track in [*root.findall("tracks/track"), *conference.findall("track")]:
            name = (track.get("name") or track.text or "").strip()
            if name:
                doc.tracks.setdefault(
                    name, {"slug": track.get("slug", ""), "color": track.get("color", "")}
                )
        bios = {p.get("id", ""): text_of(p, "biography") for p in root.findall("persons/person")}
        for room in root.findall("day/room"):  # rooms in display order, even when empty
            name = (room.get("name") or "").strip()
            if name and name not in doc.rooms:
                doc.rooms.append(name)
        for day_index, day in enumerate(root.findall("day"), start=1):
            day_date = self.day_date(
                day.get("date", ""), day.get("start", ""), f"<day index={day_index}>"
            )
            if day_date:
                doc.day_dates.append(day_date)
            for room, event in self.events_of(day):
                where = (
                    f"<day date={day.get('date', '?')}> <event id={event.get('id', '?')}> "
                    f"(“{text_of(event, 'title')[:60]}”)"
                )
                talk = self.read_event(event, room, day_date, where, bios)
                if talk.room and talk.room not in doc.rooms:
                    doc.rooms.append(talk.room)
                doc.talks.append(talk)
        return doc

    def events_of(self, day):
        """(room name, event) pairs, with or without <room> wrappers."""
        for child in day:
            if child.tag == "room":
                for event in child.findall("event"):
                    yield child.get("name", ""), event
            elif child.tag == "event":
                self.repairs["event without a <room> wrapper"] += 1
                yield "", child

    def read_event(self, event, room_name, day_date, where, bios) -> TalkDoc:
        get = partial(text_of, event)
        raw_id = (event.get("id") or "").strip()
        talk = self.talk(
            get,
            where,
            title=self.require_title(get("title"), where),
            duration=self.duration(get("duration"), where),
            start=self.start(get("date"), get("start"), day_date, where),
            room=get("room") or room_name.strip(),
            guid=(event.get("guid") or "").strip(),
            source_id=int(raw_id) if raw_id.isdigit() and int(raw_id) > 0 else None,
            day=day_date,
        )
        recording = event.find("recording")
        if recording is not None:
            talk.do_not_record = self.flag(text_of(recording, "optout"))
            talk.licence = text_of(recording, "license")
        for person in event.findall("persons/person"):
            pid = person.get("id", "")
            talk.persons.append(PersonDoc((person.text or "").strip(), pid, bios.get(pid, "")))
        # <attachments> are uploads (FOSDEM: slides), kept apart from links.
        for path, attachment in (("links/link", False), ("attachments/attachment", True)):
            for link in event.findall(path):
                text = (link.text or "").strip()
                url = self.link_url(link.get("href", ""), text)
                title = (text if text and text != url else "") or "Link"
                kind = link_kind(f"{link.get('type', '')} {text}", url)
                talk.links.append(LinkDoc(url, title, kind, attachment))
        return self.finish_talk(talk, get("video_download_url"))
