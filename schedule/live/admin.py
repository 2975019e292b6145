"""Room status history in the admin (read-only: states are set on the volunteers' page)."""

from django.contrib import admin
from django.db.models import Count

from schedule.admin import ReadOnlyAdmin
from schedule.live.models import Agenda, RoomStatus, RoomStatusChange


@admin.register(RoomStatusChange)
class RoomStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "room", "previous", "state", "by", "note")
    list_filter = ("state", "room__event", "room__building")
    search_fields = ("room__name", "by__username", "note")
    date_hierarchy = "at"
    list_select_related = ("room", "by")


@admin.register(RoomStatus)
class RoomStatusAdmin(ReadOnlyAdmin):
    list_display = ("room", "state", "changed", "changed_by", "resets_at")
    list_filter = ("state", "room__event")
    list_select_related = ("room", "changed_by")


@admin.register(Agenda)
class AgendaAdmin(ReadOnlyAdmin):
    """How many agendas, how used; never their links (only token hashes are stored)."""

    list_display = ("pk", "event", "talk_count", "created", "last_opened")
    list_filter = ("event",)
    exclude = ("token_hash",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(talk_count=Count("items"))

    @admin.display(ordering="talk_count", description="talks")
    def talk_count(self, agenda):
        return agenda.talk_count
