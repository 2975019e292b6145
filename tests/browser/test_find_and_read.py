"""Finding one's way through FOSDEM 2026 (883 talks, 29 rooms a day) with the keyboard and on
the now page, in Chromium at a phone's and a laptop's size."""

import datetime as dt
import os
import re
import zoneinfo
from pathlib import Path

import pytest

from schedule import clock
from schedule.models import Room
from talks.models import Talk
from tests.schedule.conftest import import_fosdem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
EVENT = "fosdem-2026"
SATURDAY = "2026-01-31"
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fosdem(transactional_db):
    import_fosdem(2026)


def focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
        const slot = el.closest('.slot'); const index = el.closest('.slot-index');
        return {tag: el.tagName, text: el.textContent.trim().slice(0, 60),
                slot: slot ? slot.querySelector('.slot-time').id : null, index: !!index,
                visible: getComputedStyle(el).outlineStyle !== 'none'}; }"""
    )


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_any_time_slot_of_the_day_list_is_a_few_keys_away(browser, live_server, fosdem, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/{EVENT}/schedule/?day={SATURDAY}")
    slots = page.locator(".day-list .slot-time").evaluate_all("hs => hs.map(h => h.id)")
    assert len(slots) > 20
    # Tab stops inside the list: one per time slot, however many talks it holds.
    stops = page.evaluate(
        """() => [...document.querySelectorAll('.day-list a[href], .day-list button')]
                 .filter(el => el.tabIndex >= 0).length"""
    )
    assert stops == len(slots)

    presses = 0
    while not focused(page)["index"]:  # Tab from the top of the page to the time index
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 40, focused(page)
    assert focused(page)["visible"]
    for key in ("End", "Enter", "Tab"):  # the day's last start time, then its first talk
        page.keyboard.press(key)
        presses += 1
    assert focused(page)["slot"] == slots[-1]
    assert presses <= 60

    # Within a slot: down to the next talk, right to its speakers, room and star.
    first_title = focused(page)["text"]
    page.keyboard.press("ArrowRight")
    assert focused(page)["text"] != first_title
    page.keyboard.press("Shift+Tab")  # back out of the slot: the previous group
    assert focused(page)["slot"] != slots[-1]
    context.close()


def test_the_grid_takes_one_tab_stop_per_room(browser, live_server, fosdem):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/{EVENT}/schedule/{SATURDAY}/")
    rooms = page.locator(".grid-room").count()
    stops = page.evaluate(
        """() => [...document.querySelectorAll('.grid .grid-talk a[href], .grid .grid-talk button')]
                 .filter(el => el.tabIndex >= 0).length"""
    )
    assert 0 < stops <= rooms
    page.locator(".grid .grid-talk a[tabindex='0']").first.focus()
    before = page.evaluate("document.activeElement.closest('.grid-talk').dataset.talk")
    page.keyboard.press("ArrowDown")
    after = page.evaluate("document.activeElement.closest('.grid-talk').dataset.talk")
    assert after != before
    context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_now_in_one_building_lists_its_rooms_only_grouped(
    browser, live_server, fosdem, viewport, monkeypatch, screenshot
):
    moment = dt.datetime(2026, 1, 31, 11, 10, tzinfo=BRUSSELS)
    monkeypatch.setattr(clock, "now", lambda: moment)
    k_rooms = set(
        Room.objects.filter(event__slug=EVENT, building="K").values_list("name", flat=True)
    )
    assert k_rooms

    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/{EVENT}/now/?building=K")
    headings = page.locator(".now-building > h2").all_inner_texts()
    shown = set(page.locator(".now-room > h3 a").all_inner_texts())
    assert headings == ["Building K"]
    assert shown
    assert shown <= k_rooms
    assert page.locator(".now-room .time-left").count() >= 1
    screenshot(page, f"now-building-k-{'phone' if viewport is PHONE else 'laptop'}")

    page.goto(f"{live_server.url}/{EVENT}/now/")
    buildings = page.locator(".building-jumps a").all_inner_texts()
    assert "K" in buildings
    assert len(buildings) > 3
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= viewport["width"]  # nothing overflows sideways
    titles = page.locator(".now-room .talk-title a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().width)"
    )
    assert min(titles) > 150  # no title squeezed to a word per line
    context.close()


def test_rehearsal_moves_the_page_scripts_clock(client, fosdem, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("SCHEDULE_REHEARSE_AT", "2026-01-31T11:10+01:00")
    clock.rehearsal_offset.cache_clear()
    try:
        html = client.get(f"/{EVENT}/schedule/?day={SATURDAY}").content.decode()
    finally:
        clock.rehearsal_offset.cache_clear()
    offset = int(re.search(r'data-clock-offset="(-?\d+)"', html).group(1))
    rehearsed = dt.datetime.now(dt.UTC) + dt.timedelta(milliseconds=offset)
    target = dt.datetime(2026, 1, 31, 10, 10, tzinfo=dt.UTC)
    assert abs((rehearsed - target).total_seconds()) < 60


CARD_CHECK = """() => {
  const soft = /[\\u00ad\\u200b]/g;
  const results = [];
  for (const card of document.querySelectorAll('.grid .grid-talk')) {
    const link = card.querySelector('a');
    link.focus();
    const box = card.getBoundingClientRect();
    const parts = [...link.querySelectorAll('.grid-title, .grid-meta')];
    const inside = parts.every(part => {
      const range = document.createRange();
      range.selectNodeContents(part);
      return [...range.getClientRects()].every(r => r.width === 0 ||
        (r.left >= box.left - 0.5 && r.right <= box.right + 0.5 &&
         r.top >= box.top - 1.5 && r.bottom <= box.bottom + 1.5));  // a line box's leading
    });
    // A line may end inside a word only at a soft hyphen (shown as a hyphen) or a hyphen.
    const broken = [];
    const title = card.querySelector('.grid-title').firstChild;
    const text = title ? title.textContent : '';
    let previousTop = null;
    for (let i = 0; i < text.length; i++) {
      const range = document.createRange();
      range.setStart(title, i); range.setEnd(title, i + 1);
      const rects = range.getClientRects();  // after a line's hyphen: its rect, then the char's
      const rect = rects[rects.length - 1];
      if (!rect || rect.width === 0) continue;
      if (previousTop !== null && rect.top > previousTop + 2) {
        const before = text.slice(0, i).replace(/\\s+$/, '');
        const last = before[before.length - 1];
        if (/\\w/.test(last || '') && /\\w/.test(text[i]) && !/\\s/.test(text[i - 1])) {
          broken.push(text.slice(Math.max(0, i - 8), i + 8).replace(soft, ''));
        }
      }
      previousTop = rect.top;
    }
    results.push({slug: card.dataset.talk, inside, broken,
      title: card.querySelector('.grid-title').textContent.replace(soft, ''),
      meta: card.querySelector('.grid-meta').textContent});
  }
  return results;
}"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_every_grid_card_shows_its_whole_title_and_speakers_when_focused(
    browser, live_server, fosdem, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/{EVENT}/schedule/{SATURDAY}/")
    page.evaluate("document.fonts.ready")
    cards = page.evaluate(CARD_CHECK)
    talks = {
        talk.slug: talk
        for talk in Talk.objects.filter(event__slug=EVENT, slug__in=[c["slug"] for c in cards])
    }
    assert len(cards) > 400
    assert [c["slug"] for c in cards if not c["inside"]] == []
    assert [(c["slug"], c["broken"]) for c in cards if c["broken"]] == []
    for card in cards:
        talk = talks[card["slug"]]
        assert card["title"] == talk.title
        billed = talk.talk_speakers.order_by("position", "id")
        for credited, name in billed.values_list("credited_as", "speaker__name"):
            assert (credited or name) in card["meta"]
    context.close()


