"""Repeated wrong passwords lock an admin account (django-axes), keyed on the username."""

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_user

LOGIN = "/admin/login/?next=/admin/"


def attempt(client, password):
    return client.post(LOGIN, {"username": "olga", "password": password, "next": "/admin/"})


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_until_unlocked(client, settings):
    make_user("olga", superuser=True)  # password "pw"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")

    locked = attempt(client, "pw")

    assert locked.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="olga").exists()

    call_command("axes_reset_username", "olga", stdout=StringIO())
    unlocked = attempt(client, "pw")

    assert unlocked.status_code == 302
    assert unlocked["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_a_few_typos_do_not_lock_and_other_users_are_not_affected(client, settings):
    make_user("olga", superuser=True)
    make_user("bob", superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "bob", "password": "wrong", "next": "/admin/"})
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")

    assert attempt(client, "pw").status_code == 302  # olga: 4 typos, then in


@pytest.mark.django_db
def test_organisers_can_unlock_from_the_admin(client, settings):
    make_user("olga", superuser=True)
    root = make_user("root", superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    client.force_login(root)

    page = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert page.status_code == 200
    assert "olga" in page.content.decode()


@pytest.mark.django_db
def test_wrong_passwords_typed_elsewhere_do_not_keep_the_organiser_out(client, settings):
    """Someone on another network types olga's name with wrong passwords (on the login
    page and in the admin): she is locked out there, not on her own network."""
    make_user("olga", superuser=True)
    attacker = {"REMOTE_ADDR": "198.51.100.66"}
    for url in ("/accounts/login/", LOGIN):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(url, {"username": "olga", "password": "wrong"}, **attacker)
    assert client.post(LOGIN, {"username": "olga", "password": "pw"}, **attacker).status_code in (
        403,
        429,
    )

    organiser = client.post(
        LOGIN, {"username": "olga", "password": "pw", "next": "/admin/"}, REMOTE_ADDR="192.0.2.10"
    )
    assert organiser.status_code == 302
    assert "_auth_user_id" in client.session
