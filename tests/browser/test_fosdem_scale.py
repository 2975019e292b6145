"""The attendee's pages with a real large schedule (FOSDEM 2025: 943 talks, 40 rooms),
measured in Chromium as rendered: what fits on a laptop and a phone, search, stars.

Layout measurements use the site's own web font (static/fonts), so they do not depend on
the fonts installed on the machine.
"""

import json

import pytest

from talks.models import Talk
from tests.schedule.conftest import import_fosdem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
EVENT = "fosdem-2025"
SATURDAY = "2025-02-01"


@pytest.fixture
def fosdem(transactional_db):
    import_fosdem(2025)


def open_page(browser, viewport, url, **options):
    context = browser.new_context(viewport=viewport, timezone_id="Asia/Tokyo", **options)
    page = context.new_page()
    page.goto(url)
    page.evaluate("document.fonts.ready")
    return context, page


CARD_BOXES = """() => [...document.querySelectorAll('.grid-talk')].map(card => {
  const box = card.getBoundingClientRect();
  const title = card.querySelector('.grid-title');
  const range = document.createRange();
  range.selectNodeContents(title);
  const first = range.getClientRects()[0];
  return {slug: card.dataset.talk, left: box.left, right: box.right, top: box.top,
          bottom: box.bottom, first: {left: first.left, right: first.right, top: first.top,
          bottom: first.bottom}};
})"""


def intersect(a, b) -> bool:
    # 0.5 px of tolerance for sub-pixel rounding of touching edges
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
    )


def test_saturday_grid_on_a_laptop_shows_ten_rooms_no_overlaps_and_readable_titles(
    browser, live_server, fosdem, screenshot
):
    context, page = open_page(browser, LAPTOP, f"{live_server.url}/{EVENT}/schedule/{SATURDAY}/")

    headers = page.locator(".grid-room").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect()).map(r => ({left: r.left, right: r.right}))"
    )
    width = page.evaluate("document.documentElement.clientWidth")
    visible = [h for h in headers if h["left"] >= 0 and h["right"] <= width]
    assert len(headers) > 25
    assert len(visible) >= 10

    cards = page.evaluate(CARD_BOXES)
    assert len(cards) > 400
    clashes = [
        (a["slug"], b["slug"])
        for index, a in enumerate(cards)
        for b in cards[index + 1 :]
        if intersect(a, b)
    ]
    assert clashes == []
    cut = [
        card["slug"]
        for card in cards
        if card["first"]["bottom"] > card["bottom"] + 0.5
        or card["first"]["right"] > card["right"] + 0.5
        or card["first"]["left"] < card["left"] - 0.5
    ]
    assert cut == []
    screenshot(page, "grid-laptop")

    page.evaluate("window.scrollTo(2500, 1500)")
    page.wait_for_timeout(100)
    time_label = page.locator(".grid-time", has_text="12:30").bounding_box()
    header = page.locator(".grid-room").nth(25).bounding_box()
    assert page.evaluate("window.scrollX") > 2000
    assert 0 <= time_label["x"] < 80  # the time column stays at the left edge
    assert -1 <= header["y"] < 10  # the room headers stay at the top
    context.close()


def test_overlapping_talks_in_one_room_sit_side_by_side(browser, live_server, fosdem):
    # Imports keep a file's clashes, flagged (kept_clash); make one as a late file would.
    first, second = Talk.objects.filter(room__slug="k3201").order_by("start")[:2]
    Talk.objects.filter(pk=first.pk).update(kept_clash=True)
    Talk.objects.filter(pk=second.pk).update(start=first.start, end=first.end, kept_clash=True)
    context, page = open_page(browser, LAPTOP, f"{live_server.url}/{EVENT}/schedule/{SATURDAY}/")

    lanes = page.locator(".grid-talk[data-lanes]").evaluate_all(
        "els => els.map(e => ({lanes: +e.dataset.lanes, width: e.getBoundingClientRect().width}))"
    )
    room_width = page.locator(".grid-room").first.bounding_box()["width"]

    assert lanes, "FOSDEM 2025 keeps a few clashes in one room"
    assert all(item["width"] <= room_width / item["lanes"] + 1 for item in lanes)
    context.close()


