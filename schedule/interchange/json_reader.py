"""frab-style schedule.json -> ScheduleDoc; every refusal names the JSON path."""

import json
from functools import partial

from schedule.interchange.documents import (
    LinkDoc,
    PersonDoc,
    ScheduleDoc,
    ScheduleFormatError,
    TalkDoc,
)
from schedule.interchange.values import BaseReader, link_kind


def text(mapping: dict, key: str) -> str:
    """mapping[key] as stripped text ("" when missing, null or empty)."""
    return str(mapping.get(key) or "").strip()


class JsonReader(BaseReader):
    def read(self) -> ScheduleDoc:
        try:
            document = json.loads(self.data.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ScheduleFormatError(f"The JSON is not UTF-8 ({error.reason}).") from None
        except RecursionError:
            raise ScheduleFormatError(
                "The JSON is nested too deeply to be a schedule (thousands of levels)."
            ) from None
        except json.JSONDecodeError as error:
            raise ScheduleFormatError(
                f"The JSON is not valid at line {error.lineno}, column {error.colno}: {error.msg}."
            ) from None
        schedule = self.expect(document, dict, "$").get("schedule")
        schedule = self.expect(schedule, dict, "$.schedule")
        conference = self.expect(schedule.get("conference"), dict, "$.schedule.conference")
        if "version" not in schedule:
            self.repairs["missing version"] += 1
        doc = self.conference(
            partial(text, conference),
            str(conference.get("title") or "Imported schedule").strip(),
            str(schedule.get("base_url") or conference.get("base_url") or ""),
            text(schedule, "version"),
            labels=("$.schedule.conference.{}", "day_change"),
        )
        for room in self.listed(conference.get("rooms"), "$.schedule.conference.rooms"):
            if isinstance(room, dict) and room.get("name") and room["name"] not in doc.rooms:
                doc.rooms.append(str(room["name"]))
        for track in self.listed(conference.get("tracks"), "$.schedule.conference.tracks"):
            if isinstance(track, dict) and track.get("name"):
                doc.tracks.setdefault(
                    str(track["name"]),
                    {"slug": str(track.get("slug") or ""), "color": str(track.get("color") or "")},
                )
        days = self.expect(conference.get("days"), list, "$.schedule.conference.days")
        for d, day in enumerate(days):
            path = f"$.schedule.conference.days[{d}]"
            day = self.expect(day, dict, path)
            day_date = self.day_date(text(day, "date"), text(day, "day_start"), f"{path}.date")
            if day_date:
                doc.day_dates.append(day_date)
            rooms = self.expect(day.get("rooms", {}), dict, f"{path}.rooms")
            for room_name, events in rooms.items():
                events = self.expect(events, list, f"{path}.rooms[{room_name!r}]")
                for e, event in enumerate(events):
                    where = f"{path}.rooms[{room_name!r}][{e}]"
                    event = self.expect(event, dict, where)
                    talk = self.read_event(event, room_name, day_date, where)
                    if talk.room and talk.room not in doc.rooms:
                        doc.rooms.append(talk.room)
                    doc.talks.append(talk)
        return doc

    @staticmethod
    def expect(value, kind, path):
        if not isinstance(value, kind):
            shown = "missing" if value is None else f"a {type(value).__name__}"
            raise ScheduleFormatError(f"{path} must be a JSON {kind.__name__}, but it is {shown}.")
        return value

    @classmethod
    def listed(cls, value, path) -> list:
        """An optional list: missing, null or empty is none; anything else must be a list."""
        return cls.expect(value, list, path) if value not in (None, "", {}) else []

    def read_event(self, event, room_name, day_date, where) -> TalkDoc:
        get = partial(text, event)
        where = f"{where} (“{str(event.get('title') or '')[:60]}”)"
        raw_id = event.get("id")
        talk = self.talk(
            get,
            where,
            title=self.require_title(get("title"), where),
            start=self.start(get("date"), get("start"), day_date, where),
            duration=self.duration(event.get("duration"), where),
            room=str(event.get("room") or room_name or "").strip(),
            guid=get("guid"),
            source_id=raw_id if isinstance(raw_id, int) and raw_id > 0 else None,
            do_not_record=self.flag(event.get("do_not_record")),
            licence=get("recording_license"),
            day=day_date,
        )
        for person in self.listed(event.get("persons"), f"{where}.persons"):
            if not isinstance(person, dict):
                self.repairs["person that is not an object skipped"] += 1
                continue
            name = str(person.get("name") or person.get("public_name") or "")
            biography = text(person, "biography")
            talk.persons.append(PersonDoc(name.strip(), str(person.get("id") or ""), biography))
        for key, attachment in (("links", False), ("attachments", True)):
            for link in self.listed(event.get(key), f"{where}.{key}"):
                if isinstance(link, dict):
                    title = str(link.get("title") or "Link").strip()
                    url = self.link_url(str(link.get("url") or ""), title)
                    kind = link_kind(f"{link.get('type', '')} {title}", url)
                    talk.links.append(LinkDoc(url, title, kind, attachment))
        video = event.get("video_download_url")
        return self.finish_talk(talk, video if isinstance(video, str) else "")
