"""Every public URL with the worst inputs the limits allow, timed once built.

Walks the resolver's public URL map (tests/urlmap.py) on FOSDEM 2025: the busiest day, room,
devroom and speaker; an agenda holding every talk (and its last page); the starred page with
every talk; each filterable page with the most filter values a request may carry (50 of
each: schedule.caching.requests.MAX_VALUES) and with made-up values; the longest search.
Each URL is requested once to build it (as after `warm_cache`), then `repeat` times; the
median of those is its cost to a worker. Issue #23's budget: 200 ms for any of them.
"""

import statistics
import time
from urllib.parse import urlencode

BUDGET_MS = 200
MAX_VALUES = 50


def worst_values(event) -> dict:
    """The path values that make each page biggest."""
    from django.db.models import Count

    from schedule.live.agendas import create
    from talks.models import Speaker, Talk

    talks = Talk.objects.filter(event=event)
    busiest_day = max(event.days, key=lambda day: talks.filter(start__date=day).count())
    room = event.rooms.annotate(n=Count("talks")).order_by("-n").first()
    devroom = event.devrooms.annotate(n=Count("talks")).order_by("-n").first()
    speaker = (
        Speaker.objects.filter(talks__event=event).annotate(n=Count("talks")).order_by("-n")
    ).first()
    talk = talks.annotate(n=Count("speakers")).order_by("-n").first()
    _, token = create(event, list(talks))
    return {
        "event": event.slug,
        "day": busiest_day.isoformat(),
        "room": room,
        "devroom": devroom,
        "speaker": speaker,
        "talk": talk,
        "token": token,
        "slugs": list(talks.values_list("slug", flat=True)),
    }


def filter_queries(event, values) -> list[str]:
    """The most filter values a request may carry, valid ones and made-up ones."""
    rooms = list(event.rooms.values_list("slug", flat=True)[:MAX_VALUES])
    devrooms = list(event.devrooms.values_list("slug", flat=True)[:MAX_VALUES])
    return [
        "?" + urlencode({"room": rooms, "devroom": devrooms}, doseq=True),
        "?" + urlencode({"building": [f"made-up-{n}" for n in range(MAX_VALUES)]}, doseq=True),
        "?" + urlencode({"q": "the and of " * 18}),
    ]


def urls(event, values) -> list[str]:
    from tests.urlmap import POST_ONLY, fill, public_routes

    talk, speaker, room, devroom = (values[k].slug for k in ("talk", "speaker", "room", "devroom"))
    slug_for = {
        "talks:detail": talk,
        "exports:talk_ics": talk,
        "talks:event_speaker": speaker,
        "talks:speaker": speaker,
        "exports:speaker_ics": speaker,
        "schedule:room": room,
        "exports:room_ics": room,
        "live:status_fragment": room,
        "live:room_display": room,
        "live:room_display_json": room,
        "schedule:devroom": devroom,
        "exports:devroom_ics": devroom,
    }
    found = []
    for route in public_routes():
        if route.name in POST_ONLY or route.name == "healthz" or not route.fillable:
            continue
        if "slug" in route.params and route.name not in slug_for:
            raise LookupError(f"bench/walk.py: no worst value for {route.name}'s slug")
        filled = {
            "event": values["event"],
            "day": values["day"],
            "token": values["token"],
            "slug": slug_for.get(route.name, ""),
            "span": "1.0...1.0",
        }
        if any(p not in filled for p in route.params):
            continue
        found.append(fill(route, filled))
    base = f"/{values['event']}"
    day = f"day={values['day']}&"
    found += [f"{base}/schedule/{q.replace('?', '?' + day)}" for q in filter_queries(event, values)]
    found += [f"{base}/schedule/all/{q}" for q in filter_queries(event, values)]
    found += [f"{base}/search/{filter_queries(event, values)[-1]}"]
    found += [f"{base}/schedule/{values['day']}/{q}" for q in filter_queries(event, values)]
    found += [f"{base}/schedule.ics{filter_queries(event, values)[0]}"]
    found += [f"{base}/starred/?talks={','.join(values['slugs'])}"]
    found += [f"{base}/agenda/{values['token']}/?page=10"]
    return found


def walk(client, event, repeat: int = 5) -> list[tuple[str, float, float, int]]:
    """(url, first request ms, median of the next `repeat` ms, status) for every URL,
    slowest first."""
    values = worst_values(event)
    results = []
    for url in urls(event, values):
        started = time.perf_counter()
        response = client.get(url)
        first = (time.perf_counter() - started) * 1000
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        results.append((url, first, statistics.median(timings), response.status_code))
    return sorted(results, key=lambda r: -r[2])


def report(results, shown: int = 12) -> list[str]:
    from schedule.live.tokens import mask

    over = [r for r in results if r[2] > BUDGET_MS]
    lines = [
        "",
        f"Every public URL with the worst inputs (bench/walk.py): {len(results)} URLs, each "
        f"built once, then the median of 5 requests; budget {BUDGET_MS} ms once built: "
        + (f"{len(over)} over it." if over else "all within it.")
        + f" The {shown} slowest:",
        "",
        "| URL | status | first request (ms) | built (ms) |",
        "|---|---|---|---|",
    ]
    for url, first, median, status in results[:shown]:
        shown_url = mask(url)
        shown_url = shown_url if len(shown_url) < 90 else shown_url[:87] + "…"
        shown_url = shown_url.replace("|", "%7C")
        lines.append(f"| `{shown_url}` | {status} | {first:.0f} | {median:.1f} |")
    return lines
