"""The day itself, in a real browser: an agenda carried from a laptop to a phone, a room
marked full seen on another device without reloading, and the door display at 1920×1080.

The server's clock is fixed (schedule.clock) and the browsers' clocks are set with
Playwright's clock control, to a different day: what is "now" comes from the server."""

import datetime as dt
import re

import pytest
from django.core.management import call_command

from schedule import roles
from schedule.live.models import Agenda
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Saturday 1 February 2014, 12:30 in Brussels: "Autoscaling best practices" runs in
# Chavanne (12:20–13:00), "Network Function Virtualization…" is next (13:00–13:40).
SERVER_NOW = dt.datetime(2014, 2, 1, 11, 30, tzinfo=dt.UTC)
DEVICE_NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)  # a wrong device clock


@pytest.fixture
def seeded(transactional_db, fixed_clock, settings):
    call_command("loaddata", "demo", verbosity=0)
    fixed_clock(SERVER_NOW)
    settings.SCHEDULE_ROOM_STATUS_POLL_SECONDS = 1
    settings.SCHEDULE_DISPLAY_REFRESH_SECONDS = 2


def context_for(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, timezone_id="America/New_York", **options)
    page = context.new_page()
    page.clock.install(time=DEVICE_NOW)
    return context, page


def test_an_agenda_synced_on_a_laptop_opens_on_a_phone(browser, live_server, seeded, screenshot):
    laptop, page = context_for(browser, LAPTOP)
    page.goto(f"{live_server.url}/fosdem-2014/schedule/all/")
    page.click('button[data-star="autoscaling-best-practices"]')
    page.click('button[data-star="your-complete-open-source-cloud"]')

    page.goto(f"{live_server.url}/fosdem-2014/starred/")
    page.click("#agenda-sync-button")
    page.wait_for_selector("#agenda-synced:not([hidden])")
    agenda_url = page.locator("#agenda-open").get_attribute("href")
    assert re.fullmatch(rf"{live_server.url}/fosdem-2014/agenda/[A-Za-z0-9_-]{{43}}/", agenda_url)

    page.goto(agenda_url)
    assert page.locator("figure.qr").get_attribute("data-qr-url") == agenda_url
    assert page.locator("figure.qr svg").is_visible()
    webcal = page.get_by_role("link", name="Subscribe in your calendar app")
    assert webcal.get_attribute("href").startswith("webcal://")
    assert page.locator("#agenda-device").inner_text().startswith("This device uses this agenda")

    phone, phone_page = context_for(browser, PHONE, is_mobile=True, has_touch=True)
    phone_page.goto(agenda_url)
    titles = phone_page.locator("#agenda-list .talk-title a").all_inner_texts()
    assert titles == ["Autoscaling best practices", "Your Complete Open Source Cloud"]
    # The phone joins the agenda; its stars are now the agenda's.
    phone_page.click("#agenda-adopt")
    phone_page.wait_for_selector("#agenda-device:not([hidden])")
    phone_page.goto(f"{live_server.url}/fosdem-2014/schedule/all/")
    pressed = phone_page.locator('button.star[aria-pressed="true"]')
    pressed.first.wait_for()
    assert sorted(pressed.evaluate_all("els => els.map(e => e.dataset.star)")) == [
        "autoscaling-best-practices",
        "your-complete-open-source-cloud",
    ]
    # Starring on the phone reaches the server agenda (a per-talk operation) …
    with phone_page.expect_response(lambda r: r.url.endswith("/talks/")):
        phone_page.click('button[data-star="putting-the-paas-in-openstack"]')
    agenda = Agenda.objects.get()
    assert agenda.items.count() == 3
    # … and unstarring on the laptop removes only that talk.
    page.goto(f"{live_server.url}/fosdem-2014/schedule/all/")
    with page.expect_response(lambda r: r.url.endswith("/talks/")):
        page.click('button[data-star="autoscaling-best-practices"]')
    phone_page.goto(agenda_url)
    assert phone_page.locator("#agenda-list .talk-title a").all_inner_texts() == [
        "Putting the PaaS in OpenStack",
        "Your Complete Open Source Cloud",
    ]
    screenshot(phone_page, "agenda-phone")
    laptop.close()
    phone.close()


