"""Admin actions, imports and releases leave admin history: who, when, what."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talks.models import Talk
from tests.factories import make_talk, make_user

SCHEDULE = b"""<?xml version="1.0" encoding="UTF-8"?>
<schedule><conference><acronym>histconf</acronym><title>History Conf</title>
<start>2025-03-01</start><end>2025-03-01</end><days>1</days>
<time_zone_name>Europe/Brussels</time_zone_name></conference>
<day index="1" date="2025-03-01"><room name="Hall">
<event guid="0c7f3c1e-6a7b-4c8e-9a37-1f0f2a6e3b11" id="1">
<date>2025-03-01T10:00:00+01:00</date><start>10:00</start><duration>00:30</duration>
<room>Hall</room><slug>one</slug><title>One</title><type>talk</type><language>en</language>
<persons/></event></room></day></schedule>"""


@pytest.fixture
def root(client, db):
    user = make_user("root", superuser=True)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_cancelling_and_reinstating_by_action_is_in_the_talks_history(client, root, chavanne):
    talk = make_talk(room=chavanne, title="Autoscaling")
    url = reverse("admin:talks_talk_changelist")

    client.post(url, {"action": "cancel_talks", "_selected_action": [talk.pk]})
    client.post(url, {"action": "reinstate_talks", "_selected_action": [talk.pk]})

    entries = LogEntry.objects.filter(object_id=str(talk.pk)).order_by("pk")
    assert [e.get_change_message() for e in entries] == [
        "Cancelled (admin action).",
        "Reinstated (admin action).",
    ]
    assert {e.user for e in entries} == {root}
    assert Talk.objects.get(pk=talk.pk).status == Talk.Status.CONFIRMED


@pytest.mark.django_db
def test_an_import_from_the_admin_is_in_the_events_history(client, root):
    upload = SimpleUploadedFile("schedule.xml", SCHEDULE, content_type="application/xml")

    response = client.post(reverse("admin:schedule_event_import"), {"file": upload})

    assert response.status_code == 302
    entry = LogEntry.objects.get(user=root)
    assert entry.object_repr == "History Conf"
    assert entry.get_change_message().startswith("Imported schedule.xml:")


@pytest.mark.django_db
def test_a_command_line_import_can_be_recorded_under_a_user(tmp_path, root):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "schedule.xml"
    path.write_bytes(SCHEDULE)

    call_command("import_schedule", str(path), user="root", stdout=StringIO())

    entry = LogEntry.objects.get(user=root)
    assert entry.get_change_message().startswith("Imported schedule.xml (command):")
