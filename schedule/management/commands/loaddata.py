"""Django's loaddata, with one move of the change markers of the events it loads, at the end.

Each row loaddata saves raw reports its events (schedule.markers.row_loaded); here they are
collected and each event's marker moves once, as after an import, instead of once a row
(which would put Last-Modified minutes ahead of the clock after a big fixture)."""

from django.core.management.commands import loaddata

from schedule import markers


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with markers.batched():
            return super().handle(*fixture_labels, **options)
