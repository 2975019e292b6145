"""Drafts never reach the public: not on any page, feed, export, search, count or release.

The walk below enumerates the whole URL map (except the admin) from the resolver, so a
public URL added later is visited automatically; a new URL parameter this test does not
know how to fill makes it fail until it is taught.
"""

import datetime as dt
import gzip
import itertools
import re
from urllib.parse import unquote_plus, urlsplit

import pytest
from django.urls import resolve, reverse

from schedule import clock
from schedule.releases.publishing import publish_release
from talks.models import Talk, TalkLink
from tests.factories import brussels, make_devroom, make_room, make_speaker, make_talk
from tests.urlmap import Route, agenda_token, fill, public_routes

DRAFT_TITLE = "Secret draft zebra"
DRAFT_SLUG = "secret-draft-zebra"
DRAFT_SPEAKER = "Quentin Draftonly"
DRAFT_SPEAKER_SLUG = "quentin-draftonly"
DRAFT_SECRET = "okapi"  # in the draft's abstract and link only

# Moments at which clock-dependent pages (home redirect, now/next) are walked.
BEFORE = brussels(2014, 1, 31, 12)
DURING_DRAFT = brussels(2014, 2, 1, 8, 10)  # the draft is the only talk running then
DURING = brussels(2014, 2, 1, 12, 30)
AFTER = brussels(2014, 2, 3, 12)


# -- the programme -------------------------------------------------------------------------


@pytest.fixture
def world(event, chavanne, ferrer, iaas, lightning, fixed_clock):
    """A small event with public talks, one draft (in a devroom and room that also have
    public talks, scheduled first thing on Saturday), and two releases."""
    fixed_clock(DURING)
    marc = make_speaker(name="Marc Cluet", slug="marc-cluet")
    thierry = make_speaker(name="Thierry Carrez", slug="thierry-carrez")
    ada = make_speaker(name="Ada Public", slug="ada-public")
    quentin = make_speaker(name=DRAFT_SPEAKER, slug=DRAFT_SPEAKER_SLUG, bio="Nobody yet.")
    annex = make_room(event, name="Annex", slug="annex", position=3)
    empty_devroom = make_devroom(event, name="Empty devroom", slug="empty-devroom")
    talks = {
        "autoscaling": make_talk(
            room=chavanne,
            devroom=iaas,
            title="Autoscaling best practices",
            slug="autoscaling",
            speakers=[marc],
            start=brussels(2014, 2, 1, 12, 20),
            minutes=40,
        ),
        "contribute": make_talk(
            room=chavanne,
            devroom=iaas,
            title="Why contribute to OpenStack",
            slug="contribute",
            speakers=[thierry],
            start=brussels(2014, 2, 1, 15),
            minutes=40,
        ),
        "paas": make_talk(
            room=ferrer,
            devroom=lightning,
            title="Putting the PaaS in OpenStack",
            slug="paas",
            kind="lightning",
            speakers=[ada],
            start=brussels(2014, 2, 1, 15, 10),
            minutes=20,
        ),
        "cloud": make_talk(
            room=annex,
            devroom=lightning,
            title="Your complete open source cloud",
            slug="cloud",
            speakers=[ada, marc],
            start=brussels(2014, 2, 2, 17, 20),
            minutes=20,
        ),
        "tba": make_talk(
            event=event,
            room=None,
            devroom=iaas,
            title="Python jobs",
            slug="tba",
            start=None,
            end=None,
        ),
    }
    TalkLink.objects.create(
        talk=talks["autoscaling"], title="Slides", url="https://example.org/slides"
    )
    # The draft: first talk of the day in a shared devroom and room; Quentin speaks only
    # here, Marc (public elsewhere) co-presents.
    draft = make_talk(
        room=chavanne,
        devroom=iaas,
        title=DRAFT_TITLE,
        slug=DRAFT_SLUG,
        speakers=[quentin, marc],
        start=brussels(2014, 2, 1, 8),
        minutes=50,
        abstract=f"Unannounced: the {DRAFT_SECRET} protocol.",
        language="eo",  # no public talk uses it
        is_draft=True,
    )
    TalkLink.objects.create(
        talk=draft, title="Draft slides", url=f"https://example.org/{DRAFT_SECRET}-slides"
    )
    assert Talk.objects.get(pk=draft.pk).is_draft

    publish_release(event)  # 1.0, with the draft present in the database
    contribute = talks["contribute"]
    contribute.start += dt.timedelta(hours=1)
    contribute.end += dt.timedelta(hours=1)
    contribute.title = "Why contribute to OpenStack (again)"
    contribute.save()
    talks["paas"].set_status(Talk.Status.CANCELLED)
    draft.start += dt.timedelta(minutes=10)  # the draft changes too, between releases
    draft.end += dt.timedelta(minutes=10)
    draft.title = DRAFT_TITLE + " v2"
    draft.save()
    release = publish_release(event)  # 1.1
    assert release.version == "1.1"
    assert release.changes.exists()

    return {
        "event": event,
        "draft": draft,
        "quentin": quentin,
        "talks": talks,
        "speakers": [marc, thierry, ada],
        "rooms": [chavanne, ferrer, annex],
        "devrooms": [iaas, lightning, empty_devroom],
        "freeze": fixed_clock,
    }


