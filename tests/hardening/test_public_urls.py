"""Every public URL, as enumerated from the resolver (tests/urlmap.py): served with the
shared cache unreachable, and never a 5xx for generated query strings, path segments and
headers (hypothesis, with a fixed seed and no example database, so runs are repeatable on
a shared 2-core machine; cost is bounded by the parameter caps, not by timing)."""

import itertools

import pytest
from django.core.management import call_command
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedule.models import Event
from schedule.project.settings_services import caches_from_url
from schedule.releases.publishing import publish_release
from talks.filters import FILTER_NAMES
from talks.models import Talk
from tests.urlmap import POST_ONLY, agenda_token, fill, public_routes

DEAD_REDIS = caches_from_url("redis://127.0.0.1:1/0", 0.5)
NEEDS_A_QUERY = {"releases:json": "?since=1.0"}  # without it, a 400 that says so
GENERATED = settings(
    max_examples=50,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def seeded(db):
    call_command("loaddata", "demo", verbosity=0)
    event = Event.objects.get(slug="fosdem-2014")
    publish_release(event)
    return event


def real_values(event) -> dict[str, list[str]]:
    talk = Talk.objects.filter(event=event).first()
    return {
        "event": [event.slug],
        "day": [event.days[0].isoformat()],
        "slug": [
            talk.slug,
            talk.speakers.first().slug,
            event.rooms.first().slug,
            event.devrooms.first().slug,
        ],
        "span": ["1.0...1.0"],
        "token": [agenda_token(event, [talk])],
    }


def test_with_the_cache_unreachable_every_public_url_is_served(client, seeded):
    values = real_values(seeded)
    failures, served = [], set()
    routes = [r for r in public_routes() if r.name != "healthz"]  # says "failing": its job
    with override_settings(CACHES=DEAD_REDIS):
        for route in routes:
            for combo in itertools.product(*(values[p] for p in route.params)):
                url = fill(route, dict(zip(route.params, combo, strict=True)))
                url += NEEDS_A_QUERY.get(route.name, "")
                response = client.get(url, follow=True)
                if response.status_code >= 500:
                    failures.append(f"{url} {response.status_code}")
                elif response.status_code == 200:
                    served.add(route.route)

    assert failures == []
    # Each route at least once (those taking only POST answer a GET with 405).
    assert served == {route.route for route in routes if route.name not in POST_ONLY}


KEYS = st.sampled_from([*FILTER_NAMES, "talks", "since", "version", "view", "page", "x"])
VALUES = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["2014-02-01", "1.0", "latest", "agenda", "talk", "-1", "%00", "a" * 5000]),
)
QUERIES = st.lists(st.tuples(KEYS, VALUES), max_size=6)
SEGMENTS = st.one_of(
    st.from_regex(r"[a-z0-9-]{1,80}", fullmatch=True),
    st.sampled_from(["fosdem-2014", "2014-02-01", "..", "1.0...1.0", "x" * 300]),
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_IF_NONE_MATCH": st.text(max_size=100),
        "HTTP_IF_MODIFIED_SINCE": st.sampled_from(["yesterday", "Sat, 01 Feb 2014 00:00:00 GMT"]),
        "HTTP_ACCEPT_ENCODING": st.sampled_from(["gzip", "br", "*", "gzip;q=0"]),
    },
)


@pytest.mark.parametrize("route", public_routes(), ids=lambda r: r.name)
def test_generated_requests_never_get_a_server_error(client, seeded, route):
    values = real_values(seeded)

    @GENERATED
    @given(query=QUERIES, segments=st.lists(SEGMENTS, min_size=4, max_size=4), headers=HEADERS)
    def request(query, segments, headers):
        filled = {}
        for index, param in enumerate(route.params):
            # Half the time a real value (to reach the view), half a generated one.
            filled[param] = values[param][0] if index % 2 == len(query) % 2 else segments[index]
        url = fill(route, filled)
        response = client.get(url, dict(query) if query else None, **headers)
        assert response.status_code < 500, (url, query, headers)

    request()
