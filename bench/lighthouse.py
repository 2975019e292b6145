"""Lighthouse scores of nine FOSDEM 2025 pages, served production-style (not a test).

    python bench/lighthouse.py [--runs 3] [--data DIR] [--out bench/lighthouse.md]

`make lighthouse` installs Lighthouse (npm, pinned) into .lighthouse/ and runs this. It:

1. makes a fresh SQLite database in a temporary folder, migrates it and imports FOSDEM 2025
   (from ../shared/data/real/fosdem/, or $LIGHTHOUSE_DATA / --data);
2. collects the static files into the same temporary folder and starts gunicorn with DEBUG
   off (whitenoise serves the compressed, hashed files with far-future caching), on a free
   port of 127.0.0.1; only the HTTPS redirect and HSTS are turned off, for plain http;
3. warms each page's cache, then runs Lighthouse (mobile emulation, the default) `--runs`
   times per page with Debian's Chromium ($CHROME_PATH, default /usr/bin/chromium);
4. writes the median score of each category to bench/lighthouse.md, keeps the JSON
   reports under bench/lighthouse-reports/ (git-ignored; replaced on each run) and prints,
   for each page, the audits scoring under 0.9 in the run with the median performance score.

Exits non-zero when a page does not load (HTTP error or a Lighthouse runtime error).
Scores vary between machines and runs; compare changes on one machine.
"""

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVENT = "fosdem-2025"
DAY = "2025-02-01"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PASS = 0.9
MAX_ITEMS = 10  # detail rows printed per failing audit


def find_data(explicit: str | None) -> Path:
    candidates = [explicit, os.environ.get("LIGHTHOUSE_DATA")]
    if os.environ.get("SCHEDULE_TEST_DATA"):
        candidates.append(str(Path(os.environ["SCHEDULE_TEST_DATA"]) / "real/fosdem"))
    candidates.append(str(ROOT.parent / "shared/data/real/fosdem"))
    for candidate in candidates:
        if candidate and (Path(candidate) / "fosdem-2025-schedule.xml").is_file():
            return Path(candidate)
    sys.exit(
        "fosdem-2025-schedule.xml not found in ../shared/data/real/fosdem/: "
        "pass --data DIR or set LIGHTHOUSE_DATA=DIR"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)


def pick_pages(env: dict) -> list[tuple[str, str]]:
    """The pages measured; the devroom, talk and speaker are chosen through the ORM."""
    script = f"""
import json
import django
django.setup()
from django.db.models import Count, Q
from django.db.models.functions import Length
from schedule.models import Devroom
from talks.models import Speaker, Talk

devroom = (Devroom.objects.filter(event__slug="{EVENT}")
           .annotate(n=Count("talks")).order_by("-n", "slug").first())
talk = (Talk.objects.filter(event__slug="{EVENT}", devroom=devroom).exclude(abstract="")
        .annotate(n=Count("speakers"), size=Length("abstract")).filter(n__gt=0)
        .order_by("-size", "slug").first())
speaker = (Speaker.objects.filter(talks__event__slug="{EVENT}")
           .annotate(n=Count("talks", filter=Q(talks__event__slug="{EVENT}")))
           .order_by("-n", "slug").first())
print(json.dumps({{
    "devroom": [devroom.slug, devroom.talks.count()],
    "talk": talk.slug,
    "speaker": [speaker.slug, speaker.n],
}}))
"""
    found = json.loads(
        run([sys.executable, "-c", script], env, capture_output=True, text=True).stdout
    )
    devroom, talks = found["devroom"]
    speaker, speaker_talks = found["speaker"]
    return [
        ("event home", f"/{EVENT}/"),
        ("day list", f"/{EVENT}/schedule/?day={DAY}"),
        ("day grid", f"/{EVENT}/schedule/{DAY}/"),
        (f"devroom ({talks} talks)", f"/{EVENT}/devrooms/{devroom}/"),
        ("talk (longest abstract of that devroom)", f"/{EVENT}/talks/{found['talk']}/"),
        (f"speaker ({speaker_talks} talks)", f"/{EVENT}/speakers/{speaker}/"),
        ("search", f"/{EVENT}/search/?q=kubernetes"),
        ("search, a devroom's name", f"/{EVENT}/search/?q=go"),
        ("now and next (after the event: every room's last talk)", f"/{EVENT}/now/"),
    ]


def wait_for(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}: see its log in the reports folder")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer {url} within {timeout:.0f} s")


