"""A dependency that hangs (accepts connections, never answers) gives the same answers as
one that is stopped, within 3 s: cached or cheap pages 200, the rest 503 with Retry-After,
/healthz "failing". Each case runs the app in a fresh process against a black hole: a
local listener that accepts and never says a word."""

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, time
import django
django.setup()
from django.core.management import call_command
from django.test import Client
if {migrate}:
    call_command("migrate", verbosity=0)
client = Client(raise_request_exception=False)
answers = []
for path in {paths}:
    started = time.monotonic()
    response = client.get(path, secure=True)  # production settings redirect plain http
    answers.append([path, response.status_code, round(time.monotonic() - started, 2),
                    response.get("Retry-After")])
print(json.dumps(answers))
"""


@pytest.fixture
def black_hole():
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for connection in held:
        connection.close()


def probe(paths, env, migrate=False) -> list:
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "schedule.project.settings",
        "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
    } | env
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(paths=list(paths), migrate=migrate)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_database_that_never_answers_gives_503s_within_3_seconds(black_hole):
    answers = probe(
        ["/healthz", "/", "/fosdem-2025/schedule.ics"],
        {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{black_hole}/schedule"},
    )

    for path, status, seconds, retry_after in answers:
        assert seconds < 3, (path, seconds)
        assert status == 503, (path, status)
        if path != "/healthz":
            assert retry_after == "30"
    # The first page waited for its connection attempt; the next needed no attempt of its own.
    assert answers[-1][2] < 0.5, answers


def test_a_cache_that_never_answers_costs_a_request_at_most_a_moment(black_hole, tmp_path):
    answers = probe(
        ["/healthz", "/", "/", "/speakers/"],
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "CACHE_URL": f"redis://127.0.0.1:{black_hole}/0",
            "DJANGO_DEBUG": "1",  # pages with their static files, without collectstatic
        },
        migrate=True,
    )

    assert answers[0][1] == 503  # /healthz: the cache is failing, the balancer should know
    for path, status, seconds, _ in answers:
        assert seconds < 3, (path, seconds)
        if path != "/healthz":
            assert status == 200, (path, status)