def test_the_densest_zoom_shows_fifteen_rooms_on_a_laptop_and_is_remembered(
    browser, live_server, fosdem
):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    url = f"{live_server.url}/{EVENT}/schedule/{SATURDAY}/"
    page.goto(url)

    def rooms_in_view():
        return page.evaluate(
            """() => [...document.querySelectorAll('.grid-room')].filter(head => {
                 const box = head.getBoundingClientRect();
                 return box.left >= 0 && box.right <= document.documentElement.clientWidth;
               }).length"""
        )

    assert rooms_in_view() >= 10
    page.get_by_role("button", name="All rooms").click()
    assert rooms_in_view() >= 15
    page.goto(url)  # the choice is kept in this browser
    assert page.get_by_role("button", name="All rooms").get_attribute("aria-pressed") == "true"
    assert rooms_in_view() >= 15
    context.close()


def axe_core() -> Path | None:
    """axe-core's script: AXE_CORE, else the copy `make lighthouse` installs with Lighthouse."""
    candidates = [os.environ.get("AXE_CORE", "")]
    candidates += sorted(map(str, ROOT.glob(".lighthouse/*/node_modules/axe-core/axe.min.js")))
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


@pytest.mark.parametrize(
    "path",
    [
        f"/{EVENT}/schedule/?day={SATURDAY}",
        f"/{EVENT}/schedule/{SATURDAY}/",
        f"/{EVENT}/now/",
        f"/{EVENT}/search/?q=go",
    ],
    ids=["day-list", "grid", "now", "search"],
)
def test_axe_finds_no_violation(browser, live_server, fosdem, path):
    script = axe_core()
    if script is None:
        pytest.skip("axe-core not found: run `make lighthouse` once, or set AXE_CORE")
    # Our CSP forbids inline scripts, as it should: the test's own script is let in.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    page.add_script_tag(content=script.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]
    ]
    assert violations == []
    context.close()
