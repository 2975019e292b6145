from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from schedule import roles
from schedule.models import Devroom


class Command(BaseCommand):
    help = (
        "Give a user a role: organiser, devroom-manager (with the devrooms, as "
        "EVENT/DEVROOM slugs, e.g. fosdem-2025/rust) or room-volunteer. --revoke takes it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help="organiser, devroom-manager or room-volunteer")
        parser.add_argument("devrooms", nargs="*", help="EVENT/DEVROOM, for devroom managers")
        parser.add_argument("--revoke", action="store_true", help="Take the role away")

    def handle(self, username, role, devrooms, revoke, **options):
        try:
            role = roles.resolve_role(role)
        except ValueError as error:
            raise CommandError(str(error)) from None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                f"No user “{username}”; create one first (manage.py createsuperuser, or the "
                "admin's Users page)."
            )
        if devrooms and role != roles.DEVROOM_MANAGERS:
            raise CommandError("Devrooms can only be given with the devroom-manager role.")
        if role == roles.DEVROOM_MANAGERS and not devrooms and not revoke:
            raise CommandError("Name the devrooms to manage, e.g. fosdem-2025/rust.")
        roles.sync_roles()
        found = [self.devroom(ref) for ref in devrooms]
        listed = " for " + ", ".join(f"{d.event.slug}/{d.slug}" for d in found) if found else ""
        if revoke:
            roles.revoke(user, role, found)
            self.stdout.write(f"{username}: {role} revoked{listed}.")
        else:
            roles.grant(user, role, found)
            staff = " (staff: may log in to the admin)" if role in roles.STAFF_ROLES else ""
            self.stdout.write(f"{username} is now in {role}{staff}{listed}.")

    @staticmethod
    def devroom(ref: str) -> Devroom:
        event_slug, _, slug = ref.partition("/")
        devrooms = Devroom.objects.select_related("event")
        devroom = devrooms.filter(event__slug=event_slug, slug=slug).first()
        if devroom is None:
            raise CommandError(f"No devroom “{ref}” (give it as EVENT/DEVROOM slugs).")
        return devroom