def needles(world) -> dict[str, str]:
    draft = Talk.objects.get(pk=world["draft"].pk)
    return {
        "draft title": DRAFT_TITLE.lower(),
        "draft slug": DRAFT_SLUG,
        "draft guid": str(draft.guid).lower(),
        "draft uid": draft.uid.lower(),
        "draft abstract/link": DRAFT_SECRET,
        "draft-only speaker name": DRAFT_SPEAKER.lower(),
        "draft-only speaker slug": DRAFT_SPEAKER_SLUG,
    }


# -- the URL map ---------------------------------------------------------------------------


def param_values(world) -> dict[str, list[str]]:
    event = world["event"]
    slugs = (
        [t.slug for t in world["talks"].values()]
        + [DRAFT_SLUG]
        + [s.slug for s in world["speakers"]]
        + [DRAFT_SPEAKER_SLUG]
        + [r.slug for r in world["rooms"]]
        + [d.slug for d in world["devrooms"]]
    )
    return {
        "event": [event.slug],
        "day": [day.isoformat() for day in event.days],
        "slug": slugs,  # every kind of slug for every slug pattern: a wrong kind is a 404
        "span": ["1.0...1.1", "1.1...1.0", "1.0...1.0"],
        "token": [agenda_token(event, world["talks"].values())],
    }


def query_variants(world) -> list[str]:
    event = world["event"]
    public = world["talks"]["autoscaling"].slug
    days = [f"?day={day.isoformat()}" for day in event.days]
    return [
        "",
        "?q=zebra",
        "?q=Draftonly",
        "?q=quentin",
        "?q=secret+draft",
        f"?q={DRAFT_SECRET}",
        "?q=chavanne",  # matches the draft's room
        f"?speaker={DRAFT_SPEAKER_SLUG}",
        "?speaker=marc-cluet",  # the draft's public co-speaker
        "?devroom=virtualization-and-iaas",
        "?room=chavanne",
        "?language=eo",
        "?kind=talk",
        "?status=confirmed",
        *days,
        f"{days[0]}&view=agenda",
        "?view=agenda",
        f"?talks={DRAFT_SLUG}",
        f"?talks={DRAFT_SLUG},{public}",
        "?changed=latest",
        "?since=2000-01-01",
        "?since=1.0",
        "?since=1.1",
        "?version=1.0",
        "?version=1.1",
        "?download=1",
    ]


def urls_to_walk(world) -> tuple[list[str], list[str], list[Route]]:
    """(urls, problems, routes): every route filled with every combination of values; the
    routes without a `slug` also with every query variant."""
    values = param_values(world)
    queries = query_variants(world)
    urls, problems = [], []
    routes = public_routes()
    for route in routes:
        if not route.fillable:
            problems.append(f"{route.route} ({route.name}): not a path() route; teach this test")
            continue
        unknown = [p for p in route.params if p not in values]
        if unknown:
            problems.append(f"{route.route} ({route.name}): cannot fill {unknown}; teach this test")
            continue
        for combo in itertools.product(*(values[p] for p in route.params)):
            path = fill(route, dict(zip(route.params, combo, strict=True)))
            urls += [path + q for q in queries] if "slug" not in route.params else [path]
    return urls, problems, routes


# -- reading responses ---------------------------------------------------------------------


def body_text(response) -> str:
    if response.streaming:
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if response.get("Content-Encoding") == "gzip" or raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    text = f"{headers}\n{text}"
    text = re.sub(r"\r?\n[ \t]", "", text)  # unfold iCalendar lines
    text = text.replace("\\,", ",").replace("\\;", ";")
    return text.lower()


def leaks_in(url: str, response, wanted: dict[str, str]) -> list[str]:
    """Which needles the response holds. What the URL itself carries may be echoed (the
    search box, a hidden form field, a download filename), so a needle is only sought in
    URLs that lack it; the draft's title and the speaker's full name are in no URL."""
    asked = unquote_plus(url).lower()
    text = body_text(response)
    texts = (text, unquote_plus(text))
    return [
        label
        for label, needle in wanted.items()
        if needle not in asked and any(needle in t for t in texts)
    ]


def visit(client, url, visited: set[str]):
    response = client.get(url, follow=True)
    for hop in [url, *(target for target, _status in response.redirect_chain)]:
        path = urlsplit(hop).path
        try:
            visited.add(resolve(path).route)
        except Exception:  # noqa: BLE001 - a redirect off the map; nothing to record
            pass
    return response


