"""frab-style schedule.json -> ScheduleDoc; every refusal names the JSON path."""

import json

from schedule.interchange.documents import (
    LinkDoc,
    PersonDoc,
    ScheduleDoc,
    ScheduleFormatError,
    TalkDoc,
)
from schedule.interchange.values import BaseReader, link_kind


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
        tz = self.zone(conference.get("time_zone_name") or "")
        self.base_url = str(schedule.get("base_url") or conference.get("base_url") or "")
        doc = ScheduleDoc(
            title=str(conference.get("title") or "Imported schedule").strip(),
            acronym=str(conference.get("acronym") or "").strip(),
            timezone=tz,
            start=self.date(str(conference.get("start") or ""), "$.schedule.conference.start"),
            end=self.date(str(conference.get("end") or ""), "$.schedule.conference.end"),
            base_url=self.url(self.base_url),
            venue=str(conference.get("venue") or "").strip(),
            city=str(conference.get("city") or "").strip(),
            logo=self.url(str(conference.get("logo") or "")),
            version=str(schedule.get("version") or "").strip(),
            day_change=self.clock(str(conference.get("day_change") or ""), "day_change"),
            repairs=self.repairs,
            notes=self.notes,
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
            day_date = self.day_date(
                str(day.get("date") or ""), str(day.get("day_start") or ""), tz, f"{path}.date"
            )
            if day_date:
                doc.day_dates.append(day_date)
            rooms = self.expect(day.get("rooms", {}), dict, f"{path}.rooms")
            for room_name, events in rooms.items():
                events = self.expect(events, list, f"{path}.rooms[{room_name!r}]")
                for e, event in enumerate(events):
                    where = f"{path}.rooms[{room_name!r}][{e}]"
                    event = self.expect(event, dict, where)
                    talk = self.read_event(event, room_name, day_date, tz, where)
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

    def read_event(self, event, room_name, day_date, tz, where) -> TalkDoc:
        where = f"{where} (“{str(event.get('title') or '')[:60]}”)"
        title = self.require_title(str(event.get("title") or ""), where)
        raw_id = event.get("id")
        talk = TalkDoc(
            where=where,
            title=title,
            start=self.start(
                str(event.get("date") or ""), str(event.get("start") or ""), day_date, tz, where
            ),
            duration=self.duration(event.get("duration"), where),
            room=str(event.get("room") or room_name or "").strip(),
            track=str(event.get("track") or "").strip(),
            guid=str(event.get("guid") or "").strip(),
            source_id=raw_id if isinstance(raw_id, int) and raw_id > 0 else None,
            slug=str(event.get("slug") or "").strip(),
            subtitle=str(event.get("subtitle") or "").strip(),
            kind_text=str(event.get("type") or "").strip(),
            language=str(event.get("language") or "").strip(),
            abstract=str(event.get("abstract") or "").strip(),
            description=str(event.get("description") or "").strip(),
            do_not_record=self.flag(event.get("do_not_record")),
            licence=str(event.get("recording_license") or "").strip(),
            feedback_url=self.url(str(event.get("feedback_url") or "")),
            logo=self.url(str(event.get("logo") or "")),
            day=day_date,
        )
        for person in self.listed(event.get("persons"), f"{where}.persons"):
            if not isinstance(person, dict):
                self.repairs["person that is not an object skipped"] += 1
                continue
            name = str(person.get("name") or person.get("public_name") or "")
            talk.persons.append(
                PersonDoc(
                    name.strip(),
                    str(person.get("id") or ""),
                    str(person.get("biography") or "").strip(),
                )
            )
        for key, attachment in (("links", False), ("attachments", True)):
            for link in self.listed(event.get(key), f"{where}.{key}"):
                if isinstance(link, dict):
                    title = str(link.get("title") or "Link").strip()
                    url = self.link_url(str(link.get("url") or ""), title)
                    kind = link_kind(f"{link.get('type', '')} {title}", url)
                    talk.links.append(LinkDoc(url, title, kind, attachment))
        if isinstance(event.get("video_download_url"), str) and event["video_download_url"].strip():
            # The recording (c3voc schema; deprecated there, still written by some tools).
            talk.links.append(
                LinkDoc(self.url(event["video_download_url"]), "Recording", "recording")
            )
        return self.finish_talk(talk)
