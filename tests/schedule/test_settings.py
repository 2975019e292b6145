"""Settings come from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=clean | {"DJANGO_SETTINGS_MODULE": "schedule.project.settings"} | env,
        timeout=120,
    )


def test_settings_refuse_to_start_without_a_secret_when_debug_is_off():
    result = run_django("check", DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_schema_commands_run_without_a_secret_when_debug_is_off():
    result = run_django("makemigrations", "--check", "--dry-run", DJANGO_DEBUG="0")

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_debug_mode_starts_without_a_secret_for_local_use():
    result = run_django("check", DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_is_clean_with_production_settings():
    result = run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k8Jq2-very-long-random-production-secret-value-for-tests-5mZ0xWq",
        DJANGO_ALLOWED_HOSTS="schedule.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def sqlite_pragmas(**env) -> subprocess.CompletedProcess:
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0]\n"
        "    c.execute('PRAGMA synchronous'); sync = c.fetchone()[0]\n"
        "print(mode, sync)\n"
    )
    return run_django("shell", "--no-imports", "-c", code, DJANGO_DEBUG="1", **env)


def test_sqlite_runs_write_ahead_logged_with_normal_syncs(tmp_path):
    result = sqlite_pragmas(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "1"]  # 1: NORMAL


def test_sqlite_syncs_every_commit_when_asked_and_refuses_nonsense(tmp_path):
    url = f"sqlite:///{tmp_path}/db.sqlite3"

    assert sqlite_pragmas(DATABASE_URL=url, SQLITE_SYNCHRONOUS="full").stdout.split() == [
        "wal",
        "2",
    ]
    refused = sqlite_pragmas(DATABASE_URL=url, SQLITE_SYNCHRONOUS="off")
    assert refused.returncode != 0
    assert "SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA" in refused.stderr


def test_pieces_go_to_the_next_redis_database_so_emptying_the_pages_keeps_them():
    from schedule.project.settings_services import pieces_cache_from_url

    assert pieces_cache_from_url("redis://r:6379/0", 0.5)["LOCATION"] == "redis://r:6379/1"
    assert pieces_cache_from_url("redis://r:6379", 0.5)["LOCATION"] == "redis://r:6379/1"
    assert "LocMemCache" in pieces_cache_from_url("", 0.5)["BACKEND"]
    # No next database: the same one under a prefix, never a broken URL.
    for url in ("redis://r:6379/15", "redis://a:6379/0,redis://b:6379/0", "redis://r?db=3"):
        pieces = pieces_cache_from_url(url, 0.5)
        assert (pieces["LOCATION"], pieces["KEY_PREFIX"]) == (url, "pieces")
