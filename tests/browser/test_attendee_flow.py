"""What an attendee does on the site, in a real browser, at desktop and phone sizes."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seeded(transactional_db):
    call_command("loaddata", "demo", verbosity=0)


def new_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, timezone_id="America/Los_Angeles", **options)
    return context, context.new_page()


def test_filter_grid_and_star_two_talks_that_survive_a_reload(
    browser, live_server, seeded, screenshot
):
    context, page = new_page(browser, DESKTOP)
    page.goto(f"{live_server.url}/fosdem-2014/schedule/all/")

    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Lightning talks", exact=True).check()
    with page.expect_navigation():
        page.click("button:has-text('Show talks')")
    titles = page.locator(".talk-title a").all_inner_texts()
    assert "devroom=lightning-talks" in page.url
    assert titles == ["Putting the PaaS in OpenStack", "Your Complete Open Source Cloud"]
    # Times stay in Brussels time although the browser is in Los Angeles.
    assert page.locator(".talk-time").first.inner_text().startswith("17:00–17:20")

    page.goto(f"{live_server.url}/fosdem-2014/schedule/2014-02-01/")
    assert page.locator(".grid-room").all_inner_texts() == ["Chavanne"]

    page.goto(f"{live_server.url}/fosdem-2014/schedule/all/")
    page.click('button[data-star="autoscaling-best-practices"]')
    page.click('button[data-star="your-complete-open-source-cloud"]')
    page.reload()
    pressed = page.locator('button.star[aria-pressed="true"]')
    assert sorted(pressed.evaluate_all("els => els.map(e => e.dataset.star)")) == [
        "autoscaling-best-practices",
        "your-complete-open-source-cloud",
    ]

    page.click("nav >> text=Starred")
    page.wait_for_selector("#starred-list .talk")
    assert page.locator(".talk-title a").all_inner_texts() == [
        "Autoscaling best practices",
        "Your Complete Open Source Cloud",
    ]

    page.goto(f"{live_server.url}/fosdem-2014/talks/autoscaling-best-practices/")
    context.close()


def test_keyboard_users_can_reach_and_toggle_a_star(browser, live_server, seeded):
    context, page = new_page(browser, DESKTOP)
    page.goto(f"{live_server.url}/fosdem-2014/talks/autoscaling-best-practices/")

    star = page.locator("button.star")
    star.focus()
    page.keyboard.press("Enter")

    assert star.get_attribute("aria-pressed") == "true"
    assert star.get_attribute("aria-label").startswith("Unstar")
    context.close()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/fosdem-2014/schedule/", None),
        ("/fosdem-2014/schedule/2014-02-01/", None),
        ("/fosdem-2014/talks/autoscaling-best-practices/", None),
        ("/fosdem-2014/", None),
        ("/fosdem-2014/now/", None),
        ("/speakers/thierry-carrez/", None),
    ],
)
@pytest.mark.parametrize("width", [360, 390])
def test_phone_viewport_has_no_horizontal_page_overflow(
    browser, live_server, seeded, screenshot, path, name, width
):
    viewport = {"width": width, "height": PHONE["height"]}
    context, page = new_page(
        browser, viewport, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page.goto(live_server.url + path)

    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )

    assert overflow <= 0
    if name and width == PHONE["width"]:
        screenshot(page, name)
    context.close()


def test_pages_work_without_javascript(browser, live_server, seeded):
    context, page = new_page(browser, PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/fosdem-2014/schedule/?day=2014-02-02&q=ovirt")

    titles = page.locator(".talk-title a").all_inner_texts()

    assert titles == [
        "Bring your virtualized networking stack to the next level",
        "Your Complete Open Source Cloud",
    ]
    assert page.locator("button.star").first.is_hidden()
    context.close()
