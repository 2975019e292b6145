"""An agenda of every talk of FOSDEM 2025 (943), the biggest a client can make: its page,
"Got it" and its link rotation cost a bounded number of queries and bytes, and what is kept
in the cache to serve it again never holds its secret link."""

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.db.models import F

from schedule.live.models import AgendaItem
from talks.models import Talk
from tests.schedule.conftest import import_fosdem

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_talk(client):
    import_fosdem(2025)
    slugs = list(Talk.objects.values_list("slug", flat=True))
    token = re.search(
        r'data-creation="([^"]*)"', client.get("/fosdem-2025/starred/").content.decode()
    )[1]
    response = client.post(
        "/fosdem-2025/agenda/",
        json.dumps({"talks": slugs, "creation": token}),
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()


def token_of(data) -> str:
    return data["urls"]["page"].rstrip("/").rsplit("/", 1)[1]


def test_the_page_of_an_agenda_of_every_talk_is_one_page_of_rows(
    client, every_talk, django_assert_max_num_queries
):
    assert len(every_talk["talks"]) == 943
    with django_assert_max_num_queries(14):
        first = client.get(every_talk["urls"]["page"])
    body = first.content.decode()
    assert first.status_code == 200
    assert "943 talks of FOSDEM 2025" in body
    assert body.count('<article class="talk') == 100
    assert "Talks 1–100 of 943" in body
    assert len(first.content) < 400_000  # every talk on one page, each naming its overlaps: 7.8 MB

    # Served again, the listing comes from the cache: no talk is read.
    with django_assert_max_num_queries(4):
        again = client.get(every_talk["urls"]["page"])
    assert again.content == first.content
    # A browser that has it revalidates to a 304.
    with django_assert_max_num_queries(4):
        assert (
            client.get(
                every_talk["urls"]["page"], headers={"if-none-match": first["ETag"]}
            ).status_code
            == 304
        )

    token = token_of(every_talk)
    stored = [cache.get(key) for key in cache._cache]
    assert not [value for value in stored if token in str(value)]


def test_got_it_on_an_agenda_of_every_talk_is_one_update(
    client, every_talk, django_assert_max_num_queries
):
    hour = dt.timedelta(hours=1)
    Talk.objects.filter(event__slug="fosdem-2025").update(
        start=F("start") + hour, end=F("end") + hour
    )
    page = client.get(every_talk["urls"]["page"]).content.decode()
    assert "… and 893 more." in page  # 50 of the 943 changes named

    with django_assert_max_num_queries(10):
        assert client.post(every_talk["urls"]["page"] + "seen/").status_code == 302
    moved = Talk.objects.filter(slug=every_talk["talks"][0]).get()
    item = AgendaItem.objects.get(talk_guid=moved.guid)
    assert (item.chosen_start, item.chosen_end) == (moved.start, moved.end)
    assert "Changed since you chose" not in client.get(every_talk["urls"]["page"]).content.decode()
