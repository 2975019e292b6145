"""The three roles, defined once in schedule.roles and given with grant_role."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from schedule.roles import DEVROOM_MANAGERS, ORGANISERS, ROLE_PERMISSIONS, ROOM_VOLUNTEERS
from tests.factories import make_talk, make_user
from tests.talks.test_admin import talk_form


def grant(*args) -> str:
    out = StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_roles_exist_after_migrate_with_exactly_their_permissions():
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == codenames, role


@pytest.mark.django_db
def test_grant_role_organiser_makes_staff_who_can_import_and_edit_any_talk(client, iaas):
    user = make_user("olga", staff=False)

    assert (
        grant("olga", "organiser")
        == "olga is now in Organisers (staff: may log in to the admin).\n"
    )

    user.refresh_from_db()
    assert user.is_staff
    client.force_login(user)
    talk = make_talk(devroom=iaas)
    assert client.get(reverse("admin:schedule_event_import")).status_code == 200
    assert client.get(reverse("admin:talks_talk_change", args=[talk.pk])).status_code == 200
    assert user.has_perm("talks.merge_speaker")


@pytest.mark.django_db
def test_grant_role_devroom_manager_scopes_to_the_named_devrooms(client, event, iaas, lightning):
    make_user("dora", staff=False)

    out = grant("dora", "devroom-manager", f"{event.slug}/{iaas.slug}")

    assert out == (
        f"dora is now in Devroom managers (staff: may log in to the admin) "
        f"for {event.slug}/{iaas.slug}.\n"
    )
    dora = Group.objects.get(name=DEVROOM_MANAGERS).user_set.get()
    assert dora.is_staff
    assert list(dora.managed_devrooms.all()) == [iaas]
    client.force_login(dora)
    mine, theirs = make_talk(devroom=iaas, event=event), make_talk(devroom=lightning, event=event)
    mine_url = reverse("admin:talks_talk_change", args=[mine.pk])
    assert client.get(mine_url).status_code == 200
    assert client.get(reverse("admin:talks_talk_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:schedule_event_import")).status_code == 403
    assert not dora.has_perm("talks.merge_speaker")


@pytest.mark.django_db
def test_a_devroom_manager_edits_the_speakers_of_their_own_talk(client, event, iaas, chavanne):
    make_user("dora", staff=False)
    grant("dora", "devroom-manager", f"{event.slug}/{iaas.slug}")
    talk = make_talk(event=event, devroom=iaas, room=chavanne, title="Mine", slug="mine")
    client.force_login(Group.objects.get(name=DEVROOM_MANAGERS).user_set.get())

    page = client.get(reverse("admin:talks_talk_change", args=[talk.pk])).content.decode()

    assert "talk_speakers-TOTAL_FORMS" in page  # the speakers inline is there
    assert "links-TOTAL_FORMS" in page


@pytest.mark.django_db
def test_room_volunteers_are_not_staff_and_never_reach_the_admin(client):
    make_user("vic", staff=False)

    grant("vic", "room-volunteer")

    vic = Group.objects.get(name=ROOM_VOLUNTEERS).user_set.get()
    assert not vic.is_staff
    assert vic.has_perm("schedule.set_room_status")
    assert not vic.has_perm("talks.change_talk")
    client.force_login(vic)
    assert client.get(reverse("admin:index")).status_code == 302  # to the login page


@pytest.mark.django_db
def test_revoking_a_role_takes_its_permissions_away():
    user = make_user("olga", staff=False)
    grant("olga", "organiser")

    grant("olga", "organiser", "--revoke")

    user = type(user).objects.get(pk=user.pk)
    assert not user.groups.filter(name=ORGANISERS).exists()
    assert not user.has_perm("schedule.import_schedule")


@pytest.mark.django_db
def test_adding_a_user_to_a_staff_role_in_the_admin_makes_them_staff():
    user = make_user("sam", staff=False)

    user.groups.add(Group.objects.get(name=ORGANISERS))

    user.refresh_from_db()
    assert user.is_staff


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nobody", "organiser"), "No user “nobody”"),
        (("olga", "king"), "Unknown role “king”"),
        (("olga", "devroom-manager"), "Name the devrooms to manage"),
        (("olga", "devroom-manager", "fosdem-2014/nope"), "No devroom “fosdem-2014/nope”"),
        (("olga", "organiser", "fosdem-2014/x"), "only be given with the devroom-manager role"),
    ],
)
@pytest.mark.django_db
def test_grant_role_says_what_is_wrong(event, args, message):
    make_user("olga", staff=False)

    with pytest.raises(CommandError, match=message):
        grant(*args)


@pytest.mark.django_db
def test_a_manager_cannot_move_a_talk_into_another_devroom(client, event, iaas, lightning):
    make_user("dora", staff=False)
    grant("dora", "devroom-manager", f"{event.slug}/{iaas.slug}")
    client.force_login(Group.objects.get(name=DEVROOM_MANAGERS).user_set.get())

    response = client.post(reverse("admin:talks_talk_add"), talk_form(event, devroom=lightning.pk))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_a_manager_removed_from_their_last_devroom_loses_the_admin(client, event, iaas, lightning):
    make_user("dora", staff=False)
    grant("dora", "devroom-manager", f"{event.slug}/{iaas.slug}", f"{event.slug}/{lightning.slug}")
    dora = Group.objects.get(name=DEVROOM_MANAGERS).user_set.get()

    iaas.managers.remove(dora)  # as the Devrooms admin does
    dora.refresh_from_db()
    assert dora.is_staff  # still manages Lightning

    lightning.managers.clear()
    dora.refresh_from_db()
    assert not dora.is_staff
    assert not dora.groups.filter(name=DEVROOM_MANAGERS).exists()
    client.force_login(dora)
    assert client.get(reverse("admin:index")).status_code == 302  # to the login page

    olga = make_user("olga", staff=False)
    grant("olga", "organiser")
    grant("olga", "devroom-manager", f"{event.slug}/{iaas.slug}")
    iaas.managers.remove(olga)
    olga.refresh_from_db()
    assert olga.is_staff  # an organiser stays one
