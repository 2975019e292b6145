"""The personal agenda's endpoints: create, read (page, JSON, calendar), change, rotate,
delete; every response is personal. Rules: docs/live-day.md#personal-agendas"""

import dataclasses
import functools
import io
import json

import segno
from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from schedule import caching
from schedule.exports.views import calendar_bytes
from schedule.live import agendas, limits
from schedule.live.tokens import token_hash
from schedule.methods import READ, writes
from schedule.models import Event
from schedule.responses import base_url

PRIVATE = caching.CachePolicy(private=True)
LISTING_SECONDS = 24 * 3600


def personal(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    if "Cache-Control" not in response:
        PRIVATE.apply(response)
    return response


def text(message: str, status: int = 400, retry: int = 0) -> HttpResponse:
    response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    if retry:
        response["Retry-After"] = str(retry)
    return personal(response)


def agenda_view(*methods):
    """A view of one agenda, taking `methods`: after the per-token limit, <event> and <token>
    become the agenda (404 if unknown or rotated)."""

    def decorator(view):
        allowed = require_http_methods(methods)(view)

        @functools.wraps(view)
        def wrapped(request, event, token):
            if request.method in READ:
                scope, limit = "agenda-r", settings.SCHEDULE_AGENDA_READS_PER_MINUTE
            else:
                scope, limit = "agenda-w", settings.SCHEDULE_AGENDA_WRITES_PER_MINUTE
            # Counted under the token's hash: the shared cache never holds a working link.
            if retry := limits.over_limit(scope, token_hash(token), limit, 60):
                return text("Too many requests for this agenda; try again in a minute.", 429, retry)
            agenda = agendas.find(get_object_or_404(Event, slug=event), token)
            if agenda is None:
                raise Http404("No such agenda: its link may have been changed or deleted.")
            return personal(allowed(request, agenda, token))

        return csrf_exempt(writes(wrapped))

    return decorator


def urls(request, agenda, token: str) -> dict:
    base = base_url(request)

    def url(name):
        return base + reverse(name, args=[agenda.event.slug, token])

    ics = url("live:agenda_ics")
    return {
        "page": url("live:agenda"),
        "ics": ics,
        "webcal": "webcal://" + ics.split("://", 1)[1],
        "json": url("live:agenda_json"),
        "talks": url("live:agenda_talks"),
    }


def talk_names(data, field: str) -> list[str]:
    value = data.get(field, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise agendas.AgendaError(f"“{field}” must be a list of talk slugs or guids.")
    return value


def creation_token(request, body: dict) -> str:
    """From the X-Agenda-Creation header, the JSON body or the form (schedule.live.limits)."""
    token = request.headers.get("X-Agenda-Creation") or body.get("creation") or ""
    if isinstance(token, list):
        token = token[0] if token else ""
    return token if isinstance(token, str) else ""


def read_body(request) -> dict:
    """JSON ({"talks": […]} or {"add": […], "remove": […]}) or a form post."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as error:
            raise agendas.AgendaError(f"The body is not valid JSON: {error}") from error
        except RecursionError:
            raise agendas.AgendaError("The body is nested too deeply to be an agenda.") from None
        if not isinstance(data, dict):
            raise agendas.AgendaError("The body must be a JSON object.")
        return data
    return {name: request.POST.getlist(name) for name in ("talks", "add", "remove", "creation")}


def answer(request, agenda, token: str, **options) -> HttpResponse:
    """The agenda to scripts (JSON), or back to its page for forms."""
    if request.content_type == "application/json":
        return agenda_json(request, agenda, token, **options)
    return redirect("live:agenda", agenda.event.slug, token)


def agenda_json(request, agenda, token: str, status: int = 200, skipped=()) -> JsonResponse:
    slugs = agendas.chosen_talks(agenda).order_by("start", "slug").values_list("slug", flat=True)
    return JsonResponse(
        {
            "version": agenda.version,
            "talks": list(slugs),
            "skipped": list(skipped),  # names that are not (or no longer) talks of the event
            "urls": urls(request, agenda, token),
        },
        status=status,
    )


@csrf_exempt
@writes
@require_POST
def create(request, event):
    """POST /<event>/agenda/ with the starred talks: a new agenda (201) and its links."""
    try:
        body = read_body(request)
        if refused := limits.refusal(request, creation_token(request, body)):
            return text(*refused)
        the_event = get_object_or_404(Event, slug=event)
        talks, skipped = agendas.talks_named(the_event, talk_names(body, "talks"))
    except agendas.AgendaError as error:
        return text(str(error))
    agenda, token = agendas.create(the_event, talks)
    return personal(answer(request, agenda, token, status=201, skipped=skipped))


@agenda_view("GET", "HEAD")
def page(request, agenda, token):
    """The agenda's page: its talks a page at a time (ETag and 304 per agenda version and
    schedule change); the part listing them is kept in the cache, without the link."""
    agendas.opened(agenda)
    marker = agenda_marker(agenda)

    def build(canonical):
        links = urls(request, agenda, token)
        context = {
            "event": agenda.event,
            "agenda": agenda,
            "listing": listing(agenda, marker, page_number(canonical.GET.get("page"))),
            "links": links,
            "token": token,
            "qr": qr_svg(links["page"]),
        }
        return render(request, "live/agenda.html", context)

    return caching.serve(
        request, marker, build, name="agenda", params=("page",), shared=False, policy=PRIVATE
    )


def qr_svg(data: str) -> str:
    """Inline SVG of `data` (segno: nothing loaded from elsewhere), scalable, dark on light."""
    code = segno.make(data, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        border=2,
        dark="#000",
        light="#fff",
        title="QR code of this agenda's link",
    )
    return out.getvalue().decode()


def page_number(value: str | None) -> int:
    """?page=N; anything else is the first page (a number past the end, the last)."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 6 else 1


def listing(agenda, marker, number: int) -> str:
    key = f"agenda-listing:{agenda.pk}:{marker.scope}:{int(marker.changed.timestamp())}:{number}"
    html = caching.cache_get(key)
    if html is None:
        context = {"event": agenda.event, "page": agendas.page_of(agenda, number)}
        html = render_to_string("live/_agenda_listing.html", context)
        caching.cache_set(key, html, LISTING_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by our template, escaped there)


def agenda_marker(agenda) -> caching.Marker:
    """The event's change marker narrowed to this agenda's version (moves when either does)."""
    event_marker = caching.event_marker(agenda.event.slug)
    return dataclasses.replace(
        event_marker,
        scope=f"{event_marker.scope}:agenda:{agenda.pk}:{agenda.version}",
        changed=max(event_marker.changed, agenda.changed),
    )


@agenda_view("GET", "HEAD")
def as_json(request, agenda, token):
    agendas.opened(agenda)
    return agenda_json(request, agenda, token)


@agenda_view("POST")
def talks(request, agenda, token):
    """Per-talk operations: {"add": [slug|guid…], "remove": […]} (JSON or a form)."""
    try:
        data = read_body(request)
        add, skipped = agendas.talks_named(agenda.event, talk_names(data, "add"))
        remove, gone = agendas.talks_named(agenda.event, talk_names(data, "remove"))
        agendas.change(agenda, add, remove)
    except agendas.AgendaError as error:
        return text(str(error))
    agenda.refresh_from_db()
    return answer(request, agenda, token, skipped=[*skipped, *gone])


@agenda_view("POST")
def seen(request, agenda, token):
    agendas.acknowledge(agenda)
    return redirect("live:agenda", agenda.event.slug, token)


@agenda_view("POST")
def rotate(request, agenda, token):
    """A new link for the same agenda; the old one answers 404 from now on."""
    new = agendas.rotate(agenda, token)
    if new is None:
        return text(
            "This agenda's link was just changed on another device: open the new link "
            "from that device.",
            409,
        )
    agenda.refresh_from_db()
    if request.content_type == "application/json":
        return agenda_json(request, agenda, new)
    # The dead token rides in the fragment (never sent anywhere): its device switches over.
    return redirect(reverse("live:agenda", args=[agenda.event.slug, new]) + f"#rotated={token}")


@agenda_view("POST")
def delete(request, agenda, token):
    event = agenda.event
    is_json = request.content_type == "application/json"
    if not is_json and request.POST.get("confirm") != "yes":
        return render(request, "live/agenda_delete.html", {"event": event, "token": token})
    agenda.delete()
    if is_json:
        return HttpResponse(status=204)
    # The page tells this browser to forget the (dead) token it may hold.
    return render(request, "live/agenda_deleted.html", {"event": event, "token": token})


@agenda_view("GET", "HEAD")
def calendar(request, agenda, token):
    """The live calendar feed: follows the agenda and the schedule (SEQUENCE, ETag, 304)."""
    agendas.opened(agenda)
    marker = agenda_marker(agenda)

    def build(canonical):
        body = calendar_bytes(
            request,
            agendas.chosen_talks(agenda).for_schedule(),
            name=f"{agenda.event.name} — my agenda",
            events=[agenda.event],
            kind="Agenda",
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{agenda.event.slug}-agenda.ics"'
        return response

    return caching.serve(request, marker, build, name="agenda.ics", shared=False, policy=PRIVATE)