# -- the tests -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_public_url_shows_a_draft(client, world):
    wanted = needles(world)
    urls, problems, routes = urls_to_walk(world)
    visited: set[str] = set()
    leaks: dict[str, list[str]] = {}
    statuses: dict[str, int] = {}

    def check(url):
        response = visit(client, url, visited)
        statuses[url] = response.status_code
        found = leaks_in(url, response, wanted)
        if found:
            leaks[f"{url} [{response.status_code}]"] = found

    for url in urls:
        check(url)
    # Clock-dependent pages at other moments, including while only the draft is running.
    event = world["event"]
    for moment in (BEFORE, DURING_DRAFT, AFTER):
        world["freeze"](moment)
        assert clock.now() == moment
        for url in (
            "/",
            f"/{event.slug}/now/",
            "/events/",
            f"/{event.slug}/",
            f"/{event.slug}/display/",
            f"/{event.slug}/display.json",
            *(f"/{event.slug}/rooms/{r.slug}/display/" for r in world["rooms"]),
            *(f"/{event.slug}/rooms/{r.slug}/display.json" for r in world["rooms"]),
        ):
            check(url)

    not_visited = sorted({r.route for r in routes if r.fillable} - visited)
    must_404 = {
        reverse("talks:detail", args=[event.slug, DRAFT_SLUG]),
        reverse("exports:talk_ics", args=[event.slug, DRAFT_SLUG]),
        reverse("talks:speaker", args=[DRAFT_SPEAKER_SLUG]),
        reverse("talks:event_speaker", args=[event.slug, DRAFT_SPEAKER_SLUG]),
        reverse("exports:speaker_ics", args=[DRAFT_SPEAKER_SLUG]),
    }
    not_404 = sorted(f"{url} answered {statuses[url]}" for url in must_404 if statuses[url] != 404)
    # The walk must really see public content (a walk of 404s would prove nothing).
    public_ok = sum(1 for status in statuses.values() if status == 200)

    report = []
    if leaks:
        report.append(f"{len(leaks)} of {len(statuses)} URLs show the draft:")
        report += [f"  {url}: {', '.join(found)}" for url, found in sorted(leaks.items())]
    if not_404:
        report.append("Draft pages that should answer 404:")
        report += [f"  {line}" for line in not_404]
    if problems:
        report.append("URL patterns this walk cannot fill:")
        report += [f"  {line}" for line in problems]
    if not_visited:
        report.append("URL patterns never visited:")
        report += [f"  {route}" for route in not_visited]
    assert not report, "\n".join(report)
    assert public_ok > len(statuses) // 2, f"only {public_ok} of {len(statuses)} URLs answered 200"


@pytest.mark.django_db
def test_counts_leave_drafts_out(client, world):
    event = world["event"]
    iaas = world["devrooms"][0]
    chavanne = world["rooms"][0]
    public = Talk.objects.filter(event=event, is_draft=False)
    assert Talk.objects.filter(event=event, is_draft=True).count() == 1

    talk_count = public.count()  # 5
    speaker_count = len({s.pk for t in public for s in t.speakers.all()})  # Marc, Thierry, Ada
    iaas_count = public.filter(devroom=iaas).count()  # autoscaling, contribute, tba
    chavanne_count = public.filter(room=chavanne).count()  # autoscaling, contribute
    saturday_count = public.filter(start__date=dt.date(2014, 2, 1)).count()  # 3
    assert (talk_count, speaker_count, iaas_count, chavanne_count, saturday_count) == (
        5,
        3,
        3,
        2,
        3,
    )

    response = client.get(reverse("schedule:event", args=[event.slug]))
    assert response.status_code == 200
    context = response.context
    devrooms = {d.slug: d for d in context["devrooms"]}
    rooms = {r.slug: r for _building, listed in context["buildings"] for r in listed}
    days = dict(context["days"])
    seen = {
        "talks": context["talk_count"],
        "speakers": context["speaker_count"],
        "iaas talks": devrooms[iaas.slug].talk_count,
        "iaas first start": devrooms[iaas.slug].span.split("–")[0],
        "chavanne talks": rooms[chavanne.slug].talk_count,
        "Saturday talks": days[dt.date(2014, 2, 1)],
    }
    expected = {
        "talks": talk_count,
        "speakers": speaker_count,
        "iaas talks": iaas_count,
        "iaas first start": "Sat 12:20",  # not the draft's 08:10
        "chavanne talks": chavanne_count,
        "Saturday talks": saturday_count,
    }
    assert seen == expected
    page = response.content.decode()
    assert f"{talk_count} talks · {speaker_count} speakers" in page
    assert f"{iaas_count} talks" in page

    response = client.get(reverse("schedule:events"))
    listed = {e.slug: e for e in response.context["object_list"]}
    assert listed[event.slug].talk_count == talk_count
    assert f"{talk_count} talks ·" in response.content.decode()

    response = client.get(reverse("talks:event_speakers", args=[event.slug]))
    assert response.context["speaker_count"] == speaker_count
    response = client.get(reverse("talks:speakers"))
    assert response.context["speaker_count"] == speaker_count

    latest = event.releases.first()
    assert latest.talk_count == talk_count
