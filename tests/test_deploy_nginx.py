"""deploy/nginx.conf is code: `nginx -t` accepts it, and static files, pages, exports, the
admin and /healthz answer through it in front of gunicorn running the production settings
(TLS swapped for a plain port). Skipped without nginx (CI installs Debian's)."""

import os
import subprocess
import time
import urllib.request

import pytest
from django.db import connection

from bench import load, proxy
from schedule.caching import PAGES
from tests.factories import make_event, make_talk

SHARED_SECONDS = PAGES.shared_seconds
needs_nginx = pytest.mark.skipif(not proxy.available(), reason="nginx is not installed")


@needs_nginx
def test_the_shipped_nginx_configuration_passes_nginx_t(tmp_path):
    done = proxy.check(proxy.site_config(tmp_path, load.free_port(), load.free_port()))
    assert done.returncode == 0, done.stderr


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Host": proxy.SITE_HOST, **headers})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@needs_nginx
@pytest.mark.skipif(not load.GUNICORN.exists(), reason="gunicorn is not installed")
def test_static_pages_exports_admin_and_health_answer_through_it(transactional_db, tmp_path):
    event = make_event(slug="fosdem-2025")
    talk = make_talk(event=event, slug="keynote", title="Keynote")
    quiet = make_talk(event=event, slug="closing", title="Closing")
    env = {
        **load.server_env(database_url(), tmp_path / "static"),
        "DJANGO_ALLOWED_HOSTS": proxy.SITE_HOST,  # only the site's name: Host must be forwarded
        "DJANGO_SECURE_SSL_REDIRECT": "1",  # and the scheme: else every answer redirects
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DJANGO_SETTINGS_MODULE": "schedule.project.settings",
        "SCHEDULE_BASE_URL": "",  # links from the request: the forwarded host and scheme
    }
    subprocess.run(
        [str(load.GUNICORN.parent / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env, cwd=load.ROOT, check=True,
    )  # fmt: skip
    static = next((tmp_path / "static" / "css").glob("*.*.css")).name  # a hashed name
    app_port = load.free_port()
    server = load.start_server(
        {**env, "DJANGO_ALLOWED_HOSTS": f"{proxy.SITE_HOST},127.0.0.1"}, app_port
    )
    try:
        with proxy.running(tmp_path, load.free_port(), app_port) as base:
            answers = {
                path: fetch(base + path)
                for path in (
                    f"/static/css/{static}",
                    "/fosdem-2025/",
                    "/fosdem-2025/talks/keynote/",
                    "/fosdem-2025/schedule.ics",
                    "/fosdem-2025/schedule.xml",
                    "/admin/login/",
                    "/healthz",
                )
            }
            again = fetch(base + "/fosdem-2025/")
            quiet_url = base + "/fosdem-2025/talks/closing/"
            fetch(quiet_url)  # nginx keeps it; then an edit, and nobody asks for a while
            quiet.title = "Closing, moved"
            quiet.save()
            seconds = seconds_until_served(base + "/fosdem-2025/talks/keynote/", talk)
            time.sleep(max(0, 2 * SHARED_SECONDS + 1 - seconds))
            after_quiet = fetch(quiet_url)[2]  # the first visitor after the quiet spell
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert {path: status for path, (status, _h, _b) in answers.items()} == dict.fromkeys(
        answers, 200
    )
    assert b"Keynote" in answers["/fosdem-2025/talks/keynote/"][2]
    assert answers["/fosdem-2025/schedule.ics"][2].startswith(b"BEGIN:VCALENDAR")
    assert again[1].get("X-Cache") == "HIT"  # nginx keeps public pages (s-maxage)
    assert "X-Cache" not in answers["/admin/login/"][1]  # the admin is never cached
    assert "https://schedule.example.org/fosdem-2025/" in answers["/fosdem-2025/"][2].decode()
    assert os.path.exists(tmp_path / "access.log")
    assert seconds <= 10  # an edit reaches visitors through nginx within 10 s (docs)
    assert b"Closing, moved" in after_quiet  # however quiet the page was meanwhile


def seconds_until_served(url: str, talk) -> float:
    """Edit the talk (nginx holds its page) and poll through nginx until the edit shows."""
    assert fetch(url)[1].get("X-Cache") in ("HIT", "MISS", "EXPIRED", "UPDATING")
    talk.title = "Keynote, moved"
    talk.save()
    started = time.monotonic()
    while time.monotonic() - started < SHARED_SECONDS + 10:
        if b"Keynote, moved" in fetch(url)[2]:
            return time.monotonic() - started
        time.sleep(0.25)
    return float("inf")
