"""Dependency outages under load: two instances share the database and a Redis that this
script starts on a spare port; wrk reads a mix of pages and exports from both for 60 s while
a talk is edited once a second; for 10 s in the middle one dependency fails (bench/faults.py:
Redis stopped, Redis paused, or the database black-holed) and then comes back.

Passes when every answer is a 2xx/3xx (or, with the database gone, the documented 503), none
takes 3 s or more (wrk waits 5 s), and every edit is served by both instances within 10 s,
before, during (while the database is up) and after the outage. Called by bench/run.py
(which has imported FOSDEM 2025); writes a paragraph per outage for bench/results.md.
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

import faults
import load

MIX = """
paths = {%s}
n = 0
threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {["Accept-Encoding"] = "gzip"})
end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("status %%d %%d\\n", status, count))
    end
  end
  io.write(string.format("slowest %%d\\n", latency.max))
end
"""
FAULTS = ("Redis stopped", "Redis paused", "database black-holed")


def available() -> bool:
    return load.available() and shutil.which("redis-server") is not None


def serves(port: int, path: str, text: bytes) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
            return text in answer.read()
    except OSError:
        return False


def run(env: dict, talk_id: int, paths: list[str], fault: str, seconds=60, window=(25, 35)):
    """Returns wrk's answers by status, its slowest, and the edits' visibility delays."""
    from django.test.utils import override_settings

    from schedule.project.settings_services import caches_from_url
    from talks.models import Talk

    redis_port = load.free_port()
    cache_url = f"redis://127.0.0.1:{redis_port}/0"
    env = dict(env, CACHE_URL=cache_url)
    redis_kind = faults.RedisPaused if fault == "Redis paused" else faults.RedisStopped
    redis = redis_kind(faults.start_redis, redis_port)
    injected = redis
    if fault == "database black-holed":
        injected = faults.DatabaseBlackHoled(env["DATABASE_URL"])
        env["DATABASE_URL"] = injected.database_url
    ports = [load.free_port(), load.free_port()]
    servers = [load.start_server(env, port) for port in ports]
    script = Path(tempfile.mkdtemp()) / "mix.lua"
    script.write_text(MIX % ", ".join(f'"{p}"' for p in paths))
    readers = [
        subprocess.Popen(
            ["wrk", "-t1", "-c8", f"-d{seconds}s", "--timeout", "5s", "-s", str(script)]
            + [f"http://127.0.0.1:{port}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    started = time.perf_counter()
    events, failing = [], threading.Event()

    def outage_window():
        time.sleep(window[0])
        injected.begin()
        failing.set()
        events.append(f"{fault} at {time.perf_counter() - started:.0f} s")
        time.sleep(window[1] - window[0])
        injected.end()
        failing.clear()
        events.append(f"back at {time.perf_counter() - started:.0f} s")

    switch = threading.Thread(target=outage_window)
    switch.start()
    delays, lost, page = [], 0, paths[1]
    cache = caches_from_url(cache_url, 0.5)
    try:
        with override_settings(CACHES=cache):
            n = 0
            while time.perf_counter() - started < seconds - 12:
                if failing.is_set() and not injected.edits_during:
                    time.sleep(0.2)  # the instances cannot read edits until it is back
                    continue
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
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        redis.close()
        if injected is not redis:
            injected.close()
    statuses = {}
    for out in outputs:
        for status, count in re.findall(r"^status (\d+) (\d+)$", out, re.M):
            statuses[int(status)] = statuses.get(int(status), 0) + int(count)
    return {
        "fault": fault,
        "requests": sum(_count(r"(\d+) requests in", out) for out in outputs),
        "statuses": statuses,
        "slowest_ms": max(_count(r"^slowest (\d+)$", out) for out in outputs) / 1000,
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
    match = re.search(pattern, text, re.M)
    return int(match.group(1)) if match else 0


def _socket_errors(text: str) -> dict[str, int]:
    """wrk's socket errors by kind (a timeout is an answer slower than wrk's 2 s)."""
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    counts = [int(g) for g in match.groups()] if match else [0, 0, 0, 0]
    return dict(zip(("connect", "read", "write", "timeout"), counts, strict=True))


def report(result: dict, paths: list[str]) -> list[str]:
    delays = result["delays"] or [float("nan")]
    allowed = {503} if result["fault"] == "database black-holed" else set()
    unexpected = {
        status: n
        for status, n in result["statuses"].items()
        if not 200 <= status < 400 and status not in allowed
    }
    passed = not (unexpected or result["socket_errors"] or result["lost"])
    passed = passed and result["slowest_ms"] < 3000
    shown = ", ".join(f"{status}: {n:,}" for status, n in sorted(result["statuses"].items()))
    kinds = ", ".join(f"{k} {n}" for k, n in result.get("socket_error_kinds", {}).items() if n)
    return [
        "",
        f"Outage, {result['fault']} ({'passed' if passed else 'FAILED'}): two instances "
        f"(gunicorn, 2 workers each) sharing the database and their own Redis; wrk read "
        f"{', '.join(f'`{p}`' for p in paths)} in turn from both for {result['seconds']} s "
        f"({result['requests']:,} requests) while a talk was edited once a second; "
        f"{'; '.join(result['events'])}. Answers by status: {shown}; slowest "
        f"{result['slowest_ms']:.0f} ms; socket errors: {result['socket_errors']}"
        + (f" ({kinds})" if kinds else "")
        + f"; edits: {result['edits']}, each seen on both instances after median "
        f"{delays[len(delays) // 2] * 1000:.0f} ms, worst {delays[-1] * 1000:.0f} ms; "
        f"lost: {result['lost']}.",
    ]
