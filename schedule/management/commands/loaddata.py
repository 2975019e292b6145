"""Django's loaddata, moving each loaded event's change marker once at the end rather than
once a row (which would put Last-Modified minutes ahead of the clock after a big fixture)."""

from django.core.management.commands import loaddata

from schedule import markers


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with markers.batched():
            return super().handle(*fixture_labels, **options)
