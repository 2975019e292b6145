"""The Content-Security-Policy holds on real pages: no violation is reported by Chromium on
public pages (with their scripts running) nor on admin forms."""

import pytest
from django.core.management import call_command

from schedule.models import Event
from talks.models import Talk
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


@pytest.fixture
def seeded(transactional_db):
    call_command("loaddata", "demo", verbosity=0)
    return Event.objects.get(slug="fosdem-2014")


def violations(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__violations")


def test_public_pages_and_admin_forms_raise_no_csp_violation(browser, live_server, seeded):
    talk = Talk.objects.filter(event=seeded).first()
    speaker = talk.speakers.first()
    make_user("admin", superuser=True)
    context = browser.new_context()
    context.add_init_script(RECORD)
    page = context.new_page()
    page.goto(f"{live_server.url}/fosdem-2014/schedule/all/")
    page.click(f'button[data-star="{talk.slug}"]')  # so the starred page fetches a list

    public = [
        "/fosdem-2014/",
        "/fosdem-2014/schedule/?day=2014-02-01",
        "/fosdem-2014/schedule/2014-02-01/",
        f"/fosdem-2014/talks/{talk.slug}/",
        f"/fosdem-2014/speakers/{speaker.slug}/",
        "/fosdem-2014/speakers/",
        "/fosdem-2014/search/?q=openstack",
        "/fosdem-2014/starred/",
        "/fosdem-2014/changes/",
        "/fosdem-2014/now/",
    ]
    found = {path: violations(page, live_server.url + path) for path in public}

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    admin = [
        "/admin/",
        f"/admin/talks/talk/{talk.pk}/change/",
        f"/admin/talks/talk/add/?event={seeded.pk}",
        f"/admin/schedule/event/{seeded.pk}/change/",
        f"/admin/releases/release/prepare/{seeded.pk}/",
        "/admin/talks/speaker/",
    ]
    found |= {path: violations(page, live_server.url + path) for path in admin}

    response = page.request.get(f"{live_server.url}/fosdem-2014/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert {path: v for path, v in found.items() if v} == {}
    context.close()
