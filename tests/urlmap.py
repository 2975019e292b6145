"""The public URL map, enumerated from the resolver: tests that must cover every public URL
(drafts never leak, no 5xx with the cache down, generated requests) walk this list, so a URL
added later is covered without anyone remembering to."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern


@dataclass(frozen=True)
class Route:
    route: str  # as ResolverMatch.route gives it
    name: str
    params: tuple[str, ...]
    fillable: bool


# Routes that only take POST (a GET is a 405): forms and the agenda's operations.
POST_ONLY = {
    "live:agenda_create",
    "live:agenda_talks",
    "live:agenda_seen",
    "live:agenda_rotate",
    "live:agenda_delete",
    "accounts:logout",
}


def agenda_token(event, talks=()) -> str:
    """A real personal agenda's token, so that its routes can be filled in."""
    from schedule.live.agendas import create

    return create(event, list(talks))[1]


def public_routes() -> list[Route]:
    """Every URL pattern outside admin/, through includes."""
    found = []

    def walk(patterns, prefix, namespaces, route_only):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            is_route = route_only and isinstance(pattern.pattern, RoutePattern)
            if route.startswith("admin/"):
                continue
            if isinstance(pattern, URLResolver):
                spaces = namespaces + [pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, route, spaces, is_route)
            elif isinstance(pattern, URLPattern):
                params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route)) if is_route else ()
                name = ":".join([*namespaces, pattern.name]) if pattern.name else route
                found.append(Route(route, name, params, is_route))

    walk(get_resolver().url_patterns, "", [], True)
    return found


def fill(route: Route, values: dict[str, str]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], route.route)
