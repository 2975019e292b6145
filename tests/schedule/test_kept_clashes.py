"""Real files contain double bookings (FOSDEM 2024: two room clashes). Imports keep them
as the file says, flag them, report them; saves elsewhere still refuse new ones; and on
PostgreSQL the database's own exclusion constraint agrees."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from schedule.interchange.importers import ImportRefused, import_file
from talks.models import Talk


@pytest.fixture
def fosdem_2024(real_data, db):
    return import_file(real_data / "fosdem" / "fosdem-2024-schedule.xml")


def test_fosdem_2024_clashes_are_kept_flagged_and_reported(fosdem_2024):
    flagged = Talk.objects.filter(event=fosdem_2024.event, kept_clash=True)

    assert flagged.count() >= 4  # two room clashes: four talks at least
    assert fosdem_2024.repairs["talks double-booked in the file, kept and flagged"] == (
        flagged.count()
    )
    assert sorted(fosdem_2024.clashes) == sorted(flagged.values_list("title", flat=True))
    problems = "\n".join(fosdem_2024.lines()).split("created:")[0]
    assert f"{flagged.count()} talks double-booked in the file, kept and flagged" in problems
    unflagged = Talk.objects.filter(event=fosdem_2024.event, kept_clash=False).count()
    assert unflagged > 600


def test_strict_import_refuses_the_clashes_and_changes_nothing(real_data, db):
    with pytest.raises(ImportRefused, match="double-booked in the file"):
        import_file(real_data / "fosdem" / "fosdem-2024-schedule.xml", strict=True)

    assert not Talk.objects.exists()


def test_a_kept_clash_can_still_be_edited_but_no_new_clash_joins_it(fosdem_2024):
    kept = Talk.objects.filter(event=fosdem_2024.event, kept_clash=True, room__isnull=False)
    kept = kept.select_related("room", "event").first()
    kept.title = kept.title + " (edited)"
    kept.save()  # the clash it came with stays allowed

    newcomer = Talk(
        event=kept.event,
        room=kept.room,
        title="A new talk in a double-booked slot",
        slug="newcomer",
        start=kept.start,
        end=kept.end,
    )
    with pytest.raises(ValidationError, match="already booked at that time"):
        newcomer.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an exclusion constraint")
def test_postgresql_itself_refuses_a_double_booking_that_skips_the_checks(fosdem_2024):
    talk = (
        Talk.objects.filter(event=fosdem_2024.event, kept_clash=False, room__isnull=False)
        .exclude(start=None)
        .first()
    )
    clone = Talk(
        event=talk.event,
        room=talk.room,
        title="Sneaked in",
        slug="sneaked-in",
        start=talk.start + dt.timedelta(minutes=1),
        end=talk.end,
    )
    clone.skip_clash_check = True  # as if a buggy path bypassed Talk.save's check

    def sneak_in():
        with transaction.atomic():
            clone.save()
            with connection.cursor() as cursor:  # deferred: checked now, as at commit
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with pytest.raises(IntegrityError, match="talk_room_no_double_booking"):
        sneak_in()
