"""Releases as an attendee meets them: starred talks that moved since the last visit."""

import datetime as dt

import pytest
from django.core.management import call_command

from schedule.models import Event, Room
from schedule.releases.publishing import publish_release
from talks.models import Talk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seeded(transactional_db):
    call_command("loaddata", "demo", verbosity=0)
    event = Event.objects.get(slug="fosdem-2014")
    publish_release(event, note="The programme is online")
    return event


def test_starred_talk_moved_in_a_release_is_flagged_on_the_next_visit(
    browser, live_server, seeded, screenshot
):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/fosdem-2014/schedule/all/")
    page.click('button[data-star="autoscaling-best-practices"]')
    page.click('button[data-star="your-complete-open-source-cloud"]')
    page.click("nav >> text=Starred")
    page.wait_for_selector("#starred-list .talk")
    assert page.locator(".changes-notice").count() == 0

    talk = Talk.objects.get(slug="autoscaling-best-practices")
    other_room = Room.objects.filter(event=seeded).exclude(pk=talk.room_id).first()
    talk.start += dt.timedelta(hours=2)
    talk.end += dt.timedelta(hours=2)
    talk.room = other_room
    talk.save()
    publish_release(seeded, note="Room swap in the afternoon")

    page.reload()
    page.wait_for_selector("#starred-list .talk")
    notice = page.locator(".changes-notice")
    assert notice.inner_text() == "1 of your talks moved since your last visit."
    flagged = page.locator(".talk", has=page.locator(".changed-badge", has_text="since your"))
    assert flagged.evaluate_all("els => els.map(e => e.dataset.talk)") == [
        "autoscaling-best-practices"
    ]

    page.reload()  # seen now: the notice does not repeat
    page.wait_for_selector("#starred-list .talk")
    assert page.locator(".changes-notice").count() == 0

    page.goto(f"{live_server.url}/fosdem-2014/changes/")
    assert "Room swap in the afternoon" in page.content()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(page, "changes-phone")
    context.close()