def test_a_room_marked_full_shows_on_another_device_without_reloading(
    browser, live_server, seeded, screenshot
):
    attendee, room_page = context_for(browser, PHONE, is_mobile=True)
    room_page.goto(f"{live_server.url}/fosdem-2014/rooms/chavanne/")
    state = room_page.locator("p.room-state")
    state.wait_for(state="attached")
    room_page.clock.run_for(1500)  # the first poll has answered: the room is open
    room_page.wait_for_function(
        "() => document.querySelector('p.room-state').dataset.state === '0'"
    )

    roles.sync_roles()
    volunteer = make_user("vera", staff=False)
    roles.grant(volunteer, "room-volunteer")
    helper, phone = context_for(browser, PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"{live_server.url}/fosdem-2014/rooms/volunteer/")
    phone.fill("#id_username", "vera")
    phone.fill("#id_password", "pw")
    phone.click("button:has-text('Sign in')")
    phone.get_by_role("link", name="Other rooms").click()  # Chavanne has no building
    phone.locator(".volunteer-room", has_text="Chavanne").get_by_role("button", name="Full").click()
    assert "Chavanne is now marked full" in phone.locator(".notice").first.inner_text()
    screenshot(phone, "volunteer-phone")

    # The attendee's page was not reloaded: the next poll paints the state.
    room_page.clock.run_for(1500)
    room_page.wait_for_function(
        "() => document.querySelector('p.room-state').dataset.state === '1'", timeout=10_000
    )
    assert state.inner_text() == "This room is full: do not queue at the door."
    assert state.is_visible()

    phone.get_by_role("button", name="Undo").click()
    room_page.clock.run_for(1500)
    room_page.wait_for_function(
        "() => document.querySelector('p.room-state').dataset.state === '0'", timeout=10_000
    )
    attendee.close()
    helper.close()


def test_the_door_display_shows_now_and_next_and_survives_a_network_loss(
    browser, live_server, seeded, screenshot
):
    context, page = context_for(browser, {"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/fosdem-2014/rooms/chavanne/display/")
    now_slot, next_slot = page.locator('[data-slot="now"]'), page.locator('[data-slot="next"]')
    assert now_slot.locator(".d-title").inner_text() == "Autoscaling best practices"
    assert next_slot.locator(".d-title").inner_text().startswith("Network Function")
    # The event's clock is the server's (12:30 in Brussels), not the device's.
    page.clock.run_for(1000)
    assert page.locator("#display-clock").inner_text() == "12:30"
    assert "30 min left" in now_slot.locator(".d-when").inner_text()
    # Readable at 3 m: the title is large and white on black.
    size = page.locator('[data-slot="now"] .d-title').evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 60
    screenshot(page, "display-room")

    # Offline: the screen keeps the data and the time, and moves on to the next talk.
    context.set_offline(True)
    page.clock.run_for(3000)
    page.wait_for_function("() => document.querySelector('.display').classList.contains('offline')")
    assert "No connection since 12:30" in page.locator("#display-status").inner_text()
    page.clock.run_for(31 * 60 * 1000)  # 13:01
    assert now_slot.locator(".d-title").inner_text().startswith("Network Function")
    assert page.locator("#display-clock").inner_text() == "13:01"
    context.set_offline(False)
    context.close()


def test_the_hall_board_shows_every_room_now_and_next(browser, live_server, seeded, screenshot):
    context, page = context_for(browser, {"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/fosdem-2014/display/")
    row = page.locator('.display-row:has(.d-room:has-text("Chavanne"))')
    assert row.locator('[data-slot="now"] .d-title').inner_text() == "Autoscaling best practices"
    assert row.locator('[data-slot="next"] .d-title').inner_text().startswith("Network Function")
    screenshot(page, "display-hall")
    context.close()
