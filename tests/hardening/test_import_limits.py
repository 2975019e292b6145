"""Hostile or unusual import files: a clear message, and the database unchanged."""

import pytest

from schedule.interchange.frab_reader import ScheduleFormatError
from schedule.interchange.importers import ImportRefused, import_bytes
from schedule.models import Event
from talks.models import Talk

XML = """<?xml version="1.0" encoding="{encoding}"?>
<schedule><conference><acronym>limits</acronym><title>Limits Conf</title>
<start>2025-03-01</start><end>2025-03-01</end><days>1</days>
<time_zone_name>Europe/Brussels</time_zone_name></conference>
<day index="1" date="2025-03-01"><room name="Hall">{events}</room></day></schedule>"""
EVENT = """<event guid="0c7f3c1e-6a7b-4c8e-9a37-1f0f2a6e3b{n:02d}" id="{n}">
<date>2025-03-01T10:{n:02d}:00+01:00</date><start>10:{n:02d}</start><duration>00:01</duration>
<room>Hall</room><slug>t{n}</slug><title>Čermák talk {n}</title><type>talk</type>
<language>en</language><persons/></event>"""


def schedule_xml(count=1, encoding="UTF-8") -> str:
    events = "".join(EVENT.format(n=n) for n in range(count))
    return XML.format(encoding=encoding, events=events)


@pytest.mark.django_db
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_xml_file_is_read(codec):
    report = import_bytes(schedule_xml(2, encoding="UTF-16").encode(codec))

    assert report.event.name == "Limits Conf"
    assert sorted(Talk.objects.values_list("title", flat=True)) == [
        "Čermák talk 0",
        "Čermák talk 1",
    ]


@pytest.mark.django_db
def test_deeply_nested_json_is_refused_clearly_and_nothing_changes():
    nested = b'{"schedule": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"

    with pytest.raises(ScheduleFormatError, match="nested too deeply"):
        import_bytes(nested)

    assert not Event.objects.exists()


@pytest.mark.django_db
def test_more_talks_than_the_cap_are_refused_before_anything_is_written(settings):
    settings.SCHEDULE_IMPORT_MAX_TALKS = 3

    with pytest.raises(ImportRefused, match="holds 5 talks; the limit is 3"):
        import_bytes(schedule_xml(5).encode())

    assert not Event.objects.exists()
    assert not Talk.objects.exists()


@pytest.mark.django_db
def test_the_admin_sends_big_files_to_the_command_instead(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import make_user

    settings.SCHEDULE_ADMIN_IMPORT_MAX_BYTES = 1000
    client.force_login(make_user("root", superuser=True))
    upload = SimpleUploadedFile("big.xml", schedule_xml(20).encode())

    response = client.post(reverse("admin:schedule_event_import"), {"file": upload})

    assert response.status_code == 200
    assert "manage.py import_schedule" in response.content.decode()
    assert not Event.objects.exists()