def test_phone_day_list_first_talk_visible_and_filters_by_tapping_two_devrooms(
    browser, live_server, fosdem, screenshot
):
    context, page = open_page(
        browser,
        PHONE,
        f"{live_server.url}/{EVENT}/schedule/",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    assert f"day={SATURDAY}" in page.url
    first = page.locator(".day-list .talk").first.bounding_box()
    assert first["y"] + 40 <= PHONE["height"]  # its time and title are on the first screen
    screenshot(page, "list-phone")

    panel = page.locator("details.filter-panel")
    summary = panel.locator("summary")
    summary.tap()
    assert panel.evaluate("d => d.open")
    narrow = panel.locator("fieldset", has_text="Devroom").locator("input[data-narrow]")
    narrow.fill("rust")
    page.get_by_label("Rust", exact=True).tap()
    narrow.fill("go")
    page.get_by_label("Go", exact=True).tap()
    checked = page.locator("input[name=devroom]:checked").evaluate_all(
        "els => els.map(e => e.value)"
    )
    assert len(checked) == 2
    with page.expect_navigation():
        page.locator("button", has_text="Show talks").tap()

    assert page.url.count("devroom=") == 2
    assert page.locator(".active-count").inner_text() == "2 active"  # as many as its chips
    assert page.locator(".chips li").count() == 2
    assert not page.locator("details.filter-panel").evaluate("d => d.open")
    devrooms = page.locator(".talk .meta a[href*='/devrooms/']").evaluate_all(
        "els => [...new Set(els.map(e => e.getAttribute('href').split('/')[3]))]"
    )
    assert sorted(devrooms) == sorted(checked)
    summary = page.locator("details.filter-panel summary")
    summary.tap()
    summary.tap()
    assert not page.locator("details.filter-panel").evaluate("d => d.open")
    context.close()


def test_search_combines_words_across_fields_and_ignores_accents(browser, live_server, fosdem):
    talk = Talk.objects.get(slug="state-of-checkpoint-restore-in-kubernetes")
    surname = talk.ordered_speakers[0].name.split()[-1]
    context, page = open_page(browser, PHONE, f"{live_server.url}/{EVENT}/")

    page.fill("#site-q", f"kubernetes {surname}")  # a title word and a speaker's name
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert talk.title in page.locator(".talk-title a").all_inner_texts()

    page.fill("#site-q", "Cermak")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Dan Čermák" in page.locator("#speakers-heading + ul a").all_inner_texts()
    assert page.locator(".talk-title a").count() >= 1
    context.close()


def test_speaker_directory_narrows_as_you_type(browser, live_server, fosdem):
    context, page = open_page(browser, LAPTOP, f"{live_server.url}/{EVENT}/speakers/")
    assert page.locator(".speaker-directory li").count() > 900

    page.fill("#speaker-q", "cermak")
    visible = page.locator(".speaker-directory li:visible").all_inner_texts()

    assert visible == ["Dan Čermák"]
    context.close()


def stored_stars(page) -> list[str]:
    return json.loads(page.evaluate(f"localStorage.getItem('starred:{EVENT}') || '[]'"))


def test_own_stars_follow_the_browser_and_a_shared_link_never_changes_them(
    browser, live_server, fosdem
):
    context, page = open_page(
        browser, LAPTOP, f"{live_server.url}/{EVENT}/schedule/?day={SATURDAY}"
    )
    stars = page.locator(".day-list button.star")
    first, second, third = (stars.nth(n).get_attribute("data-star") for n in range(3))
    for slug in (first, second):
        page.click(f'.day-list button[data-star="{slug}"]')
    assert stored_stars(page) == [first, second]

    page.click("nav >> text=Starred")
    page.wait_for_selector(f'#starred-list [data-talk="{second}"]')
    page.click(f'#starred-list button[data-star="{first}"]')  # unstar it here
    page.reload()
    page.wait_for_selector(f'#starred-list [data-talk="{second}"]')
    assert page.locator("#starred-list [data-talk]").evaluate_all(
        "els => els.map(e => e.dataset.talk)"
    ) == [second]

    page.goto(f"{live_server.url}/{EVENT}/starred/?talks={third},{first}")
    assert page.locator("h1").inner_text() == "Someone's selection"
    page.reload()
    assert stored_stars(page) == [second]
    page.goto(f"{live_server.url}/{EVENT}/starred/")
    page.wait_for_selector(f'#starred-list [data-talk="{second}"]')
    assert page.locator("#starred-list [data-talk]").count() == 1

    page.goto(f"{live_server.url}/{EVENT}/starred/?talks={third},{first}")
    page.click("#adopt-stars")
    assert sorted(stored_stars(page)) == sorted([second, third, first])
    context.close()


def test_grid_and_list_pages_have_stars_on_every_talk(browser, live_server, fosdem):
    context, page = open_page(browser, LAPTOP, f"{live_server.url}/{EVENT}/schedule/{SATURDAY}/")
    cards = page.locator(".grid-talk").count()
    assert page.locator(".grid-talk button.star:visible").count() == cards
    context.close()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (f"/{EVENT}/schedule/{SATURDAY}/?view=agenda", "agenda-phone"),
        (f"/{EVENT}/talks/state-of-checkpoint-restore-in-kubernetes/", "talk-phone"),
        (f"/{EVENT}/search/?q=rust+embedded", "search-phone"),
        (f"/{EVENT}/speakers/", None),
        (f"/{EVENT}/", None),
        (f"/{EVENT}/rooms/k3201/", None),
    ],
)
def test_phone_pages_of_a_large_event_fit_the_screen_width(
    browser, live_server, fosdem, screenshot, path, name
):
    context, page = open_page(
        browser, PHONE, live_server.url + path, is_mobile=True, has_touch=True
    )
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    if name:
        screenshot(page, name)
    context.close()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (f"/{EVENT}/schedule/?day={SATURDAY}", "list-laptop"),
        (f"/{EVENT}/talks/state-of-checkpoint-restore-in-kubernetes/", "talk-laptop"),
        (f"/{EVENT}/speakers/", "speakers-laptop"),
    ],
)
def test_laptop_pages_keep_a_readable_line_length(
    browser, live_server, fosdem, screenshot, path, name
):
    context, page = open_page(browser, LAPTOP, live_server.url + path)
    main = page.locator("main").bounding_box()
    assert main["width"] <= 1000  # text pages are not stretched across 1440 px
    screenshot(page, name)
    context.close()
