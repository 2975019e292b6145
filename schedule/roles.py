"""The roles: Groups whose permissions are defined here and resynced after every migrate."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_migrate
from django.dispatch import receiver

from schedule.models import Devroom

ORGANISERS = "Organisers"
DEVROOM_MANAGERS = "Devroom managers"
ROOM_VOLUNTEERS = "Room volunteers"
STAFF_ROLES = {ORGANISERS, DEVROOM_MANAGERS}
ROLE_ALIASES = {
    **dict.fromkeys(["organiser", "organisers", "organizer"], ORGANISERS),
    **dict.fromkeys(["devroom-manager", "devroom-managers", "manager"], DEVROOM_MANAGERS),
    **dict.fromkeys(["room-volunteer", "room-volunteers", "volunteer"], ROOM_VOLUNTEERS),
}

ALL = ("add", "change", "delete", "view")


def codenames(app: str, models, actions=ALL) -> set[str]:
    return {f"{app}.{action}_{model}" for model in models for action in actions}


ROLE_PERMISSIONS: dict[str, set[str]] = {
    ORGANISERS: codenames("schedule", ["event", "room", "devroom"])
    | codenames("talks", ["talk", "talkspeaker", "talklink", "speaker", "speakerlink", "personid"])
    | codenames("live", ["roomstatus", "roomstatuschange", "agenda"], ["view"])
    | codenames("releases", ["release"], ["view", "publish"])
    | {
        "talks.view_speakerredirect",
        "schedule.manage_programme",
        "schedule.import_schedule",
        "schedule.set_room_status",
        "talks.merge_speaker",
        "live.delete_agenda",
    },
    # Scoped to their own devrooms by the admin (schedule.permissions).
    DEVROOM_MANAGERS: codenames("schedule", ["event", "room", "devroom"], ["view"])
    | codenames("talks", ["talk", "talkspeaker", "talklink", "speakerlink"])
    | codenames("talks", ["speaker"], ["add", "change", "view"])
    | {
        "schedule.change_devroom",
        "releases.view_release",  # and the unreleased changes of their own devrooms
    },
    ROOM_VOLUNTEERS: {"schedule.set_room_status"},
}


def resolve_role(name: str) -> str:
    """A role's group name from what a person types ("devroom-manager", "Organisers", …)."""
    key = name.strip().lower()
    known = {role.lower(): role for role in ROLE_PERMISSIONS} | ROLE_ALIASES
    if key in known:
        return known[key]
    choices = ", ".join(sorted({*ROLE_ALIASES} - {"manager", "volunteer", "organizer"}))
    raise ValueError(f"Unknown role “{name}”; choose one of: {choices}.")


def sync_roles() -> None:
    """Create the role groups and give each exactly its permissions."""
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        condition = Q(pk__in=[])
        for dotted in dotted_names:
            app_label, codename = dotted.split(".", 1)
            condition |= Q(content_type__app_label=app_label, codename=codename)
        wanted = list(Permission.objects.filter(condition))
        found = {f"{p.content_type.app_label}.{p.codename}" for p in wanted}
        if found != dotted_names:
            return  # some app's permissions are not created yet; a later signal completes
        group.permissions.set(wanted)


@receiver(post_migrate)
def roles_after_migrate(sender, **kwargs):
    if sender.label in ("schedule", "talks"):
        sync_roles()


def grant(user, role: str, devrooms=()) -> None:
    """Give `role` (a staff role makes the user staff); managers get `devrooms` to manage."""
    user.groups.add(Group.objects.get(name=resolve_role(role)))
    for devroom in devrooms:
        devroom.managers.add(user)


def revoke(user, role: str, devrooms=()) -> None:
    role = resolve_role(role)
    for devroom in devrooms:
        devroom.managers.remove(user)
    if not (devrooms and user.managed_devrooms.exists()):
        user.groups.remove(Group.objects.get(name=role))


@receiver(m2m_changed, sender=get_user_model().groups.through)
def staff_follows_roles(sender, instance, action, reverse, pk_set, **kwargs):
    """Adding a user to a staff role in the admin's user screen makes them staff."""
    if action != "post_add" or reverse or not isinstance(instance, get_user_model()):
        return
    names = set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    if names & STAFF_ROLES and not instance.is_staff:
        instance.is_staff = True
        instance.save(update_fields=["is_staff"])


@receiver(m2m_changed, sender=Devroom.managers.through)
def managers_follow_devrooms(sender, instance, action, reverse, pk_set, **kwargs):
    """A manager removed from their last devroom (from either side) leaves the role, and the
    admin unless another role or superuser keeps them staff: no leftover read access."""
    if action == "pre_clear":
        instance._managers_before = (
            {instance.pk} if reverse else set(instance.managers.values_list("pk", flat=True))
        )
        return
    if action == "post_clear":
        user_ids = getattr(instance, "_managers_before", set())
    elif action == "post_remove":
        user_ids = {instance.pk} if reverse else set(pk_set or ())
    else:
        return
    groups = list(Group.objects.filter(name=DEVROOM_MANAGERS))
    for user in get_user_model().objects.filter(pk__in=user_ids, managed_devrooms=None):
        user.groups.remove(*groups)
        others = user.groups.filter(name__in=STAFF_ROLES - {DEVROOM_MANAGERS}).exists()
        if user.is_staff and not user.is_superuser and not others:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
