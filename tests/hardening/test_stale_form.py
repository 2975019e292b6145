"""Optimistic concurrency in the talk admin: a save from a form opened before somebody
else's save is refused with what differs, and the user's input is kept."""

import re

import pytest
from django.urls import reverse

from talks.models import Talk
from tests.factories import brussels, make_talk, make_user
from tests.talks.test_admin import talk_form


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root", superuser=True))
    return client


def opened_version(response) -> str:
    return re.search(r'name="opened_version" value="([^"]+)"', response.content.decode())[1]


@pytest.mark.django_db
def test_a_stale_form_is_refused_keeping_the_input_then_saved_on_purpose(admin_client, chavanne):
    talk = make_talk(
        title="Autoscaling best practices",
        slug="autoscaling",
        room=chavanne,
        start=brussels(2014, 2, 1, 12, 20),
        minutes=20,
    )
    url = reverse("admin:talks_talk_change", args=[talk.pk])
    version = opened_version(admin_client.get(url))  # the second organiser opens the form

    first = Talk.objects.get(pk=talk.pk)  # the first organiser saves a new title meanwhile
    first.title = "Autoscaling in practice"
    first.save()

    data = talk_form(
        talk.event,
        title="Autoscaling best practices",
        slug="autoscaling",
        room=chavanne.pk,
        start_0="2014-02-01",
        start_1="12:20",
        end_0="2014-02-01",
        end_1="12:40",
        abstract="A new abstract.",
        opened_version=version,
    )
    refused = admin_client.post(url, data)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "changed by someone else since you opened it" in page
    assert "fields that now differ from the saved talk: Title" in page
    assert "A new abstract." in page  # the user's input is still in the form
    talk.refresh_from_db()
    assert talk.title == "Autoscaling in practice"
    assert talk.abstract == ""

    again = admin_client.post(url, data | {"opened_version": opened_version(refused)})

    assert again.status_code == 302
    talk.refresh_from_db()
    assert talk.abstract == "A new abstract."
    assert talk.title == "Autoscaling best practices"  # kept on purpose, after the warning


@pytest.mark.django_db
def test_an_up_to_date_form_saves_at_once(admin_client, chavanne):
    talk = make_talk(title="One", slug="one", room=chavanne, start=brussels(2014, 2, 1, 10))
    url = reverse("admin:talks_talk_change", args=[talk.pk])
    version = opened_version(admin_client.get(url))

    response = admin_client.post(
        url,
        talk_form(
            talk.event,
            title="One, renamed",
            slug="one",
            room=chavanne.pk,
            start_0="2014-02-01",
            start_1="10:00",
            end_0="2014-02-01",
            end_1="10:30",
            opened_version=version,
        ),
    )

    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.title == "One, renamed"
