"""A cache outage under load: two instances share the database and a Redis that this script
starts on a spare port; wrk reads a mix of pages and exports from both for 60 s while a
talk is edited once a second; Redis is stopped for 10 s in the middle and started again.

Passes when no request fails (no 5xx, no socket error) and every edit is served by both
instances within 10 s — before, during and after the outage. Called by bench/run.py (which
has imported FOSDEM 2025); writes a paragraph for bench/results.md.
"""

import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import load

MIX = """
paths = {%s}
n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {["Accept-Encoding"] = "gzip"})
end
"""


def available() -> bool:
    return load.available() and shutil.which("redis-server") is not None


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def serves(port: int, path: str, text: bytes) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
            return text in answer.read()
    except OSError:
        return False


def run(env: dict, talk_id: int, paths: list[str], seconds: int = 60, outage=(25, 35)) -> dict:
    """Returns wrk's request and error counts and the edits' visibility delays."""
    from django.test.utils import override_settings

    from talks.models import Talk

    redis_port = load.free_port()
    cache_url = f"redis://127.0.0.1:{redis_port}/0"
    env = dict(env, CACHE_URL=cache_url)
    redis = start_redis(redis_port)
    ports = [load.free_port(), load.free_port()]
    servers = [load.start_server(env, port) for port in ports]
    script = Path(tempfile.mkdtemp()) / "mix.lua"
    script.write_text(MIX % ", ".join(f'"{p}"' for p in paths))
    readers = [
        subprocess.Popen(
            ["wrk", "-t1", "-c8", f"-d{seconds}s", "-s", str(script), f"http://127.0.0.1:{port}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    started = time.perf_counter()
    events = []

    def outage_window():
        nonlocal redis
        time.sleep(outage[0])
        stop(redis)
        events.append(f"Redis stopped at {time.perf_counter() - started:.0f} s")
        time.sleep(outage[1] - outage[0])
        redis = start_redis(redis_port)
        events.append(f"started again at {time.perf_counter() - started:.0f} s")

    switch = threading.Thread(target=outage_window)
    switch.start()
    delays, lost, page = [], 0, paths[1]
    cache = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url}
    }
    try:
        with override_settings(CACHES=cache):
            n = 0
            while time.perf_counter() - started < seconds - 12:
                talk = Talk.objects.get(pk=talk_id)
                talk.title = f"Outage edit {n} {time.time():.3f}"
                talk.save()
                saved, wanted = time.perf_counter(), talk.title.encode()
                while not all(serves(port, page, wanted) for port in ports):
                    if time.perf_counter() - saved > 10:
                        lost += 1
                        events.append(
                            f"edit {n} (at {saved - started:.0f} s) not seen on both within 10 s"
                        )
                        break
                    time.sleep(0.02)
                else:
                    delays.append(time.perf_counter() - saved)
                n += 1
                time.sleep(max(0.0, 1 - (time.perf_counter() - saved)))
        switch.join()
        outputs = [reader.communicate(timeout=seconds + 60)[0] for reader in readers]
    finally:
        for server in servers:
            stop(server)
        stop(redis)
    return {
        "requests": sum(_count(r"(\d+) requests in", out) for out in outputs),
        "errors": sum(_count(r"Non-2xx or 3xx responses: (\d+)", out) for out in outputs),
        "socket_errors": sum(sum(_socket_errors(out).values()) for out in outputs),
        "socket_error_kinds": {
            kind: sum(_socket_errors(out).get(kind, 0) for out in outputs)
            for kind in ("connect", "read", "write", "timeout")
        },
        "edits": len(delays) + lost,
        "delays": sorted(delays),
        "lost": lost,
        "events": events,
        "seconds": seconds,
    }


def _count(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    return int(match.group(1)) if match else 0


def _socket_errors(text: str) -> dict[str, int]:
    """wrk's socket errors by kind (a timeout is an answer slower than wrk's 2 s)."""
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    counts = [int(g) for g in match.groups()] if match else [0, 0, 0, 0]
    return dict(zip(("connect", "read", "write", "timeout"), counts, strict=True))


def report(result: dict, paths: list[str]) -> list[str]:
    delays = result["delays"] or [float("nan")]
    verdict = (
        "passed"
        if not (result["errors"] or result["socket_errors"] or result["lost"])
        else "FAILED"
    )
    return [
        "",
        f"Cache outage ({verdict}): two instances (gunicorn, 2 workers each) sharing the "
        f"database and their own Redis; wrk read {', '.join(f'`{p}`' for p in paths)} in turn "
        f"from both for {result['seconds']} s ({result['requests']:,} requests) while a talk "
        f"was edited once a second; {'; '.join(result['events'])}. Non-2xx/3xx responses: "
        f"{result['errors']}; socket errors: {result['socket_errors']}"
        + (
            " ("
            + ", ".join(
                f"{kind} {n}" for kind, n in result.get("socket_error_kinds", {}).items() if n
            )
            + ")"
            if result["socket_errors"]
            else ""
        )
        + "; edits: "
        f"{result['edits']}, each seen on both instances after median "
        f"{delays[len(delays) // 2] * 1000:.0f} ms, worst {delays[-1] * 1000:.0f} ms; "
        f"lost: {result['lost']}.",
    ]
