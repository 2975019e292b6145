"""Devroom managers edit the speakers and links of their own talks, but a person who also
speaks elsewhere is read-only to them."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tests.factories import brussels, make_speaker, make_talk, make_user


@pytest.fixture
def dora(client, event, iaas):
    make_user("dora", staff=False)
    call_command(
        "grant_role", "dora", "devroom-manager", f"{event.slug}/{iaas.slug}", stdout=StringIO()
    )
    user = get_user_model().objects.get(username="dora")
    client.force_login(user)
    return user


def speaker_form(speaker, **changes):
    return {
        "name": speaker.name,
        "slug": speaker.slug,
        "bio": "",
        "website": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "person_ids-TOTAL_FORMS": "0",
        "person_ids-INITIAL_FORMS": "0",
        "redirects-TOTAL_FORMS": "0",
        "redirects-INITIAL_FORMS": "0",
    } | changes


@pytest.mark.django_db
def test_a_manager_edits_the_speakers_and_links_of_their_own_talks(client, dora, iaas, chavanne):
    talk = make_talk(devroom=iaas, room=chavanne, speakers=[make_speaker()])

    page = client.get(reverse("admin:talks_talk_change", args=[talk.pk])).content.decode()

    assert 'name="talk_speakers-TOTAL_FORMS"' in page
    assert 'name="links-TOTAL_FORMS"' in page


@pytest.mark.django_db
def test_a_person_speaking_only_in_the_managers_devroom_is_editable(client, dora, iaas):
    ann = make_speaker(name="Ann")
    make_talk(devroom=iaas, speakers=[ann])
    url = reverse("admin:talks_speaker_change", args=[ann.pk])

    page = client.get(url).content.decode()

    assert 'name="name"' in page  # an input, not read-only text


@pytest.mark.django_db
def test_a_person_who_also_speaks_elsewhere_is_read_only_to_the_manager(
    client, dora, iaas, lightning
):
    bob = make_speaker(name="Bob")
    make_talk(devroom=iaas, speakers=[bob], start=brussels(2014, 2, 1, 10))
    make_talk(devroom=lightning, speakers=[bob], start=brussels(2014, 2, 1, 14))  # not dora's
    url = reverse("admin:talks_speaker_change", args=[bob.pk])

    page = client.get(url)
    attempt = client.post(url, speaker_form(bob, name="Bob Hacked"))

    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()
    assert attempt.status_code == 403
    bob.refresh_from_db()
    assert bob.name == "Bob"
