"""Who may edit what: organisers and superusers everything, devroom managers their devrooms."""

from django.db.models import QuerySet


def edits_everything(user) -> bool:
    """Superusers and organisers; everyone else is scoped to the devrooms they manage."""
    return user.is_active and (user.is_superuser or user.has_perm("schedule.manage_programme"))


def managed_devroom_ids(user) -> set[int]:
    """Ids of the devrooms this user manages; cached on the user object for the request."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return set()
    if not hasattr(user, "_managed_devroom_ids"):
        user._managed_devroom_ids = set(user.managed_devrooms.values_list("pk", flat=True))
    return user._managed_devroom_ids


def is_devroom_manager(user) -> bool:
    return bool(managed_devroom_ids(user))


def scope_to_devrooms(queryset: QuerySet, user, devroom_field: str = "devroom") -> QuerySet:
    """Everything for organisers; for anyone else only rows in devrooms they manage."""
    if edits_everything(user):
        return queryset
    return queryset.filter(**{f"{devroom_field}__in": managed_devroom_ids(user)})