def fetch_status(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def lighthouse_run(lighthouse: str, url: str, output: Path, env: dict) -> dict:
    command = [
        lighthouse,
        url,
        "--output=json",
        f"--output-path={output}",
        "--chrome-flags=--headless=new --no-sandbox",
        f"--only-categories={','.join(CATEGORIES)}",
        "--quiet",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if not output.is_file():
        sys.stderr.write(result.stdout + result.stderr)
        raise RuntimeError(f"Lighthouse wrote no report for {url} (exit {result.returncode})")
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        error = report["runtimeError"]
        raise RuntimeError(f"{url}: {error.get('code')}: {error.get('message')}")
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise RuntimeError(f"Lighthouse exited {result.returncode} on {url}")
    return report


def scores(report: dict) -> dict:
    return {
        name: None
        if report["categories"][name]["score"] is None
        else round(report["categories"][name]["score"] * 100)
        for name in CATEGORIES
    }


def describe_item(item: dict) -> str:
    """One detail row of an audit, with whatever it carries that helps find the cause."""
    parts = []
    node = item.get("node") if isinstance(item.get("node"), dict) else None
    if node:
        if node.get("selector"):
            parts.append(f"`{node['selector']}`")
        if node.get("snippet"):
            parts.append(node["snippet"][:160])
        if node.get("explanation"):
            parts.append("— " + " ".join(node["explanation"].split())[:300])
    source = item.get("source")
    if isinstance(source, dict) and source.get("type") == "node":
        parts.append(f"`{source.get('selector', '')}` {source.get('snippet', '')[:160]}")
    elif isinstance(source, dict):
        parts.append(str(source.get("url") or source.get("value") or ""))
    if isinstance(item.get("url"), str) and item["url"]:
        parts.append(item["url"])
    if isinstance(item.get("href"), str):
        parts.append(f"link “{item.get('text', '')}” to {item['href']}")
    for key in ("statistic", "label", "groupLabel", "description", "phase", "timing"):
        value = item.get(key)
        if isinstance(value, (str, int, float)) and value != "":
            parts.append(f"{key}={value}")
    value = item.get("value")
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, (str, int, float)):
        parts.append(f"value={value}")
    for key in ("totalBytes", "wastedBytes", "transferSize"):
        if isinstance(item.get(key), (int, float)) and item[key]:
            parts.append(f"{key}={item[key] / 1024:.1f} KiB")
    for key in ("wastedMs", "duration", "startTime", "cacheLifetimeMs"):
        if isinstance(item.get(key), (int, float)) and item[key]:
            parts.append(f"{key}={item[key]:.0f} ms")
    related = item.get("relatedNode")
    if isinstance(related, dict) and related.get("selector"):
        parts.append(f"`{related['selector']}`")
    sub = item.get("subItems", {}).get("items") if isinstance(item.get("subItems"), dict) else None
    if sub:
        described = list(dict.fromkeys(describe_item(s) for s in sub))
        parts.append("(near: " + ", ".join(described[:3]) + ")")
    return " ".join(parts) if parts else json.dumps(item)[:200]


def grouped_rows(rows: list[dict]) -> list[str]:
    """Detail rows, those on the same selector (e.g. 80 talk links) folded into one."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        node = row.get("node") if isinstance(row.get("node"), dict) else {}
        key = node.get("selector") or describe_item(row)
        groups.setdefault(key, []).append(row)
    lines = []
    for members in groups.values():
        count = f"{len(members)}× " if len(members) > 1 else ""
        lines.append(f"{count}{describe_item(members[0])}")
    return lines


def detail_rows(details: dict | None) -> list[dict]:
    if not details:
        return []
    if details.get("type") == "list":  # e.g. largest-contentful-paint-element: tables in a list
        rows = []
        for part in details.get("items", []):
            rows.extend(detail_rows(part))
        return rows
    if details.get("type") == "list-section":  # newer insights: a request chain, or text
        value = details.get("value") or {}
        return detail_rows(value) if value.get("type") == "network-tree" else []
    if details.get("type") == "network-tree":  # flattened: each request of the chains
        rows, pending = [], list(details.get("chains", {}).values())
        while pending:
            node = pending.pop(0)
            rows.append({"url": node.get("url"), "transferSize": node.get("transferSize")})
            pending.extend(node.get("children", {}).values())
        return rows
    return [row for row in details.get("items", []) if isinstance(row, dict)]


def key_facts(report: dict) -> list[str]:
    """Metrics and page facts worth seeing even when they pass."""
    audits = report["audits"]
    metrics = [
        ("FCP", "first-contentful-paint"),
        ("LCP", "largest-contentful-paint"),
        ("TBT", "total-blocking-time"),
        ("CLS", "cumulative-layout-shift"),
        ("SI", "speed-index"),
    ]
    shown = ", ".join(
        f"{name} {audits[key].get('displayValue', '?')}" for name, key in metrics if key in audits
    )
    lines = [f"  Metrics: {shown}"]
    lcp = detail_rows(audits.get("largest-contentful-paint-element", {}).get("details"))
    if lcp:
        lines.append(f"  LCP element: {describe_item(lcp[0])}")
    facts = []
    for key in (
        "dom-size",
        "total-byte-weight",
        "render-blocking-resources",
        "server-response-time",
    ):
        audit = audits.get(key)
        if audit and audit.get("scoreDisplayMode") not in ("error", "notApplicable"):
            facts.append(f"{key}: {audit.get('displayValue') or 'none'}")
    requests = detail_rows(audits.get("network-requests", {}).get("details"))
    facts.append(f"{len(requests)} requests")
    lines.append("  Page: " + "; ".join(facts))
    errored = sorted(
        key for key, audit in audits.items() if audit.get("scoreDisplayMode") == "error"
    )
    if errored:
        first = audits[errored[0]].get("errorMessage", "")
        lines.append(f"  Not computed by Lighthouse (errors): {', '.join(errored)} — {first[:160]}")
    return lines


def failing_audits(report: dict) -> list[str]:
    lines = key_facts(report)
    for name in CATEGORIES:
        category = report["categories"][name]
        failed = []
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if audit.get("scoreDisplayMode") not in ("binary", "numeric", "metricSavings"):
                continue
            if audit.get("score") is None or audit["score"] >= PASS:
                continue
            failed.append((ref, audit))
        score = category["score"]
        lines.append(
            f"  {category['title']} ({'-' if score is None else round(score * 100)}):"
            + ("" if failed else " no audit under 0.9")
        )
        for ref, audit in failed:
            shown = f" — {audit['displayValue']}" if audit.get("displayValue") else ""
            weight = f", weight {ref['weight']}" if ref.get("weight") else ""
            lines.append(
                f"    - [{audit['score']:.2f}{weight}] {audit['id']}: {audit['title']}{shown}"
            )
            rows = grouped_rows(detail_rows(audit.get("details")))
            for row in rows[:MAX_ITEMS]:
                lines.append(f"        · {row}")
            if len(rows) > MAX_ITEMS:
                lines.append(f"        · … {len(rows) - MAX_ITEMS} more")
    return lines


def chromium_version(chrome: str) -> str:
    result = subprocess.run([chrome, "--version"], capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", help="folder with fosdem-2025-schedule.xml")
    parser.add_argument("--out", default=str(ROOT / "bench/lighthouse.md"))
    parser.add_argument("--reports", default=str(ROOT / "bench/lighthouse-reports"))
    parser.add_argument(
        "--lighthouse",
        default=os.environ.get(
            "LIGHTHOUSE", str(ROOT / ".lighthouse/node_modules/.bin/lighthouse")
        ),
    )
    args = parser.parse_args()

    data = find_data(args.data)
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(chrome).is_file():
        sys.exit(f"Chromium not found at {chrome}: apt-get install chromium, or set CHROME_PATH")
    if not Path(args.lighthouse).is_file():
        sys.exit(f"Lighthouse not found at {args.lighthouse}: run `make lighthouse`")
    version = subprocess.run(
        [args.lighthouse, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    browser = chromium_version(chrome)

    workdir = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "schedule.project.settings",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        # Plain http on the loopback: no redirect to https, no HSTS. Everything else as deployed.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "CACHE_URL": "locmem://",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "CHROME_PATH": chrome,
    }
    for name in ("DJANGO_BEHIND_TLS_PROXY", "REDIS_URL", "GUNICORN_ACCESS_LOG"):
        env.pop(name, None)

    server = None
    try:
        print(f"Database and static files in {workdir}", flush=True)
        manage = [sys.executable, "manage.py"]
        run([*manage, "migrate", "--noinput", "--verbosity", "0"], env)
        started = time.monotonic()
        imported = subprocess.run(
            [*manage, "import_schedule", str(data / "fosdem-2025-schedule.xml")],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if imported.returncode:
            sys.stderr.write(imported.stdout + imported.stderr)
            sys.exit(f"import_schedule failed with {imported.returncode}")
        print(f"Imported FOSDEM 2025 in {time.monotonic() - started:.0f} s", flush=True)
        run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env)
        pages = pick_pages(env)

        gunicorn = Path(sys.executable).parent / "gunicorn"
        if not gunicorn.is_file():
            sys.exit(f"{gunicorn} missing: pip install -e '.[serve]' (make lighthouse does)")
        reports_dir = Path(args.reports)
        shutil.rmtree(reports_dir, ignore_errors=True)
        reports_dir.mkdir(parents=True)
        server_log = open(reports_dir / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
        server = subprocess.Popen(
            [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "schedule.project.wsgi:application"],
            env=env,
            cwd=ROOT,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        wait_for(f"{base}/healthz", server)

        failed_to_load = []
        for label, path in pages:
            statuses = {fetch_status(base + path) for _ in range(6)}  # warm every worker's cache
            if statuses != {200}:
                failed_to_load.append(f"{label} {path}: HTTP {sorted(statuses)}")
        if failed_to_load:
            print("\n".join(["Pages that do not load:", *failed_to_load]), file=sys.stderr)
            return 1

        results = []
        for index, (label, path) in enumerate(pages, 1):
            reports = []
            for attempt in range(1, args.runs + 1):
                name = label.split(" (")[0].replace(" ", "-")
                output = reports_dir / f"{index}-{name}-{attempt}.json"
                print(
                    f"Lighthouse {index}/{len(pages)} run {attempt}/{args.runs}: {path}", flush=True
                )
                # Lighthouse now and then fails to record a trace (NO_NAVSTART, NO_FCP…) on a
                # page that loaded fine: try again, and give up after three failures.
                for tries in range(1, 4):
                    try:
                        reports.append(lighthouse_run(args.lighthouse, base + path, output, env))
                        break
                    except (RuntimeError, subprocess.TimeoutExpired) as error:
                        print(f"error ({tries}/3): {error}", file=sys.stderr, flush=True)
                        output.unlink(missing_ok=True)
                else:
                    return 1
            per_run = [scores(report) for report in reports]
            medians = {
                name: statistics.median(s[name] for s in per_run if s[name] is not None)
                for name in CATEGORIES
            }
            # Audits come from the run whose performance score is the median one.
            ordered = sorted(range(len(reports)), key=lambda i: per_run[i]["performance"])
            median_run = ordered[len(ordered) // 2]
            results.append((label, path, medians, per_run, reports[median_run], median_run + 1))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            server_log.close()
        shutil.rmtree(workdir, ignore_errors=True)

    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Lighthouse scores",
        "",
        f"Written by `make lighthouse` on {now}: Lighthouse {version}, {browser} "
        "(`--headless=new`), mobile emulation with simulated throttling (the defaults); "
        f"median of {args.runs} runs per page; this machine: {os.cpu_count()} cores.",
        f"FOSDEM 2025 on SQLite, served by gunicorn ({env['WEB_CONCURRENCY']} workers, DEBUG off, "
        "whitenoise static files) on 127.0.0.1 over plain http; caches warmed first.",
        "Scores move between machines and runs: compare changes on one machine.",
        "",
        "| page | performance | accessibility | best practices | SEO | runs (perf) |",
        "|---|---|---|---|---|---|",
    ]
    errored = set()
    for label, path, medians, per_run, report, _ in results:
        cells = " | ".join(f"{medians[name]:g}" for name in CATEGORIES)
        runs = ", ".join(str(s["performance"]) for s in per_run)
        lines.append(f"| {label} (`{path}`) | {cells} | {runs} |")
        errored |= {k for k, a in report["audits"].items() if a.get("scoreDisplayMode") == "error"}
    if errored:
        lines += [
            "",
            f"Lighthouse {version} could not compute these audits with this Chromium (they count "
            f"for no score): {', '.join(sorted(errored))}.",
        ]
    table = "\n".join(lines) + "\n"
    Path(args.out).write_text(table)
    print()
    print(table)
    print(f"Written to {args.out}; JSON reports in {args.reports}/")
    print()
    print("Audits under 0.9 (run with the median performance score):")
    for label, path, _, _, report, run_number in results:
        print()
        print(f"## {label} {path} (run {run_number})")
        print("\n".join(failing_audits(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
