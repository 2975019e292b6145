"""Under load: gunicorn (2 workers) on 127.0.0.1, wrk with Accept-Encoding: gzip.

Called by bench/run.py with the benchmark's database. Compares the day grid, a talk page,
schedule.ics and a 304 with a static file of similar size served by whitenoise (and
whitenoise's own 304), as requests per second, median of `runs` runs.
"""

import gzip
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import proxy

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, static_root: Path, cache_url: str = "") -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="schedule.project.settings",
        DJANGO_SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=str(static_root),
        CACHE_URL=cache_url,
        # As in production (README): every instance serves one site, so links in exports,
        # cache keys and stored pieces are the same whichever instance (port) answers.
        SCHEDULE_BASE_URL="http://schedule.bench.test",
    )
    return env


def start_server(env: dict, port: int, workers: int = 2) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "schedule.project.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # As a TLS proxy would forward it: with DJANGO_BEHIND_TLS_PROXY the app trusts it and
    # does not redirect; without, it is an ordinary header.
    probe = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(probe, timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    process.wait()
    raise RuntimeError("gunicorn did not start")


def wrk(url: str, seconds: int, headers: dict) -> tuple[float, int]:
    command = ["wrk", "-t2", "-c32", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return rate, int(errors.group(1)) if errors else 0 + (1 if socket_errors else 0)


def prepare_static(static_root: Path, body: bytes, gzipped: bytes, name: str) -> str:
    """A page's own bytes as a static file, with the app's own gzip of it as its .gz: the
    same bytes as the app sends, served as whitenoise and nginx serve files."""
    target = static_root / "bench" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    assert gzip.decompress(gzipped) == body, "the app's gzip is not of the same page"
    (target.parent / f"{name}.gz").write_bytes(gzipped)
    return f"/static/bench/{name}"


def rates(base: str, targets: list[tuple[str, str, dict]], seconds: int, runs: int) -> dict:
    """Label -> (median requests/s, errors) of each target path under `base`. The targets
    take turns within each run (page, its static file, page, ...), so a page and the file it
    is compared with are measured seconds apart, not minutes: the machine's drift over a
    run cancels out of their ratio."""
    prepared = []
    for label, path, headers in targets:
        url = f"{base}{path}"
        headers = resolved(url, headers)
        try:  # warm the worker's cache (and nginx's)
            urllib.request.urlopen(urllib.request.Request(url, headers=headers))
        except urllib.error.HTTPError as answer:
            if answer.code != 304:
                raise
        prepared.append((label, url, headers))
    measured = {label: [] for label, _, _ in prepared}
    errors = dict.fromkeys(measured, 0)
    for _ in range(runs):
        for label, url, headers in prepared:
            rate, failed = wrk(url, seconds, {"Accept-Encoding": "gzip", **headers})
            measured[label].append(rate)
            errors[label] += failed
    return {label: (statistics.median(rates), errors[label]) for label, rates in measured.items()}


def resolved(url: str, headers: dict) -> dict:
    """`headers` with an If-None-Match of "current" replaced by the URL's ETag (of the
    encoding wrk asks for; this server's, with the host in it)."""
    if headers.get("If-None-Match") != "current":
        return headers
    gzip = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(gzip) as answer:
        return {**headers, "If-None-Match": answer.headers["ETag"]}


def measure(env: dict, targets: list[tuple[str, str, dict]], seconds: int, runs: int) -> dict:
    port = free_port()
    server = start_server(env, port)
    try:
        results = rates(f"http://127.0.0.1:{port}", targets, seconds, runs)
        results["_peak_worker_mib"] = peak_worker_mib(server.pid)
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def measure_behind_nginx(
    env: dict, targets: list[tuple[str, str, dict]], static_dir: Path, seconds: int, runs: int
) -> dict:
    """The same through deploy/nginx.conf (bench/proxy.py), against the static copies in
    `static_dir` served by nginx itself (their .gz for gzip clients) with the page's own
    response headers, so that a page and its copy put the same bytes on the wire (see
    same_bytes_location); and each copy through a bare nginx proxy_cache (its label with
    " via proxy_cache"): what caching in nginx costs with nothing of ours in the way."""
    port, listen = free_port(), free_port()
    server = start_server(env, port)
    try:
        pages = {label: path for label, path, _ in targets}
        extra = (
            f"    location /bench-cached/ {{ proxy_pass http://127.0.0.1:{listen}/bench-same/; "
            "proxy_http_version 1.1; proxy_cache schedule; }\n"
        )
        measured = []
        for label, path, headers in targets:
            if ": static file" in label:
                name = path.rsplit("/", 1)[1]
                page = pages[label.split(":")[0].replace(", 304", "")]
                revalidated = "If-None-Match" in headers
                app_headers = page_headers(f"http://127.0.0.1:{port}{page}")
                extra += same_bytes_location(name, static_dir, app_headers, revalidated)
                path = f"/bench-same{'-304' if revalidated else ''}/{name}"
                measured.append((f"{label} via proxy_cache", f"/bench-cached/{name}", headers))
            measured.append((label, path, headers))
        with tempfile.TemporaryDirectory() as work:
            with proxy.running(Path(work), listen, port, extra) as base:
                results = rates(base, measured, seconds, runs)
                results["_wire_bytes"] = {
                    label: wire_bytes(base + path, headers) for label, path, headers in measured
                }
                return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# Sent by nginx itself on either side (Last-Modified: a file's date on the static side, of
# the same length), or by gzip_static (the encoding, the length).
NGINX_OWN = {"server", "date", "connection", "content-length", "content-encoding", "last-modified"}


def page_headers(url: str) -> list[tuple[str, str]]:
    """The headers the app sends with a page to a gzip client (what nginx keeps with its
    copy), and the X-Cache the shipped location adds to a hit."""
    request = urllib.request.Request(
        url, headers={"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request) as answer:
        kept = [(k, v) for k, v in answer.headers.items() if k.lower() not in NGINX_OWN]
    return kept + [("X-Cache", "HIT")]


def same_bytes_location(
    name: str, static_dir: Path, headers: list[tuple[str, str]], revalidated: bool = False
) -> str:
    """An nginx location serving static_dir/name with `headers` as the app sends them.
    Loopback benchmarks of answers near 64 KB swing with the header's size alone: nginx
    serving the day grid's file with 500 more header bytes ran at 40 % of the rate
    (bench/results.md), so a page is compared with its file sent with its own headers. For
    a 304 (`revalidated`), nginx's own static 304: its ETag, the app's other headers."""

    def quoted(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"alias {static_dir}/{name};", "gzip_static on;", "types { }"]
    lines.append("etag on;" if revalidated else "etag off;")
    for key, value in headers:
        if key.lower() == "content-type":
            lines.append(f"default_type {quoted(value)};")
        elif not (revalidated and key.lower() == "etag"):
            lines.append(f"add_header {key} {quoted(value)};")
    prefix = "/bench-same-304" if revalidated else "/bench-same"
    return f"    location = {prefix}/{name} {{ " + " ".join(lines) + " }\n"


def wire_bytes(url: str, headers: dict) -> int:
    """Status line, headers and body of the answer wrk gets, as sent."""
    command = ["curl", "-s", "-D", "-", "-o", "/dev/null", "-w", "%{size_download}"]
    for name, value in {"Accept-Encoding": "gzip", **resolved(url, headers)}.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, check=True).stdout
    head, _, body = output.rpartition(b"\r\n\r\n")
    return len(head) + 4 + int(body)


def peak_worker_mib(master_pid: int) -> float:
    """The largest peak resident size (VmHWM) among the master's worker processes, in MiB
    (Linux /proc; 0 elsewhere)."""
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid) and "VmHWM" in fields:
            peak = max(peak, int(fields["VmHWM"].split()[0]))
    return round(peak / 1024, 1)


def available() -> bool:
    return shutil.which("wrk") is not None and GUNICORN.exists()


STREAK = 6


def propagation(
    env: dict, talk_id: int, path: str, edits: int, cache_settings: dict, instances: int = 2
) -> dict:
    """`instances` gunicorn instances (2 workers each) share the database (and the cache,
    if shared); the benchmark edits a talk once a second (as an organiser's save would,
    through the ORM with the same cache settings) while wrk reads from all of them, and
    measures how long until the last instance serves each edit from every worker: the
    time of STREAK answers in a row with the edit (with two workers answering at random,
    six in a row all from one of them happens 3 % of the time)."""
    from django.test.utils import override_settings

    from talks.models import Talk

    ports = [free_port() for _ in range(instances)]
    servers = [start_server(env, port) for port in ports]
    readers = [
        subprocess.Popen(
            [
                "wrk",
                "-t1",
                "-c8",
                f"-d{edits + 5}s",
                "-H",
                "Accept-Encoding: gzip",
                f"http://127.0.0.1:{port}{path}",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    delays, lost = [], 0
    try:
        with override_settings(CACHES=cache_settings):
            for n in range(edits):
                talk = Talk.objects.get(pk=talk_id)
                talk.title = f"Benchmark edit {n} {time.time():.3f}"
                talk.save()
                saved = time.perf_counter()
                seen = 0
                while True:
                    with urllib.request.urlopen(f"http://127.0.0.1:{ports[-1]}{path}") as answer:
                        seen = seen + 1 if talk.title.encode() in answer.read() else 0
                    if seen == STREAK:
                        delays.append(time.perf_counter() - saved)
                        break
                    if time.perf_counter() - saved > 10:
                        lost += 1
                        break
                    time.sleep(0.005)
                time.sleep(max(0.0, 1 - (time.perf_counter() - saved)))
        outputs = [reader.communicate(timeout=60)[0] for reader in readers]
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    errors = sum(
        int(m.group(1))
        for out in outputs
        for m in [re.search(r"Non-2xx or 3xx responses: (\d+)", out)]
        if m
    )
    return {"delays": delays, "lost": lost, "errors": errors}
