"""Browser tests drive Debian's Chromium through Playwright (no downloaded browsers).

Without /usr/bin/chromium they are skipped with a loud note, except on CI (CI=true), where
a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SKIP_REASON = f"Chromium not found at {CHROMIUM}"

# Playwright's sync API keeps an event loop in this thread; the ORM calls made by the test
# itself (creating data) are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_terminal_summary(terminalreporter):
    """Counted from the skip reports, so it also works when pytest-xdist ran the tests."""
    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if SKIP_REASON in str(r.longrepr)
    ]
    if skipped:
        terminalreporter.section("BROWSER TESTS SKIPPED", sep="!", red=True, bold=True)
        terminalreporter.line(
            f"{len(skipped)} browser test(s) did not run: {SKIP_REASON}. "
            "Install it with: sudo apt-get install -y chromium",
            red=True,
            bold=True,
        )


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if ON_CI:
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}")
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def screenshot(tmp_path_factory):
    """Saves into docs/screenshots/ with UPDATE_SCREENSHOTS=1 (make screenshots), else into
    a temporary folder, so a plain test run leaves the working tree clean."""
    if os.environ.get("UPDATE_SCREENSHOTS"):
        folder = SCREENSHOTS
    else:
        folder = tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)

    return take
